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

    [TestCase("--bogus")]
    [TestCase("--keep", "1.5")]
    [TestCase("--top-share")]
    public void Score_JsonLogsWithArgumentErrors_EveryStderrLineIsAJsonObject(params string[] bad)
    {
        var run = Crm.Run(["score", Crm.SampleTransactions, "--out", _temp["out"], "--log-format", "json", .. bad]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        AssertEveryLineIsJson(run.Error, minimum: 2);
    }

    [Test]
    public void Run_JsonLogsWithAnInternalError_TheErrorIsAJsonLine()
    {
        // stdout that fails to write is a failure no command expects: the internal-error path.
        using var error = new StringWriter();
        var exit = CrmCli.Run(["segments", "default", "--log-format", "json"], new FailingWriter(), error);

        Assert.That(exit, Is.EqualTo(1), error.ToString());
        var lines = AssertEveryLineIsJson(error.ToString(), minimum: 1);
        Assert.That(lines[^1].GetProperty("message").GetString(), Does.Contain("internal error"));
    }

    private static List<JsonElement> AssertEveryLineIsJson(string stderr, int minimum)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.GreaterThanOrEqualTo(minimum), stderr);
        var parsed = new List<JsonElement>();
        foreach (var line in lines)
        {
            Assert.DoesNotThrow(() => parsed.Add(JsonDocument.Parse(line).RootElement.Clone()), line);
            Assert.That(parsed[^1].GetProperty("level").GetString(), Is.EqualTo("error"), line);
        }

        return parsed;
    }

    private sealed class FailingWriter : StringWriter
    {
        public override void Write(char value) => throw new InvalidOperationException("stdout is gone");

        public override void Write(string? value) => throw new InvalidOperationException("stdout is gone");

        public override void WriteLine(string? value) => throw new InvalidOperationException("stdout is gone");
    }
}
