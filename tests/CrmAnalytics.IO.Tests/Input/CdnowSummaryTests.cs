using System.Globalization;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.IO.Tests.Input;

/// <summary>
/// The per-customer summary must reproduce lifetimes' <c>summary_data_from_transaction_data</c> on the CDNOW 1/10 sample
/// (lifetimes/datasets/cdnow_customers_summary_with_transactions.csv, commit 4f2833f; weeks, calibration ends 1997-09-30).
/// </summary>
[TestFixture]
public sealed class CdnowSummaryTests
{
    private static readonly DateOnly AsOf = new(1997, 10, 1);

    [Test]
    public async Task Build_CdnowSampleCalibration_MatchesLifetimesForAllCustomers()
    {
        var read = await TransactionReader.ReadAsync(
            DatasetPaths.File("cdnow", "CDNOW_sample.txt"),
            TransactionPresets.CdnowSample with { AsOf = AsOf },
            NullRejectSink.Instance);
        var summary = read.Builder.Build(AsOf);
        var ours = summary.Customers.ToDictionary(c => int.Parse(c.CustomerId, CultureInfo.InvariantCulture));

        var expected = File.ReadLines(DatasetPaths.File("cdnow", "cdnow_customers_summary_with_transactions.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Select(f => (Id: int.Parse(f[0], CultureInfo.InvariantCulture), X: int.Parse(f[1], CultureInfo.InvariantCulture),
                Tx: double.Parse(f[2], CultureInfo.InvariantCulture), T: double.Parse(f[3], CultureInfo.InvariantCulture),
                Zbar: double.Parse(f[4], CultureInfo.InvariantCulture)))
            .ToList();

        Assert.That(expected, Has.Count.EqualTo(2357));
        Assert.That(ours, Has.Count.EqualTo(2357));
        var mismatches = new List<string>();
        foreach (var e in expected)
        {
            var c = ours[e.Id];
            if (c.Frequency != e.X || !AtTwoDecimals(c.TxDays / 7.0, e.Tx) || !AtTwoDecimals(c.AgeDays / 7.0, e.T) || !AtTwoDecimals(c.MeanRepeatValue, e.Zbar))
            {
                mismatches.Add($"{e.Id}: ours x={c.Frequency} t_x={c.TxDays / 7.0:F4} T={c.AgeDays / 7.0:F4} zbar={c.MeanRepeatValue:F4}; lifetimes {e.X} {e.Tx} {e.T} {e.Zbar}");
            }
        }

        Assert.That(mismatches, Is.Empty, string.Join(Environment.NewLine, mismatches.Take(10)));
        Assert.That(summary.Customers.Count(c => c.Frequency > 0), Is.EqualTo(946), "SOURCE.md: 946 customers with frequency > 0");
    }

    [Test]
    public async Task Read_CdnowSampleCalibration_AccountsForEveryRow()
    {
        var read = await TransactionReader.ReadAsync(
            DatasetPaths.File("cdnow", "CDNOW_sample.txt"),
            TransactionPresets.CdnowSample with { AsOf = AsOf },
            NullRejectSink.Instance);

        // SOURCE.md: 6,919 rows, no header. Rows dated on or after 1997-10-01 fall outside the calibration window.
        Assert.That(read.Accounting.RowsRead, Is.EqualTo(6919));
        Assert.That(read.Accounting.RowsAccepted + read.Accounting.RowsRejected, Is.EqualTo(6919));
        Assert.That(read.Accounting.RowsMalformed, Is.Zero);
        var afterAsOf = File.ReadLines(DatasetPaths.File("cdnow", "CDNOW_sample.txt"))
            .Count(l => string.CompareOrdinal(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], "19971001") >= 0);
        Assert.That(read.Accounting.Count(Core.Transactions.RejectReason.DateAfterAsOf), Is.EqualTo(afterAsOf));
    }

    private static bool AtTwoDecimals(double ours, double published) => Math.Abs(ours - published) <= 0.005 + 1e-9;
}
