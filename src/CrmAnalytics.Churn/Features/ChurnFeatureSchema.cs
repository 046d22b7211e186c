namespace CrmAnalytics.Churn.Features;

/// <summary>
/// The ordered inputs of a churn model. Training derives it from the data; scoring takes it from the model file and
/// refuses data that cannot produce every feature.
/// </summary>
public sealed record ChurnFeatureSchema(IReadOnlyList<ChurnFeature> Features)
{
    /// <summary>Summary features, in model order. Undefined ratios are −1 (see <see cref="ChurnFeatureBuilder"/>).</summary>
    public static IReadOnlyList<string> SummaryFeatureNames { get; } =
    [
        "recency_days", "frequency", "tenure_days", "monetary_total", "average_order_value", "mean_repeat_value",
        "mean_gap_days", "gap_std_days", "recency_gap_ratio",
        "orders_30d", "orders_90d", "orders_180d", "orders_365d", "orders_prior_year",
        "spend_30d", "spend_90d", "spend_180d", "spend_365d",
        "trend_orders_90d_365d", "trend_spend_90d_365d", "trend_orders_365d_prior_year",
        "returns_share", "rfm_r", "rfm_f", "rfm_m",
    ];

    /// <summary>Purchase-model features, present when CLV is fitted.</summary>
    public static IReadOnlyList<string> ClvFeatureNames { get; } = ["p_alive", "expected_purchases_90d"];

    /// <summary>Survey features, present when surveys are given.</summary>
    public static IReadOnlyList<string> NpsFeatureNames { get; } = ["nps_score"];

    public int Count => Features.Count;

    public bool UsesNps => Features.Any(f => f.Kind == ChurnFeatureKind.Nps);

    public bool UsesClv => Features.Any(f => f.Kind == ChurnFeatureKind.Clv);

    public IEnumerable<string> AttributeColumns => Features.Where(f => f.Source is not null).Select(f => f.Source!).Distinct(StringComparer.Ordinal);

    public IReadOnlyList<string> Names => Features.Select(f => f.Name).ToArray();

    /// <summary>Problems that make this schema unusable by this version (unknown summary or CLV features, duplicates).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var f in Features)
        {
            var known = f.Kind switch
            {
                ChurnFeatureKind.Summary => SummaryFeatureNames.Contains(f.Name),
                ChurnFeatureKind.Clv => ClvFeatureNames.Contains(f.Name),
                ChurnFeatureKind.Nps => NpsFeatureNames.Contains(f.Name),
                ChurnFeatureKind.Attribute => f.Source is not null,
                ChurnFeatureKind.AttributeCategory => f.Source is not null && f.Category is not null,
                _ => false,
            };
            if (!known)
            {
                problems.Add($"feature '{f.Name}' ({f.Kind}) is not one this version computes");
            }
        }

        foreach (var dup in Features.GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"feature '{dup.Key}' appears {dup.Count()} times");
        }

        return problems;
    }

    public bool SameAs(ChurnFeatureSchema other) => other is not null && Features.SequenceEqual(other.Features);
}
