using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Summary;

namespace CrmAnalytics.IO.Report;

/// <summary>The per-customer values the report's charts need, as read from the customer table.</summary>
/// <param name="Clv">The <c>clv_&lt;H&gt;m</c> value; null when no purchase model was fitted.</param>
public sealed record ReportCustomer(string Segment, string LifecycleStage, int R, int F, double Monetary, double? Clv);

/// <summary>Everything report.html is rendered from: the run summary and the customer table (in memory, or read back by <c>crm report</c>).</summary>
/// <param name="ClvColumn">The name of the CLV column (<c>clv_12m</c>), when there is one.</param>
/// <param name="Title">Shown in the page heading; usually the output folder's name.</param>
public sealed record ReportData(RunSummary Summary, IReadOnlyList<ReportCustomer> Customers, string? ClvColumn, string Title)
{
    /// <summary>The report data of a run that has just scored <paramref name="customers"/>.</summary>
    public static ReportData From(RunSummary summary, IReadOnlyList<ScoredCustomer> customers, string title)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(customers);
        var rows = customers.Select(c => new ReportCustomer(
            c.Segment.Name, CustomerColumns.LifecycleStageCode(c.Stage), c.Rfm.R, c.Rfm.F, c.Summary.MonetaryTotal, c.Clv?.Clv)).ToArray();
        var clvColumn = summary.Clv?.Result is { } clv ? FormattableString.Invariant($"clv_{clv.HorizonMonths}m") : null;
        return new ReportData(summary, rows, clvColumn, title);
    }
}
