using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Nps;
using CrmAnalytics.Core.Pipeline;

namespace CrmAnalytics.Churn.Features;

/// <summary>What the features are computed from besides the transactions.</summary>
public sealed record ChurnInputs
{
    /// <summary>RFM settings for the rfm_r/f/m features (quintiles are re-ranked at each cut-off).</summary>
    public CustomerScoringOptions Scoring { get; init; } = new();

    /// <summary>Purchase-model settings for p_alive and expected_purchases_90d; null leaves them out.</summary>
    public ClvScoringOptions? Clv { get; init; }

    /// <summary>Survey responses (<c>--surveys</c>); only dated responses before a cut-off reach its features.</summary>
    public IReadOnlyList<SurveyResponse>? Surveys { get; init; }

    /// <summary>An optional customer attributes file, joined on customer id.</summary>
    public CustomerAttributes? Attributes { get; init; }

    /// <summary>A categorical attribute keeps its most frequent categories up to this count; the rest are all-zero.</summary>
    public int MaxCategories { get; init; } = 20;
}
