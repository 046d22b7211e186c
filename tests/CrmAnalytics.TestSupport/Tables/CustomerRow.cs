using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Nps;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.TestSupport.Tables;

/// <summary>
/// One hand-built row of a customer table, for tests that pick each value: rows are records, so a test varies one with
/// <c>with</c>, and <see cref="CustomerRows.Table"/> turns them into the column table the writers read.
/// </summary>
public sealed record CustomerRow(CustomerSummary Summary, RfmScore Rfm, RfmSegmentRule Segment, LifecycleStage Stage, bool TopValueTier)
{
    public CustomerClv? Clv { get; init; }

    public CustomerChurn? Churn { get; init; }

    public CustomerNps? Nps { get; init; }

    /// <summary>The row as the only row of its own table, so that a test lists rows where the writers take table rows.</summary>
    public static implicit operator ScoredCustomer(CustomerRow row) => row.Table()[0];
}

public static class CustomerRows
{
    /// <summary>The rows as one table, in order.</summary>
    /// <exception cref="ArgumentException">Some rows have CLV or churn columns and others do not: a table has them for all or none.</exception>
    public static ScoredCustomers Table(this IEnumerable<CustomerRow> rows)
    {
        var list = rows.ToArray();
        var rules = list.Select(r => r.Segment).Distinct().ToList();
        var table = new ScoredCustomers(
            list.Select(r => r.Summary).ToArray(),
            list.Select(r => r.Rfm).ToArray(),
            rules,
            list.Select(r => rules.IndexOf(r.Segment)).ToArray(),
            list.Select(r => r.Stage).ToArray(),
            list.Select(r => r.TopValueTier).ToArray());
        if (AllOrNone(list, r => r.Clv is not null, "CLV"))
        {
            table = table.WithClv(list.Select(r => r.Clv!.Value).ToArray());
        }

        if (AllOrNone(list, r => r.Churn is not null, "churn"))
        {
            table = table.WithChurn(list.Select(r => r.Churn!).ToArray());
        }

        return list.Any(r => r.Nps is not null) ? table.WithNps(list.Select(r => r.Nps).ToArray()) : table;
    }

    /// <summary>The single row as a table.</summary>
    public static ScoredCustomers Table(this CustomerRow row) => new[] { row }.Table();

    private static bool AllOrNone(CustomerRow[] rows, Func<CustomerRow, bool> has, string columns)
    {
        var count = rows.Count(has);
        return count == 0 || count == rows.Length
            ? count > 0
            : throw new ArgumentException($"{count} of {rows.Length} rows have {columns} columns: a table has them for all rows or none.", nameof(rows));
    }
}
