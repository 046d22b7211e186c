namespace CrmAnalytics.Core.Churn;

/// <summary>Risk bands of the churn probability, and the customers outside the churn base.</summary>
public enum ChurnRisk
{
    Low,
    Medium,
    High,

    /// <summary>No occasion within the active window before the as-of date: no churn probability; win-back, not the warning list.</summary>
    Lapsed,
}

/// <summary>Absolute band limits: High when p ≥ <see cref="High"/>, Medium when p ≥ <see cref="Medium"/>, else Low.</summary>
public sealed record ChurnRiskThresholds(double High = 0.7, double Medium = 0.4)
{
    public ChurnRisk Classify(double probability) =>
        probability >= High ? ChurnRisk.High : probability >= Medium ? ChurnRisk.Medium : ChurnRisk.Low;

    public IReadOnlyList<string> Validate() =>
        Medium > 0 && Medium < High && High <= 1
            ? []
            : [$"{nameof(ChurnRiskThresholds)}.{nameof(Medium)} and {nameof(ChurnRiskThresholds)}.{nameof(High)} must satisfy 0 < medium < high ≤ 1."];

    /// <summary>The stable lowercase code written to outputs.</summary>
    public static string Code(ChurnRisk risk) => risk switch
    {
        ChurnRisk.High => "high",
        ChurnRisk.Medium => "medium",
        ChurnRisk.Low => "low",
        ChurnRisk.Lapsed => "lapsed",
        _ => throw new ArgumentOutOfRangeException(nameof(risk), risk, "Unknown churn risk."),
    };
}

/// <summary>One customer's churn columns.</summary>
/// <param name="Probability">Calibrated probability of no purchase in the horizon after the as-of date; null for a lapsed customer.</param>
/// <param name="Reasons">Up to three features that pushed the risk up most, largest first.</param>
public sealed record CustomerChurn(double? Probability, ChurnRisk Risk, IReadOnlyList<string> Reasons)
{
    /// <summary>A customer outside the active base.</summary>
    public static CustomerChurn Lapsed { get; } = new(null, ChurnRisk.Lapsed, []);

    /// <summary><see cref="Reasons"/> in words a marketer reads ("recency 3.2× their usual gap"), aligned with them.</summary>
    public IReadOnlyList<string> ReasonTexts { get; init; } = [];

    public string? Reason(int index) => index < Reasons.Count ? Reasons[index] : null;

    public string? ReasonText(int index) => index < ReasonTexts.Count ? ReasonTexts[index] : null;
}
