using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>A run reads the wall clock only through the <see cref="TimeProvider"/> it is given (issue 16).</summary>
[TestFixture]
public sealed class ScoreClockTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_FixedClock_SummaryTimesRunFolderAndLogLinesReadThatClock()
    {
        var root = _temp["history"];
        var run = Crm.RunOn(new DateOnly(2031, 3, 4), "score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none",
            "--keep", "2", "--log-format", "json", "-v", "--out", root);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());

        // The run folder is named <as-of>_<run id>, and the run id starts with the start time.
        var folder = Directory.GetDirectories(Path.Combine(root, "runs")).Single();
        Assert.That(Path.GetFileName(folder), Does.Contain("_20310304T120000000Z-"));

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("started_at_utc").GetString(), Is.EqualTo("2031-03-04T12:00:00+00:00"));
        Assert.That(summary.RootElement.GetProperty("finished_at_utc").GetString(), Is.EqualTo("2031-03-04T12:00:00+00:00"));

        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Is.Not.Empty);
        Assert.That(lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("time").GetString()), Is.All.EqualTo("2031-03-04T12:00:00.000Z"));
    }
}
