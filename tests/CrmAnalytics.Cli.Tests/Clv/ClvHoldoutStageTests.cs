using System.Text.Json;
using CrmAnalytics.Stages.Clv;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Clv;

[TestFixture]
public sealed class ClvHoldoutStageTests
{
    // Window 2024-01-01 .. 2025-12-29 = 728 days → a third is 242 days = 34 whole weeks → 2025-12-29 − 238 days = 2025-05-05.
    [TestCase("2024-01-01", "2025-12-29", "2025-05-05")]
    // 84 days (12 weeks): a third is 4 weeks.
    [TestCase("2024-01-01", "2024-03-25", "2024-02-26")]
    // Ten years: capped at 52 weeks.
    [TestCase("2010-01-01", "2020-01-01", "2019-01-02")]
    public void CalibrationEnd_Window_HoldsOutLastThirdInWholeWeeks(string first, string asOf, string expected) =>
        Assert.That(ClvHoldoutStage.CalibrationEnd(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public void CalibrationEnd_WindowUnderTwelveWeeks_NoCheck() =>
        Assert.That(ClvHoldoutStage.CalibrationEnd(new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 24)), Is.Null);

    [Test]
    public void Score_Sample_SummaryHasHoldoutCheckWhoseTotalsMatchItsSeries()
    {
        using var temp = new TempFolder();
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", temp["out"]);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(temp["out"], "summary.json")));
        var holdout = summary.RootElement.GetProperty("clv").GetProperty("holdout");
        var tracking = holdout.GetProperty("tracking").EnumerateArray().ToArray();
        var lastCalibration = tracking.Last(t => !t.GetProperty("holdout").GetBoolean());
        var last = tracking[^1];
        Assert.That(holdout.GetProperty("calibration_end").GetString(), Is.EqualTo("2025-05-05"));
        Assert.That(tracking.Count(t => t.GetProperty("holdout").GetBoolean()), Is.GreaterThan(0));
        Assert.That(last.GetProperty("actual_cumulative").GetDouble() - lastCalibration.GetProperty("actual_cumulative").GetDouble(),
            Is.EqualTo(holdout.GetProperty("total_actual").GetDouble()).Within(1e-9), "the holdout weeks of the series add up to the actual total");
        Assert.That(File.ReadAllText(Path.Combine(temp["out"], "report.html")), Does.Contain("<h3>Holdout tracking</h3>"));
    }
}
