using System.Runtime.CompilerServices;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Summary;

namespace CrmAnalytics.IO.Report;

/// <summary>
/// The per-customer values the report's charts need, as read from the customer table: a value, so a report of millions
/// of customers holds one array, not an object per customer.
/// </summary>
/// <param name="Clv">The <c>clv_&lt;H&gt;m</c> value; null when no purchase model was fitted.</param>
public readonly record struct ReportCustomer(string Segment, int R, int F, double Monetary, double? Clv);

/// <summary>Everything report.html is rendered from: the run summary and the customer table (in memory, or read back by <c>crm report</c>).</summary>
/// <param name="ClvColumn">The name of the CLV column (<c>clv_12m</c>), when there is one.</param>
/// <param name="Title">Shown in the page heading; usually the output folder's name.</param>
public sealed record ReportData(RunSummary Summary, IReadOnlyList<ReportCustomer> Customers, string? ClvColumn, string Title)
{
    /// <summary>
    /// Each customer list's stats, kept while the list lives: they are derived from the rows alone, so they belong to the
    /// rows and not to a record, whose equality they would otherwise change when first read.
    /// </summary>
    private static readonly ConditionalWeakTable<IReadOnlyList<ReportCustomer>, ReportCustomerStats> StatsOfRows = new();

    /// <summary>
    /// The aggregates of <see cref="Customers"/> that sort every customer, computed when first read unless given
    /// prepared. Stats of other rows (a copy <c>with</c> other customers) are never used: they are made again.
    /// </summary>
    public ReportCustomerStats Stats
    {
        get => StatsOfRows.GetValue(Customers, rows => new ReportCustomerStats(rows));
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            StatsOfRows.AddOrUpdate(value.Customers, value);
        }
    }

    /// <summary>
    /// The report data of a run whose customers' <see cref="Rows"/> were gathered while its files were written, and
    /// their <paramref name="stats"/> prepared (<see cref="ReportCustomerStats.Prepare"/>) while its summary was written.
    /// </summary>
    public static ReportData From(RunSummary summary, ReportCustomer[] rows, ReportCustomerStats stats, string title)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(stats);
        return new ReportData(summary, rows, ClvColumnOf(summary), title) { Stats = stats };
    }

    /// <summary>The name of the run's CLV column (<see cref="CustomerColumns.ClvName"/>); null when no CLV was fitted.</summary>
    internal static string? ClvColumnOf(RunSummary summary) => summary.Clv?.Result is { } clv ? CustomerColumns.ClvName(clv.HorizonMonths) : null;

    /// <summary>The report's values of each customer of a run, in table order.</summary>
    public static ReportCustomer[] Rows(IReadOnlyList<ScoredCustomer> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var rows = new ReportCustomer[customers.Count];
        Parallel.For(0, rows.Length, i =>
        {
            var c = customers[i];
            var rfm = c.Rfm;
            rows[i] = new ReportCustomer(c.Segment.Name, rfm.R, rfm.F, c.Summary.MonetaryTotal, c.ReadClv(Clv));
        });
        return rows;
    }

    private static double? Clv(in Core.Clv.Scoring.CustomerClv clv) => clv.Clv;
}
