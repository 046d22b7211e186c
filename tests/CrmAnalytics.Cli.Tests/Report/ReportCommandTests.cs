using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Report;

/// <summary><c>crm report DIR</c> re-renders the report a run published, from summary.json and the customer table.</summary>
[TestFixture]
public sealed class ReportCommandTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string ScoreSample(string format)
    {
        var outDir = _temp["out"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--surveys", Path.Combine(DatasetPaths.Repository, "samples", "surveys.csv"),
            "--currency", "€", "--format", format, "--out", outDir);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return outDir;
    }

    [Test]
    public void Report_FromCsvOnlyRun_DiffersFromTheRunsReportOnlyInRoundedDigits()
    {
        // customers.csv holds money to cents and probabilities to 6 significant digits (the run used full doubles), so a
        // report re-rendered from it may differ in the last digits of a number, never in its sections, labels or charts' shape.
        var outDir = ScoreSample("csv");
        var report = Path.Combine(outDir, "report.html");
        var published = File.ReadAllText(report);
        File.Delete(report);

        var run = Crm.Run("report", outDir, "--currency", "€");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(Digitless(File.ReadAllText(report)), Is.EqualTo(Digitless(published)));
    }

    private static string Digitless(string html) => System.Text.RegularExpressions.Regex.Replace(html, @"-?\d[\d.,]*(e-?\d+)?", "#");

    [TestCase("parquet")]
    public void Report_FromPublishedRun_ReproducesTheRunsReportByteForByte(string format)
    {
        var outDir = ScoreSample(format);
        var report = Path.Combine(outDir, "report.html");
        var published = File.ReadAllBytes(report);
        File.Delete(report);

        var run = Crm.Run("report", outDir, "--currency", "€");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        // As text first, so a failure shows where the pages part; then byte for byte.
        Assert.That(File.ReadAllText(report), Is.EqualTo(System.Text.Encoding.UTF8.GetString(published)));
        Assert.That(File.ReadAllBytes(report), Is.EqualTo(published));
        Assert.That(OutputFolder.Entries(outDir).Where(e => e != ".crm-output"), Has.None.StartsWith("."), "no temporary file is left behind");
    }

    [Test]
    public void Report_PublishedRun_HasEveryNonChurnSectionWithCharts()
    {
        var html = File.ReadAllText(Path.Combine(ScoreSample("parquet"), "report.html"));

        foreach (var id in new[] { "run", "segments", "pareto", "clv", "nps" })
        {
            Assert.That(html, Does.Contain($"<section id=\"{id}\">"), id);
        }

        Assert.That(html.Split("<svg class=\"chart\"").Length - 1, Is.GreaterThanOrEqualTo(12));
        Assert.That(html, Does.Contain("€"));
    }

    [Test]
    public void Report_FolderWithoutSummary_ExitsThreeAndWritesNothing()
    {
        var dir = _temp["empty"];
        Directory.CreateDirectory(dir);

        var run = Crm.Run("report", dir);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(Directory.EnumerateFileSystemEntries(dir), Is.Empty);
    }

    [Test]
    public void Score_ClvNone_ReportOmitsClvSection()
    {
        var outDir = _temp["out"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--clv-model", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.That(html, Does.Not.Contain("id=\"clv\"").And.Not.Contain("id=\"nps\""));
        Assert.That(html, Does.Contain("id=\"pareto\""));
    }
}
