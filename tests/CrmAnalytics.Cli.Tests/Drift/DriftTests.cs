using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Drift;

/// <summary>Run-to-run delta and drift against the previous output in the same folder.</summary>
[TestFixture]
[NonParallelizable]
public sealed class DriftTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void SecondRun_WritesChangesAndDriftSection_FirstRunHasNone()
    {
        var outDir = _temp["out"];
        // One named purchase model on both nights, so its parameters are compared (auto may pick another: see ClvAutoModelTests).
        var first = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--as-of", "2025-11-01", "--clv-model", "bgnbd", "--out", outDir);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(File.Exists(Path.Combine(outDir, "segments", "changes.csv")), Is.False);
        var firstCustomers = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));

        var second = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--clv-model", "bgnbd", "--out", outDir);

        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var drift = summary.RootElement.GetProperty("drift");
        Assert.That(drift.GetProperty("previous_as_of").GetString(), Is.EqualTo("2025-11-01"));
        Assert.That(drift.GetProperty("clv_model").GetProperty("changed").GetBoolean(), Is.False);
        Assert.That(drift.GetProperty("previous_customers").GetInt32(), Is.EqualTo(firstCustomers.Count - 1));
        Assert.That(drift.GetProperty("churn_probability_psi").GetDouble(), Is.GreaterThanOrEqualTo(0));
        Assert.That(drift.GetProperty("parameter_change").EnumerateObject().Select(p => p.Name), Does.Contain("bgnbd.r"));

        var changes = SimpleCsv.ParseFile(Path.Combine(outDir, "segments", "changes.csv"));
        Assert.That(changes[0], Is.EqualTo(new[] { "customer_id", "change", "old_segment", "new_segment", "old_lifecycle_stage", "new_lifecycle_stage", "old_churn_risk", "new_churn_risk" }));
        var changed = changes.Skip(1).Count(r => r[1] == "changed");
        var added = changes.Skip(1).Count(r => r[1] == "new");
        Assert.That((changed, added), Is.EqualTo((drift.GetProperty("changed_customers").GetInt32(), drift.GetProperty("new_customers").GetInt32())));
        var unchanged = changes.Skip(1).Where(r => r[1] == "changed" && r[2] == r[3] && r[4] == r[5] && r[6] == r[7]).ToArray();
        Assert.That(unchanged, Is.Empty, "a changed row differs in segment, stage or risk band");
        var transitions = drift.GetProperty("transitions").EnumerateArray().Sum(t => t.GetProperty("customers").GetInt32());
        Assert.That(transitions, Is.EqualTo(firstCustomers.Count - 1 - drift.GetProperty("gone_customers").GetInt32()));
    }

    /// <summary>
    /// Issue 17 item 7: with only customers.csv written, the previous run is read back from CSV, where ids such as
    /// +49… and =x carry the neutralising '. They must compare by their true values, so nobody is "new" on night 2.
    /// </summary>
    [Test]
    public void SecondRun_CsvOnlyWithFormulaLikeIds_ReportsNoOneAsNew()
    {
        string[] ids = ["+4915112345678", "=x", "'=x", "-5", "@home", "plain"];
        var lines = ids.SelectMany((id, i) => new[] { $"\"{id}\",2025-01-0{i + 1},10", $"\"{id}\",2025-03-0{i + 1},20" });
        var input = _temp.Write("t.csv", "customer_id,date,amount\n" + string.Join("\n", lines) + "\n");
        var outDir = _temp["out"];
        string[] args = ["score", input, "--format", "csv", "--clv-model", "none", "--churn-trainer", "none", "--as-of", "2025-06-01", "--out", outDir];
        var first = Crm.Run(args);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());

        var second = Crm.Run(args);

        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var drift = summary.RootElement.GetProperty("drift");
        Assert.That((drift.GetProperty("new_customers").GetInt32(), drift.GetProperty("gone_customers").GetInt32(), drift.GetProperty("previous_customers").GetInt32()),
            Is.EqualTo((0, 0, ids.Length)));
        Assert.That(SimpleCsv.ParseFile(Path.Combine(outDir, "segments", "changes.csv")), Has.Count.EqualTo(1), "header only");
        var written = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv")).Skip(1).Select(r => r[0]).Order(StringComparer.Ordinal);
        Assert.That(written, Is.EqualTo(new[] { "''=x", "'+4915112345678", "'-5", "'=x", "'@home", "plain" }.Order(StringComparer.Ordinal)),
            "=x and '=x are written differently");
    }

    [Test]
    public void FailOnDrift_AboveTheLimit_ExitsSevenAndKeepsThePreviousOutput()
    {
        var outDir = _temp["out"];
        Assert.That(Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--as-of", "2025-06-01", "--out", outDir).ExitCode, Is.EqualTo(0));
        var before = OutputFolder.ReadAll(outDir);

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--fail-on-drift", "0.0001", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(7), run.ToString());
        Assert.That(run.Error, Does.Contain("drifted").And.Contain("Nothing was published"));
        Assert.That(OutputFolder.ReadAll(outDir), Is.EqualTo(before));
        var relaxed = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--fail-on-drift", "100", "--out", outDir);
        Assert.That(relaxed.ExitCode, Is.EqualTo(0), relaxed.ToString());
    }
}
