using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Clv;

/// <summary>Issue 17 item 11: the holdout tracking of <c>crm clv evaluate</c> follows the data, not the calendar span.</summary>
[TestFixture]
public sealed class ClvEvaluateSpanTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    [CancelAfter(120_000)]
    public void Evaluate_HoldoutEnding500YearsAfterTheData_TracksOnlyTheWeeksWithData()
    {
        // Before: one tracking row per week up to the as-of date, each costing one E[X(t)] per cohort day (2045: 8 s).
        var input = Crm.Sample600(_temp["sample"]);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var run = Crm.Run("clv", "evaluate", input, "--preset", "sample", "--calibration-end", "2025-06-01", "--as-of", "2525-01-01", "--out", _temp["eval"]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)));
        var tracking = SimpleCsv.ParseFile(Path.Combine(_temp["eval"], "tracking-bgnbd.csv"));
        var lastWeekEnd = DateOnly.Parse(tracking[^1][1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(tracking.Count - 1, Is.LessThanOrEqualTo(105), "2024-01-01 to 2025-12-27 is 104 weeks: the tracking stops with the data");
        Assert.That(lastWeekEnd, Is.GreaterThan(new DateOnly(2025, 12, 20)).And.LessThanOrEqualTo(new DateOnly(2026, 1, 3)), "the last week holds the last repeat purchase");
    }
}
