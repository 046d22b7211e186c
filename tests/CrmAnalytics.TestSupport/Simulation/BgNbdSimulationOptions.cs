namespace CrmAnalytics.Core.Clv.Simulation;

/// <summary>Settings of <see cref="BgNbdSimulator"/>. The same options and parameters always give the same customers.</summary>
public sealed record BgNbdSimulationOptions
{
    public int Customers { get; init; } = 1000;

    /// <summary>Smallest age T (time from the first purchase to the end of observation), in the model's time unit.</summary>
    public double MinAge { get; init; } = 52;

    /// <summary>Largest age T; T is uniform on [<see cref="MinAge"/>, <see cref="MaxAge"/>], fixed when the two are equal.</summary>
    public double MaxAge { get; init; } = 52;

    public int Seed { get; init; }

    /// <summary>
    /// 0 for continuous times. When positive, times are truncated to whole multiples of it and purchases in the same
    /// grid cell count once, as in summaries built from dated transactions (1/7 = days when the unit is weeks).
    /// </summary>
    public double TimeGrid { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Customers < 0) errors.Add("The number of customers must be ≥ 0.");
        if (!(MinAge >= 0) || !double.IsFinite(MinAge)) errors.Add("The minimum age must be finite and ≥ 0.");
        if (!(MaxAge >= MinAge) || !double.IsFinite(MaxAge)) errors.Add("The maximum age must be finite and ≥ the minimum age.");
        if (!(TimeGrid >= 0) || !double.IsFinite(TimeGrid)) errors.Add("The time grid must be finite and ≥ 0.");
        return errors;
    }
}
