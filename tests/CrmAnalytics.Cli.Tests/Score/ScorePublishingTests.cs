using System.Globalization;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>Publishing is atomic and reruns are reproducible (DESIGN.md, "Write"; the data files carry no clock values).</summary>
[TestFixture]
public sealed class ScorePublishingTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_WhileAnotherRunHoldsTheOutputLock_ExitsEightAndPublishesNothing()
    {
        var parent = Directory.CreateDirectory(_temp["published"]).FullName;
        var outDir = Path.Combine(parent, "DIR");
        var first = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--out", outDir);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        var before = OutputFolder.ReadAll(outDir);

        // Another live run: it holds the OS lock on .DIR.lock.
        using (new FileStream(Path.Combine(parent, ".DIR.lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var second = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--out", outDir);
            Assert.That(second.ExitCode, Is.EqualTo(8), second.ToString());
            Assert.That(second.Error, Does.Contain("Another crm run is publishing"));
        }

        Assert.That(OutputFolder.ReadAll(outDir), Is.EqualTo(before));
        Assert.That(OutputFolder.Entries(parent), Is.EqualTo(new[] { ".DIR.lock", "DIR" }));
    }

    [Test]
    public void Score_AfterAKilledRun_RecoversTheStaleLockAndWarns()
    {
        var parent = Directory.CreateDirectory(_temp["published"]).FullName;
        var outDir = Path.Combine(parent, "DIR");
        File.WriteAllText(Path.Combine(parent, ".DIR.lock"), "pid 4242, started 2026-01-01T02:30:00Z\n");
        Directory.CreateDirectory(Path.Combine(parent, ".DIR.tmp-0123456789abcdef"));

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Error, Does.Contain("recovered the output lock of a run that did not finish (pid 4242"));
        Assert.That(OutputFolder.Entries(parent), Is.EqualTo(new[] { ".DIR.lock", "DIR" }));
    }

    /// <summary>A run that fails after the publisher has started must leave the previous good output byte for byte.</summary>
    [TestCase("customer_id,date,amount\nA,2024-01-01,10\nB,not-a-date,5\n", 4, TestName = "Score_FailingRerunTooManyRejects_LeavesPreviousOutputByteIdentical")]
    [TestCase("customer_id,date,amount\n", 3, TestName = "Score_FailingRerunHeaderOnly_LeavesPreviousOutputByteIdentical")]
    [TestCase("customer_id,date,amount\n,2024-01-01,10\n", 3, TestName = "Score_FailingRerunNoAcceptedRows_LeavesPreviousOutputByteIdentical")]
    public void Score_FailingRerun_LeavesPreviousOutputByteIdentical(string badExport, int expectedExit)
    {
        var parent = Directory.CreateDirectory(_temp["published"]).FullName;
        var outDir = Path.Combine(parent, "DIR");
        var first = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        var before = OutputFolder.ReadAll(outDir);
        var bad = _temp.Write("inputs/bad.csv", badExport);

        var second = Crm.Run("score", bad, "--out", outDir);

        Assert.That(second.ExitCode, Is.EqualTo(expectedExit), second.ToString());
        var after = OutputFolder.ReadAll(outDir);
        Assert.That(after.Keys, Is.EqualTo(before.Keys));
        foreach (var (name, bytes) in before)
        {
            Assert.That(after[name], Is.EqualTo(bytes), name);
        }

        Assert.That(OutputFolder.Entries(parent), Is.EqualTo(new[] { ".DIR.lock", "DIR" }), "no .DIR.tmp-*, .DIR.old-* or per-run lock left next to the output; the output lock stays");
        Assert.That(File.ReadAllText(Path.Combine(parent, ".DIR.lock")), Is.Empty, "the failed run released the output lock cleanly");
    }

    [Test]
    public void Score_SuccessfulRerun_ReplacesOutputWithoutLeftovers()
    {
        var parent = Directory.CreateDirectory(_temp["published"]).FullName;
        var outDir = Path.Combine(parent, "DIR");
        var first = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        Assert.That(File.Exists(Path.Combine(outDir, "segments", "churn-warning.csv")), Is.True);
        var small = _temp.Write("inputs/small.csv", "customer_id,date,amount\nA,2024-01-01,10\n");

        var second = Crm.Run("score", small, "--out", outDir, "--clv-model", "none", "--churn-trainer", "none");

        Assert.That(second.ExitCode, Is.EqualTo(0), second.ToString());
        Assert.That(File.Exists(Path.Combine(outDir, "segments", "churn-warning.csv")), Is.False, "the folder is swapped whole, not merged");
        Assert.That(SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv")), Has.Count.EqualTo(2));
        Assert.That(OutputFolder.Entries(parent), Is.EqualTo(new[] { ".DIR.lock", "DIR" }));
    }

    [Test]
    public void Score_SameInputTwice_WritesByteIdenticalDataFiles()
    {
        var a = _temp["a"];
        var b = _temp["b"];

        var runA = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", a);
        var runB = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", b);

        Assert.That((runA.ExitCode, runB.ExitCode), Is.EqualTo((0, 0)), runA + "\n" + runB);
        AssertSameDataFiles(a, b);
    }

    /// <param name="culture">de-DE writes decimal commas; th-TH counts years in the Buddhist era (2024 is 2567), which the
    /// Excel dialect's dates took until 2026-11-29.</param>
    [TestCase("de-DE", "rfc4180")]
    [TestCase("th-TH", "excel")]
    public void Score_UnderAnotherCulture_WritesSameDataFilesAsInvariant(string culture, string dialect)
    {
        var invariant = _temp["invariant"];
        var german = _temp["german"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--csv-dialect", dialect, "--out", invariant);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());

        var saved = (CultureInfo.CurrentCulture, CultureInfo.DefaultThreadCurrentCulture);
        CliResult germanRun;
        try
        {
            var other = CultureInfo.GetCultureInfo(culture);
            CultureInfo.CurrentCulture = other;
            CultureInfo.DefaultThreadCurrentCulture = other;
            Assert.That(new DateOnly(2024, 1, 1).ToString("yyyy", CultureInfo.CurrentCulture) + (12.5).ToString(CultureInfo.CurrentCulture), Is.Not.EqualTo("202412.5"), "the culture switch took effect");
            germanRun = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--csv-dialect", dialect, "--out", german);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.DefaultThreadCurrentCulture) = saved;
        }

        Assert.That(germanRun.ExitCode, Is.EqualTo(0), germanRun.ToString());
        AssertSameDataFiles(invariant, german);
    }

    /// <summary>
    /// Every published file except summary.json and report.html (which show start/finish times, timings and the folder
    /// name; HtmlReportTests checks the report renders the same under de-DE) and the ownership marker (its run id).
    /// </summary>
    private static void AssertSameDataFiles(string first, string second)
    {
        var a = OutputFolder.ReadAll(first);
        var b = OutputFolder.ReadAll(second);
        a.Remove("summary.json");
        b.Remove("summary.json");
        Assert.That(a.Remove(".crm-output") && b.Remove(".crm-output"), Is.True, "both runs mark their output");
        Assert.That(a.Remove("report.html") && b.Remove("report.html"), Is.True, "both runs publish report.html");
        Assert.That(a.Keys, Is.EqualTo(b.Keys));
        Assert.That(a.Keys, Does.Contain("customers.csv").And.Contain("segments/champions.csv").And.Contain("segments/others.csv"));
        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, bytes) in a)
            {
                Assert.That(b[name], Is.EqualTo(bytes), name);
            }
        }
    }
}
