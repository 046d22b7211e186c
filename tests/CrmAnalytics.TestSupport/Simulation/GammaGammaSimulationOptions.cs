namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>Settings of <see cref="GammaGammaSimulator"/>. The same options and parameters always give the same customers.</summary>
public sealed record GammaGammaSimulationOptions
{
    /// <summary>Largest <see cref="MeanFrequency"/>: frequencies are drawn by counting Poisson events, in time linear in it.</summary>
    public const double MaxMeanFrequency = 1000;

    public int Customers { get; init; } = 1000;

    /// <summary>Mean repeat frequency: x = 1 + Poisson(<see cref="MeanFrequency"/> − 1), so every customer is a repeat buyer.</summary>
    public double MeanFrequency { get; init; } = 3;

    public int Seed { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Customers < 0) errors.Add("The number of customers must be ≥ 0.");
        if (!(MeanFrequency >= 1) || !(MeanFrequency <= MaxMeanFrequency)) errors.Add($"The mean frequency must be in [1, {MaxMeanFrequency}].");
        return errors;
    }
}
