using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>Issue 17 items 11, 14 (Parquet) and 20 (CLV hint): runs that used to hang or end in exit 1.</summary>
[TestFixture]
public sealed class ScoreHostileInputTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    [CancelAfter(120_000)]
    public void Score_AsOf500YearsAfterTheData_FinishesInSecondsAndSkipsTheHoldoutTracking()
    {
        // Before: the holdout tracking walked every week from the first purchase to the as-of date, at a cost that grew with
        // the square of the weeks (2100: 115 s; 2500: killed after 7 minutes).
        var input = Crm.Sample600(_temp["sample"]);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var run = Crm.Run("score", input, "--preset", "sample", "--out", _temp["out"], "--as-of", "2525-12-28", "--churn-trainer", "none");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)));
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp["out"], "summary.json")));
        var clv = summary.RootElement.GetProperty("clv");
        Assert.That(clv.GetProperty("holdout").ValueKind, Is.EqualTo(JsonValueKind.Null), "no week-by-week tracking over 500 empty years");
        Assert.That(summary.RootElement.GetProperty("as_of").GetString(), Is.EqualTo("2525-12-28"));
    }

    [Test]
    public void Score_NoRepeatBuyersBeforeTheAsOf_ExitsFiveWithTheClvModelNoneHint()
    {
        var input = Crm.Sample600(_temp["sample"]);

        var run = Crm.Run("score", input, "--preset", "sample", "--out", _temp["out"], "--as-of", "2024-01-02", "--churn-trainer", "none", "--require", "clv");

        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        Assert.That(run.Error, Does.Contain("no customers to fit").And.Contain("--clv-model none"));
    }

    [Test]
    [CancelAfter(300_000)]
    public void Score_ParquetWithOneFlippedBit_NeverAnInternalErrorAndDecodeFailuresExitThree()
    {
        var input = Crm.Sample600(_temp["sample"]);
        var made = Crm.Run("score", input, "--preset", "sample", "--out", _temp["table"], "--format", "parquet", "--clv-model", "none", "--churn-trainer", "none");
        Assert.That(made.ExitCode, Is.EqualTo(0), made.ToString());
        var bytes = File.ReadAllBytes(Path.Combine(_temp["table"], "customers.parquet"));
        var exits = new List<int>();
        const int Cases = 48;
        for (var k = 0; k < Cases; k++)
        {
            // Positions spread over the whole file (pages, page headers, footer), skipping the 4-byte magic at each end.
            var position = 4 + (int)((long)k * (bytes.Length - 8) / Cases);
            var flipped = (byte[])bytes.Clone();
            flipped[position] ^= (byte)(1 << (k % 8));
            var path = _temp[$"flipped-{k}.parquet"];
            File.WriteAllBytes(path, flipped);

            var run = Crm.Run("score", path, "--map", "customer_id=customer_id,date=first_purchase_date,amount=monetary_total",
                "--out", _temp[$"out-{k}"], "--format", "csv", "--clv-model", "none", "--churn-trainer", "none");

            Assert.That(run.ExitCode, Is.AnyOf(0, 3, 4), $"bit {k % 8} of byte {position}: {run}");
            Assert.That(run.Error, Does.Not.Contain("internal error"));
            exits.Add(run.ExitCode);
        }

        Assert.That(exits, Does.Contain(3), "some flipped bits break the decoding: they must be exit 3, input unreadable");
    }
}
