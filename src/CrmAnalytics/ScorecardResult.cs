using Microsoft.Data.Analysis;

namespace CrmAnalytics;

/// <summary>A scored customer base: the customer table, its segments, the CLV and churn sections, and the row accounting.</summary>
public sealed class ScorecardResult
{
    internal ScorecardResult(DateOnly asOf, ScorecardAccounting accounting, IReadOnlyList<ScorecardReject> rejects, DataFrame customers,
        IReadOnlyList<ScorecardSegment> segments, ScorecardClv? clv, ScorecardChurn? churn)
    {
        (AsOf, Accounting, Rejects, Customers, Segments, Clv, Churn) = (asOf, accounting, rejects, customers, segments, clv, churn);
    }

    /// <summary>The date every age and recency is measured against.</summary>
    public DateOnly AsOf { get; }

    /// <summary>Every input row, accepted or rejected with a reason: <c>RowsRead = RowsAccepted + RowsRejected</c>.</summary>
    public ScorecardAccounting Accounting { get; }

    /// <summary>The rejected rows in input order: where and why (never their values).</summary>
    public IReadOnlyList<ScorecardReject> Rejects { get; }

    /// <summary>
    /// The customer table, one row per customer: the columns of <c>customers.csv</c> (README, "Outputs") with the same
    /// names and types, at full precision as in <c>customers.parquet</c>; dates are <see cref="DateTime"/> at midnight.
    /// </summary>
    public DataFrame Customers { get; }

    /// <summary>The RFM segments in rule order, with their customers and revenue.</summary>
    public IReadOnlyList<ScorecardSegment> Segments { get; }

    /// <summary>The fitted lifetime-value models and totals; null when <see cref="ScorecardOptions.ClvModel"/> is <c>none</c>.</summary>
    public ScorecardClv? Clv { get; }

    /// <summary>The churn model and its risk bands; null when <see cref="ScorecardOptions.ChurnTrainer"/> is <c>none</c>.</summary>
    public ScorecardChurn? Churn { get; }
}

/// <summary>The row accounting of the input, as in summary.json's <c>inputs</c>.</summary>
/// <param name="RowsRead">Every data row.</param>
/// <param name="RowsAccepted">Rows that reached the customer table.</param>
/// <param name="RowsRejected">Malformed rows plus rows excluded by design.</param>
/// <param name="RowsMalformed">Rows that count toward <see cref="ScorecardOptions.MaxRejectRate"/>.</param>
/// <param name="RejectedByReason">Rejected rows by reason code (<c>missing_customer_id</c>, <c>unparseable_date</c>, …).</param>
public sealed record ScorecardAccounting(long RowsRead, long RowsAccepted, long RowsRejected, long RowsMalformed, IReadOnlyDictionary<string, long> RejectedByReason);

/// <summary>One rejected row, as a line of <c>rejects.csv</c> without the raw record.</summary>
/// <param name="Source">The file name, or <c>DataFrame</c> / <c>transactions</c> for data in memory.</param>
/// <param name="Line">The 1-based line of a CSV or text file (the header is line 1), the 1-based row of a Parquet file, or the 0-based row index of a DataFrame or list.</param>
/// <param name="Column">The column at fault; empty when the whole row is.</param>
/// <param name="Reason">The reason code, e.g. <c>unparseable_date</c>.</param>
public sealed record ScorecardReject(string Source, long Line, string Column, string Reason);

/// <summary>One RFM segment, as in summary.json's <c>segments</c>.</summary>
/// <param name="Name">The segment's name from the rules.</param>
/// <param name="Slug">Its file-name slug (<c>segments/&lt;slug&gt;.csv</c>).</param>
/// <param name="Customers">Customers in the segment.</param>
/// <param name="Revenue">Their net spend, input currency.</param>
/// <param name="CustomerShare">Their share of customers, 0 to 1.</param>
/// <param name="RevenueShare">Their share of revenue, 0 to 1.</param>
public sealed record ScorecardSegment(string Name, string Slug, long Customers, double Revenue, double CustomerShare, double RevenueShare);

/// <summary>The lifetime-value section, as summary.json's <c>clv</c>.</summary>
/// <param name="Model">The purchase model: <c>bgnbd</c>, <c>paretonbd</c> or <c>mbgnbd</c>.</param>
/// <param name="PurchaseParameters">The purchase model's maximum-likelihood estimates by the papers' symbols (r, alpha, a, b, …).</param>
/// <param name="PurchaseLogLikelihood">Its log-likelihood at the estimates.</param>
/// <param name="SpendParameters">Gamma-Gamma's estimates (p, q, gamma).</param>
/// <param name="HorizonMonths">The CLV horizon in 30.4375-day months.</param>
/// <param name="TotalClv">Σ CLV over customers, input currency.</param>
/// <param name="MeanProbabilityAlive">The mean P(alive).</param>
public sealed record ScorecardClv(string Model, IReadOnlyDictionary<string, double> PurchaseParameters, double PurchaseLogLikelihood,
    IReadOnlyDictionary<string, double> SpendParameters, int HorizonMonths, double TotalClv, double MeanProbabilityAlive);

/// <summary>The churn section, as summary.json's <c>churn</c>.</summary>
/// <param name="Trainer">The classifier, e.g. <c>LightGbm</c>.</param>
/// <param name="HorizonDays">Churned = no purchase in this many days after the cut-off.</param>
/// <param name="ActiveCustomers">Customers of the active base, who get a churn probability.</param>
/// <param name="LapsedCustomers">Customers outside it (no probability).</param>
/// <param name="ActiveBaseAuc">The time-split test AUC on the active base.</param>
/// <param name="RiskBands">Customers by risk band (<c>high</c>, <c>medium</c>, <c>low</c>).</param>
/// <param name="WarningListed">Customers on the warning list (<c>segments/churn-warning.csv</c>).</param>
public sealed record ScorecardChurn(string Trainer, int HorizonDays, int ActiveCustomers, int LapsedCustomers, double ActiveBaseAuc,
    IReadOnlyDictionary<string, int> RiskBands, int WarningListed);
