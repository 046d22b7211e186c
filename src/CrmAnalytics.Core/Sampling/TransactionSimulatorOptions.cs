namespace CrmAnalytics.Core.Sampling;

/// <summary>
/// Settings of the synthetic export. Purchases follow BG/NBD (Fader, Hardie &amp; Lee 2005) with rates per week;
/// occasion values follow Gamma-Gamma (Fader, Hardie &amp; Lee 2005, "RFM and CLV"). Defaults are near the CDNOW fits.
/// </summary>
public sealed record TransactionSimulatorOptions
{
    public int Customers { get; init; } = 1000;

    public int Seed { get; init; } = 42;

    /// <summary>First day of the export; customers make their first purchase in the following <see cref="CohortWeeks"/>.</summary>
    public DateOnly Start { get; init; } = new(2024, 1, 1);

    public int CohortWeeks { get; init; } = 26;

    /// <summary>Length of the export in weeks; nothing is dated on or after Start + 7 × this.</summary>
    public int Weeks { get; init; } = 104;

    /// <summary>The longest export: 100 years of weeks.</summary>
    public const int MaxWeeks = 5218;

    /// <summary>BG/NBD r (shape of the purchase-rate gamma), &gt; 0.</summary>
    public double R { get; init; } = 0.25;

    /// <summary>BG/NBD α (rate of the purchase-rate gamma, weeks), &gt; 0.</summary>
    public double Alpha { get; init; } = 4.0;

    /// <summary>BG/NBD a (dropout beta), &gt; 0.</summary>
    public double A { get; init; } = 0.8;

    /// <summary>BG/NBD b (dropout beta), &gt; 0.</summary>
    public double B { get; init; } = 2.5;

    /// <summary>Gamma-Gamma p (shape of the spend per occasion), &gt; 0.</summary>
    public double P { get; init; } = 6.0;

    /// <summary>Gamma-Gamma q (shape of the per-customer rate ν), &gt; 0.</summary>
    public double Q { get; init; } = 4.0;

    /// <summary>Gamma-Gamma v (rate of ν), &gt; 0.</summary>
    public double V { get; init; } = 15.0;

    /// <summary>Share of extra guest-checkout orders with no customer id.</summary>
    public double GuestShare { get; init; } = 0.03;

    /// <summary>Share of orders followed by a cancellation invoice (order id prefixed with C, negative quantity).</summary>
    public double CancellationShare { get; init; } = 0.02;

    /// <summary>Share of lines with a zero unit price (free gifts and adjustments).</summary>
    public double ZeroPriceShare { get; init; } = 0.003;

    /// <summary>Every problem with the options, reported together.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Customers < 1) errors.Add("Customers must be at least 1.");
        if (Weeks < 1 || CohortWeeks < 1 || CohortWeeks > Weeks) errors.Add("Weeks and cohort weeks must be positive, cohort weeks ≤ weeks.");
        else if (Weeks > MaxWeeks) errors.Add($"Weeks must be at most {MaxWeeks} (100 years).");
        else if (Start.DayNumber + 7L * Weeks > DateOnly.MaxValue.DayNumber) errors.Add($"The export must end within the calendar: the start plus {Weeks} weeks is after {DateOnly.MaxValue:yyyy-MM-dd}.");
        foreach (var (name, value) in new[] { ("r", R), ("alpha", Alpha), ("a", A), ("b", B), ("p", P), ("q", Q), ("v", V) })
        {
            if (!(value > 0) || !double.IsFinite(value)) errors.Add($"Parameter {name} must be a positive number.");
        }

        foreach (var (name, value) in new[] { ("guest share", GuestShare), ("cancellation share", CancellationShare), ("zero-price share", ZeroPriceShare) })
        {
            if (!(value >= 0 && value < 1)) errors.Add($"The {name} must be in [0, 1).");
        }

        return errors;
    }
}
