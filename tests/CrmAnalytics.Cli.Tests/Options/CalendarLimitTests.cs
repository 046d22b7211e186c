using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Options;

/// <summary>
/// Issue 17 item 12: date arithmetic never overflows the calendar. Values that would push a date past 9999-12-31 are
/// option errors (exit 2), and the latest allowed as-of date runs every stage (never exit 1).
/// </summary>
[TestFixture]
public sealed class CalendarLimitTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("999999999")]
    [TestCase("2147483647")]
    public void Score_ChurnHorizonPastTheCalendar_ExitsTwo(string days)
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], "--churn-horizon", days);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--churn-horizon must be 'auto' or a number of days, 7 to 3653"));
    }

    [TestCase("--start", "9999-01-01")]
    [TestCase("--weeks", "2147483647")]
    public void Sample_ExportEndingPastTheCalendar_ExitsTwo(string option, string value)
    {
        var run = Crm.Run("sample", "--customers", "10", "--out", _temp["sample"], option, value);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("weeks").IgnoreCase);
    }

    [TestCase("none", 0)]
    [TestCase("lightgbm", 0)]
    [TestCase("lightgbm --require churn", 5)]
    public void Score_TheLatestAsOf_RunsEveryStageWithoutOverflow(string churnOptions, int expectedExit)
    {
        // Churn at 9000-12-31: every customer churned in the training window, a model that cannot be trained (skipped,
        // or exit 5 when required), not an overflow.
        var input = Crm.Sample600(_temp["sample"]);

        var run = Crm.Run(["score", input, "--preset", "sample", "--out", _temp["out"], "--as-of", "9000-12-31", "--churn-trainer", .. churnOptions.Split(' ')]);

        Assert.That(run.ExitCode, Is.EqualTo(expectedExit), run.ToString());
    }
}
