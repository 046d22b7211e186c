using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Clv;

/// <summary><c>crm score --clv-model auto</c> (the default): the choice on the run's holdout, its record, and the drift check.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ClvAutoModelTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_NoClvModelOption_ChoosesTheLowestHoldoutMaeAndRecordsCandidatesInSummaryAndReport()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--as-of", "1997-10-01", "--churn-trainer", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var clv = summary.RootElement.GetProperty("clv");
        var selection = clv.GetProperty("selection");
        var candidates = selection.GetProperty("candidates").EnumerateArray().ToArray();
        var best = candidates.MinBy(c => c.GetProperty("holdout_mae").GetDouble());
        var report = File.ReadAllText(Path.Combine(outDir, "report.html"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(summary.RootElement.GetProperty("parameters").GetProperty("clv_model").GetString(), Is.EqualTo("auto"));
            Assert.That(candidates.Select(c => c.GetProperty("model").GetString()), Is.EqualTo(new[] { "bgnbd", "paretonbd", "mbgnbd" }));
            Assert.That(candidates.All(c => c.GetProperty("holdout_mae").GetDouble() > 0 && c.GetProperty("log_likelihood").GetDouble() < 0), Is.True);
            Assert.That(selection.GetProperty("chosen").GetString(), Is.EqualTo(best.GetProperty("model").GetString()));
            Assert.That(clv.GetProperty("model").GetString(), Is.EqualTo(selection.GetProperty("chosen").GetString()));
            Assert.That(clv.GetProperty("purchase").GetProperty("model").GetString(), Is.EqualTo(selection.GetProperty("chosen").GetString()));
            Assert.That(clv.GetProperty("holdout").GetProperty("model").GetString(), Is.EqualTo(selection.GetProperty("chosen").GetString()));
            Assert.That(selection.GetProperty("reason").GetString(), Does.StartWith("lowest holdout MAE"));
            Assert.That(report, Does.Contain("Model choice (--clv-model auto)").And.Contain(selection.GetProperty("reason").GetString()));
        }
    }

    [Test]
    public void Score_AutoTwiceOnTheSameData_SameChoiceAndCandidates()
    {
        string Selection(string outDir)
        {
            var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--out", outDir);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
            return summary.RootElement.GetProperty("clv").GetProperty("selection").GetRawText();
        }

        Assert.That(Selection(_temp["b"]), Is.EqualTo(Selection(_temp["a"])));
    }

    [Test]
    public void Score_AutoPicksAnotherModelThanLastNight_DriftRecordsTheChangeAndWarns()
    {
        // On the sample export the holdout favours Pareto/NBD as of 2025-11-01 and MBG/NBD at the end of the data.
        var outDir = _temp["out"];
        var first = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--as-of", "2025-11-01", "--churn-trainer", "none", "--out", outDir);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        string before;
        using (var previous = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json"))))
        {
            before = previous.RootElement.GetProperty("clv").GetProperty("model").GetString()!;
        }

        var second = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--out", outDir);

        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var now = summary.RootElement.GetProperty("clv").GetProperty("model").GetString()!;
        var change = summary.RootElement.GetProperty("drift").GetProperty("clv_model");
        Assume.That(now, Is.Not.EqualTo(before), "the two nights must pick different models for this test");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(change.GetProperty("previous").GetString(), Is.EqualTo(before));
            Assert.That(change.GetProperty("current").GetString(), Is.EqualTo(now));
            Assert.That(change.GetProperty("changed").GetBoolean(), Is.True);
            Assert.That(second.Error, Does.Contain($"the CLV purchase model changed since 2025-11-01: {before} → {now} (--clv-model auto: lowest holdout MAE"));
            Assert.That(summary.RootElement.GetProperty("drift").GetProperty("parameter_change").EnumerateObject().Select(p => p.Name), Has.None.StartsWith(before + "."));
        }
    }

    [Test]
    public void Score_AutoOnAWindowShorterThan12Weeks_FitsBgNbdAndSaysWhy()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--as-of", "2024-03-20", "--churn-trainer", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var clv = summary.RootElement.GetProperty("clv");
        Assert.That(clv.GetProperty("model").GetString(), Is.EqualTo("bgnbd"));
        Assert.That(clv.GetProperty("selection").GetProperty("reason").GetString(), Is.EqualTo("no holdout to choose on; bgnbd by default"));
        Assert.That(clv.GetProperty("selection").GetProperty("candidates").GetArrayLength(), Is.Zero);
        Assert.That(clv.GetProperty("holdout").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void Score_NamedClvModel_NoSelectionRecorded()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--clv-model", "paretonbd", "--churn-trainer", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("clv").GetProperty("model").GetString(), Is.EqualTo("paretonbd"));
        Assert.That(summary.RootElement.GetProperty("clv").GetProperty("selection").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void ClvFit_AutoModel_IsRejectedWithExit2()
    {
        var run = Crm.Run("clv", "fit", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--clv-model", "auto");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
    }
}
