using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Pipeline;

/// <summary>The scored customer table and the aggregates the run summary reports.</summary>
public sealed record ScoringResult(
    DateOnly AsOf,
    ScoredCustomers Customers,
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

    /// <summary>The KPIs of <paramref name="totals"/>; the simple CLV's yearly occasions per customer are the occasions of
    /// the last 365 days divided by the customers with an occasion in them, because 1 / (1 − retention) already counts
    /// the customers who leave.</summary>
    public static CustomerKpis From(KpiTotals totals, double margin)
    {
        var t = totals;
        double? retention = t.PriorYearCustomers > 0 ? (double)t.RetainedCustomers / t.PriorYearCustomers : null;
        var aov = t.Orders > 0 ? t.GrossSpend / t.Orders : 0.0;
        return new CustomerKpis(
            Customers: t.Customers,
            RepeatCustomers: t.RepeatCustomers,
            Revenue: t.Revenue,
            RepurchaseRate: t.Customers > 0 ? (double)t.RepeatCustomers / t.Customers : 0.0,
            RetentionRate: retention,
            AverageOrderValue: aov,
            PurchaseFrequency: t.Customers > 0 ? (double)t.Orders / t.Customers : 0.0,
            TopTierShareOfCustomers: t.Customers > 0 ? (double)t.TopTierCustomers / t.Customers : 0.0,
            TopTierRevenueShare: t.Revenue > 0 ? t.TopTierRevenue / t.Revenue : 0.0,
            SimpleClv: retention is { } r && r < 1 && t.Active365d > 0 ? aov * ((double)t.Orders365d / t.Active365d) * margin / (1 - r) : null)
        {
            PriorYearCustomers = t.PriorYearCustomers,
            RetainedCustomers = t.RetainedCustomers,
        };
    }
}

/// <summary>The sums over customers that <see cref="CustomerKpis"/> are ratios of: sums of parts of a population (shards)
/// add up to the whole's.</summary>
/// <param name="Revenue">Net revenue (monetary totals).</param>
/// <param name="Orders365d">Occasions in the last 365 days.</param>
/// <param name="Active365d">Customers with an occasion in the last 365 days.</param>
/// <param name="PriorYearCustomers">Customers who bought 365–729 days before the window end.</param>
/// <param name="RetainedCustomers">Of those, the ones who also bought in the last 365 days.</param>
public readonly record struct KpiTotals(
    int Customers,
    int RepeatCustomers,
    double Revenue,
    double GrossSpend,
    long Orders,
    long Orders365d,
    int Active365d,
    int PriorYearCustomers,
    int RetainedCustomers,
    int TopTierCustomers,
    double TopTierRevenue);
