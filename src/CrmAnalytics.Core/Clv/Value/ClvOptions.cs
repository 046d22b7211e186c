namespace CrmAnalytics.Core.Clv.Value;

/// <summary>How future purchases are turned into a discounted lifetime value.</summary>
public sealed record ClvOptions
{
    /// <summary>Horizon H in months of <see cref="Units.DaysPerMonth"/> days; the column is named <c>clv_{H}m</c>.</summary>
    public int HorizonMonths { get; init; } = 12;

    /// <summary>Monthly discount rate d: month k's margin is divided by (1 + d)^k.</summary>
    public double MonthlyDiscountRate { get; init; } = 0.01;

    /// <summary>Gross margin m applied to revenue (1 = revenue).</summary>
    public double Margin { get; init; } = 1.0;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (HorizonMonths is < 1 or > 1200) errors.Add("The CLV horizon must be 1 to 1200 months.");
        if (!(MonthlyDiscountRate >= 0) || !(MonthlyDiscountRate < 1)) errors.Add("The monthly discount rate must be in [0, 1).");
        if (!(Margin > 0) || !(Margin <= 1)) errors.Add("The margin must be in (0, 1].");
        return errors;
    }
}
