using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Pipeline;

/// <summary>One row of the customer table: the summary plus every model's columns.</summary>
/// <param name="Segment">The first matching RFM rule, or the "Others" rule when none matches.</param>
/// <param name="TopValueTier">Whether the customer is in the top share (default 20%) by monetary total.</param>
public sealed record ScoredCustomer(
    CustomerSummary Summary,
    RfmScore Rfm,
    RfmSegmentRule Segment,
    LifecycleStage Stage,
    bool TopValueTier)
{
    /// <summary>The CLV columns, when a purchase model was fitted in this run.</summary>
    public CustomerClv? Clv { get; init; }

    /// <summary>The churn columns, when a churn model scored this run.</summary>
    public CustomerChurn? Churn { get; init; }

    /// <summary>The customer's latest survey response before the as-of date, when surveys were given and they answered.</summary>
    public Nps.CustomerNps? Nps { get; init; }
}
