using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.History;

/// <summary><c>--keep N</c>: dated run history, an atomically switched <c>latest</c> link, retention, reproducible runs.</summary>
[TestFixture]
[NonParallelizable]
public sealed class HistoryTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static string[] Runs(string root) =>
        Directory.GetDirectories(Path.Combine(root, "runs")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Test]
    public void KeepTwo_ThreeRuns_KeepsTheNewestTwoAndLatestPointsAtTheLast()
    {
        var root = _temp["crm"];
        foreach (var asOf in new[] { "2025-10-01", "2025-11-01", "2025-12-01" })
        {
            var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--as-of", asOf, "--keep", "2", "--out", root);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        }

        var runs = Runs(root);
        Assert.That(runs, Has.Length.EqualTo(2));
        Assert.That(runs.Select(r => r[..10]), Is.EqualTo(new[] { "2025-11-01", "2025-12-01" }), "runs/<as-of>_<run-id>, the oldest removed");
        var link = new DirectoryInfo(Path.Combine(root, "latest"));
        Assert.That(link.LinkTarget, Is.EqualTo(Path.Combine("runs", runs[1])), "latest is a relative link to the newest run");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "latest", "summary.json")));
        Assert.That(summary.RootElement.GetProperty("as_of").GetString(), Is.EqualTo("2025-12-01"));
        Assert.That(summary.RootElement.GetProperty("drift").GetProperty("previous_as_of").GetString(), Is.EqualTo("2025-11-01"), "drift compares with the previous latest");
        Assert.That(File.Exists(Path.Combine(root, "latest", "segments", "changes.csv")), Is.True);
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(root, "runs")).Select(Path.GetFileName), Is.All.Not.StartsWith("."), "no working folders or locks left in runs/");
    }

    [Test]
    public void SameJobTwice_DataFilesAreByteIdentical()
    {
        var root = _temp["crm"];
        for (var i = 0; i < 2; i++)
        {
            var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--keep", "5", "--out", root);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        }

        var runs = Runs(root);
        Assert.That(runs, Has.Length.EqualTo(2));
        var a = OutputFolder.ReadAll(Path.Combine(root, "runs", runs[0]));
        var b = OutputFolder.ReadAll(Path.Combine(root, "runs", runs[1]));
        // summary.json and report.html carry the clock and the drift of the second run; every data file must match.
        string[] clocked = ["summary.json", "report.html", "segments/changes.csv"];
        Assert.That(b.Keys.Except(clocked), Is.EqualTo(a.Keys.Except(clocked)));
        foreach (var file in a.Keys.Except(clocked))
        {
            Assert.That(b[file], Is.EqualTo(a[file]), file);
        }
    }
}
