using System.Globalization;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Tests.Engines;

/// <summary>Compares two reads of the same export customer by customer, at the as-of date and at an earlier cut-off.</summary>
internal static class EngineEquality
{
    /// <summary>
    /// Money is summed in another order by an engine (GROUP BY instead of input order), so it agrees to rounding:
    /// 1e-9 relative, far below the cent the outputs carry. Everything else must be equal.
    /// </summary>
    public const double MoneyTolerance = 1e-9;

    /// <summary>Every difference in row accounting and in the customer summaries; empty when the reads agree. Returns the customers compared.</summary>
    public static (int Customers, List<string> Differences) Compare(TransactionReadResult native, TransactionReadResult engine, params DateOnly[] cutOffs)
    {
        var diffs = Accounting(native.Accounting, engine.Accounting);
        var compared = 0;
        foreach (var cutOff in cutOffs.Prepend(native.Builder.DefaultAsOf()))
        {
            var a = native.Builder.Build(cutOff);
            var b = engine.Builder.Build(cutOff);
            compared = Math.Max(compared, a.Customers.Count);
            if (a.Customers.Count != b.Customers.Count || a.CustomersWithoutPurchases != b.CustomersWithoutPurchases)
            {
                diffs.Add($"{cutOff}: customers {a.Customers.Count}/{a.CustomersWithoutPurchases} vs {b.Customers.Count}/{b.CustomersWithoutPurchases}");
                continue;
            }

            for (var i = 0; i < a.Customers.Count && diffs.Count < 20; i++)
            {
                if (Customer(a.Customers[i], b.Customers[i]) is { } diff)
                {
                    diffs.Add($"{cutOff}: {diff}");
                }
            }

            if (!native.Builder.RepeatGapHistogram(cutOff).SequenceEqual(engine.Builder.RepeatGapHistogram(cutOff)))
            {
                diffs.Add($"{cutOff}: repeat gap histograms differ");
            }
        }

        return (compared, diffs);
    }

    public static List<string> Accounting(RowAccounting a, RowAccounting b)
    {
        var diffs = new List<string>();
        if (a.RowsRead != b.RowsRead || a.RowsAccepted != b.RowsAccepted || a.RowsRejected != b.RowsRejected)
        {
            diffs.Add($"rows read/accepted/rejected {a.RowsRead}/{a.RowsAccepted}/{a.RowsRejected} vs {b.RowsRead}/{b.RowsAccepted}/{b.RowsRejected}");
        }

        foreach (var reason in RejectReasons.All.Where(r => a.Count(r) != b.Count(r)))
        {
            diffs.Add($"{reason.Code()}: {a.Count(reason)} vs {b.Count(reason)}");
        }

        return diffs;
    }

    private static string? Customer(CustomerSummary a, CustomerSummary b)
    {
        var same = a.CustomerId == b.CustomerId && a.FirstPurchase == b.FirstPurchase && a.LastPurchase == b.LastPurchase && a.Orders == b.Orders
            && a.TxDays == b.TxDays && a.AgeDays == b.AgeDays && a.RecencyDays == b.RecencyDays && a.ReturnLines == b.ReturnLines
            && Close(a.GrossSpend, b.GrossSpend) && Close(a.ReturnsValue, b.ReturnsValue) && Close(a.MeanRepeatValue, b.MeanRepeatValue)
            && Close(a.GapStdDays, b.GapStdDays)
            && a.Windows with { Spend30d = 0, Spend90d = 0, Spend180d = 0, Spend365d = 0 } == b.Windows with { Spend30d = 0, Spend90d = 0, Spend180d = 0, Spend365d = 0 }
            && Close(a.Windows.Spend30d, b.Windows.Spend30d) && Close(a.Windows.Spend90d, b.Windows.Spend90d)
            && Close(a.Windows.Spend180d, b.Windows.Spend180d) && Close(a.Windows.Spend365d, b.Windows.Spend365d);
        return same ? null : string.Create(CultureInfo.InvariantCulture, $"{a} vs {b}");
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= MoneyTolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
}
