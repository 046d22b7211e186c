using System.Security.Cryptography;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Run;

/// <summary><c>crm run job.json</c>: job files, command-line overrides, <c>--check</c>.</summary>
[TestFixture]
[NonParallelizable]
public sealed class RunCommandTests
{
    private TempFolder _temp = null!;

    private static string SampleJob => Path.Combine(DatasetPaths.Repository, "samples", "job.json");

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Run_SampleJob_ScoresAndRecordsTheJobFileHash()
    {
        var outDir = _temp["nightly"];

        var run = Crm.Run("run", SampleJob, "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        var job = root.GetProperty("job_file");
        Assert.That(job.GetProperty("path").GetString(), Is.EqualTo(SampleJob));
        Assert.That(job.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(SampleJob)))));
        Assert.That(root.GetProperty("parameters").GetProperty("fail_on_drift").GetDouble(), Is.EqualTo(0.25), "a job-file value reaches the run");
        Assert.That(root.GetProperty("nps").ValueKind, Is.EqualTo(JsonValueKind.Object), "the job's surveys were read");
        Assert.That(root.GetProperty("command_line")[0].GetString(), Is.EqualTo("run"));
    }

    [Test]
    public void Run_CommandLineOption_OverridesTheFile()
    {
        var job = _temp.Write("job.json", $$"""
            { "transactions": {{JsonSerializer.Serialize(Crm.SampleTransactions)}}, "preset": "sample", "as-of": "2025-06-01", "churn-trainer": "none", "out": "out" }
            """);

        var run = Crm.Run("run", job, "--as-of", "2025-11-01");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(_temp["out/summary.json"]));
        Assert.That(summary.RootElement.GetProperty("as_of").GetString(), Is.EqualTo("2025-11-01"));
    }

    [Test]
    public void Check_SampleJob_IsOkAndReadsNothing()
    {
        var outDir = _temp["never"];
        var run = Crm.Run("run", "--check", SampleJob, "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("ok (no data read)"));
        Assert.That(Directory.Exists(outDir), Is.False, "--check never publishes");
    }

    [Test]
    public void Check_BadJob_ReportsEveryProblemAtOnceWithExitTwo()
    {
        var job = _temp.Write("bad.json", """
            // three problems besides this comment
            {
              "transactions": "missing.csv",
              "out": "out",
              "colour": "blue",
              "clv-model": "nope",
              "churn-horizon": "soon",
            }
            """);

        var run = Crm.Run("run", "--check", job);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("$.colour: not an option of crm score"));
        Assert.That(run.Error, Does.Contain("nope"));
        Assert.That(run.Error, Does.Contain("soon"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Check_MissingInputFile_IsReported()
    {
        var job = _temp.Write("job.json", """{ "transactions": "missing.csv", "out": "out", "customers": "attrs.csv" }""");

        var run = Crm.Run("run", "--check", job);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("'transactions':").And.Contain("missing.csv does not exist").And.Contain("'customers':"));
    }

    [Test]
    public void Check_NotJson_NamesTheLine()
    {
        var job = _temp.Write("job.json", "{\n  \"out\": \"x\"\n  \"preset\": 1\n}");

        var run = Crm.Run("run", "--check", job);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("not valid JSON (line 3"));
    }
}
