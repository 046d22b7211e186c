using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Logging;

/// <summary><c>--log-format json</c>: one JSON object per stderr line for orchestrators.</summary>
[TestFixture]
public sealed class LogFormatTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_JsonLogs_EveryLineIsAnObjectWithTimeLevelStageMessage()
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--out", _temp["out"], "--log-format", "json", "-v");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.GreaterThan(3));
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "time", "level", "stage", "message" }), line);
            Assert.That(DateTimeOffset.TryParse(root.GetProperty("time").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _), Is.True);
        }

        Assert.That(lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("stage").GetString()), Does.Contain("read").And.Contain("publish"));
    }

    [Test]
    public void Score_JsonLogs_ErrorIsAJsonLineToo()
    {
        var input = _temp.Write("t.csv", "customer_id,date,amount\nA,2024-01-01,10\nB,not-a-date,5\n");

        var run = Crm.Run("score", input, "--out", _temp["out"], "--log-format", "json");

        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        var last = JsonDocument.Parse(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.That(last.GetProperty("level").GetString(), Is.EqualTo("error"));
        Assert.That(last.GetProperty("message").GetString(), Does.Contain("malformed"));
        Assert.That(run.Error, Does.Not.Contain("not-a-date"), "no cell values in logs");
    }
}
