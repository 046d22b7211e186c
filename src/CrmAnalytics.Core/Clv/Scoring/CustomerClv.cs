namespace CrmAnalytics.Core.Clv.Scoring;

/// <summary>One customer's CLV columns.</summary>
/// <param name="ProbabilityAlive">P(alive) at the end of the observation window.</param>
/// <param name="ExpectedPurchases90d">Expected purchase occasions in the next 90 days.</param>
/// <param name="ExpectedPurchases365d">Expected purchase occasions in the next 365 days.</param>
/// <param name="ExpectedAverageSpend">Gamma-Gamma expected spend per future occasion (the population mean when x = 0).</param>
/// <param name="Clv">Discounted margin over the horizon, in the input's currency.</param>
public readonly record struct CustomerClv(double ProbabilityAlive, double ExpectedPurchases90d, double ExpectedPurchases365d, double ExpectedAverageSpend, double Clv)
{
    /// <summary>The columns' prediction intervals, when the run computes them (<see cref="ClvScoringOptions.IntervalLevel"/>).</summary>
    public Uncertainty.CustomerClvInterval? Interval { get; init; }
}

/// <summary>A value of a customer's CLV record, read in place (<see cref="Pipeline.ScoredCustomer.ReadClv"/>); null when the record lacks it.</summary>
public delegate double? CustomerClvField(in CustomerClv clv);
