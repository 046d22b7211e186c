using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Pipeline;

/// <summary>The scored customer table and the aggregates the run summary reports.</summary>
public sealed record ScoringResult(
    DateOnly AsOf,
    IReadOnlyList<ScoredCustomer> Customers,
    IReadOnlyList<SegmentStat> Segments,
    IReadOnlyList<LifecycleStat> Stages,
    CustomerKpis Kpis);

/// <summary>Customers and net revenue in one RFM segment; shares are fractions of all customers and of total net revenue.</summary>
public sealed record SegmentStat(string Name, string Slug, int Customers, double Revenue, double CustomerShare, double RevenueShare);

public sealed record LifecycleStat(LifecycleStage Stage, int Customers, double Revenue);

/// <summary>Seed KPIs over the whole customer table (DESIGN.md, "Seed segments").</summary>
/// <param name="RepurchaseRate">Share of customers with two or more occasions.</param>
/// <param name="RetentionRate">Of the customers who bought in the prior year (365–729 days before the window end),
/// the share who also bought in the last 365 days; null when nobody bought in the prior year.</param>
/// <param name="AverageOrderValue">Gross spend / occasions over all customers.</param>
/// <param name="PurchaseFrequency">Occasions per customer.</param>
/// <param name="TopTierRevenueShare">Share of net revenue held by the value tier (the 80/20 claim, measured).</param>
/// <param name="SimpleClv">AOV × yearly occasions per customer × margin / (1 − retention): the standard simple cohort CLV;
/// null when retention is unknown or 1.</param>
public sealed record CustomerKpis(
    int Customers,
    int RepeatCustomers,
    double Revenue,
    double RepurchaseRate,
    double? RetentionRate,
    double AverageOrderValue,
    double PurchaseFrequency,
    double TopTierShareOfCustomers,
    double TopTierRevenueShare,
    double? SimpleClv)
{
    /// <summary>Customers who bought in the prior year: the base of <see cref="RetentionRate"/>. With
    /// <see cref="RetainedCustomers"/> it lets <c>crm merge</c> add shards' retention up exactly.</summary>
    public int PriorYearCustomers { get; init; }

    /// <summary>Of <see cref="PriorYearCustomers"/>, those who also bought in the last 365 days.</summary>
    public int RetainedCustomers { get; init; }
}
