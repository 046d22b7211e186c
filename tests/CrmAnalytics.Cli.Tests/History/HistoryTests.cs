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

    private static void ScoreAsOf(string root, int keep, params string[] asOfs)
    {
        foreach (var asOf in asOfs)
        {
            var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--as-of", asOf, "--keep", keep.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", root);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        }
    }

    private static string[] Runs(string root) =>
        Directory.GetDirectories(Path.Combine(root, "runs")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Test]
    public void KeepTwo_ThreeRuns_KeepsTheNewestTwoAndLatestPointsAtTheLast()
    {
        var root = _temp["crm"];
        ScoreAsOf(root, 2, "2025-10-01", "2025-11-01", "2025-12-01");

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
        string[] clocked = ["summary.json", "report.html", "segments/changes.csv", ".crm-output"];
        Assert.That(b.Keys.Except(clocked), Is.EqualTo(a.Keys.Except(clocked)));
        foreach (var file in a.Keys.Except(clocked))
        {
            Assert.That(b[file], Is.EqualTo(a[file]), file);
        }
    }

    /// <summary>Issue 17 item 19: a failed first run removes the folders it created and its lock.</summary>
    [TestCase("a/b/crm")]
    [TestCase("crm")]
    public void KeepFirstRunFails_LeavesNeitherTheFoldersNorTheLock(string root)
    {
        var input = _temp.Write("t.csv", "no,such,columns\n1,2,3\n");

        var run = Crm.Run("score", input, "--keep", "2", "--out", _temp[root]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(OutputFolder.Entries(_temp.Path), Is.EqualTo(new[] { "t.csv" }));
    }

    /// <summary>
    /// The backfill rule: retention keeps the newest N runs by as-of; latest points at the newest as-of, so a backfill
    /// among the N newest is published without moving latest.
    /// </summary>
    [Test]
    public void KeepTwo_BackfillOlderThanLatest_PublishedAndLatestStaysAtTheNewest()
    {
        var root = _temp["crm"];
        ScoreAsOf(root, 2, "2025-12-01", "2025-11-01");

        var runs = Runs(root);
        Assert.That(runs.Select(r => r[..10]), Is.EqualTo(new[] { "2025-11-01", "2025-12-01" }));
        Assert.That(new DirectoryInfo(Path.Combine(root, "latest")).LinkTarget, Is.EqualTo(Path.Combine("runs", runs[1])), "latest stays at the newest as-of");
    }

    [Test]
    public void KeepTwo_BackfillOlderThanTheKeptRuns_ExitsTwoAndChangesNothing()
    {
        var root = _temp["crm"];
        ScoreAsOf(root, 2, "2025-11-01", "2025-12-01");

        var before = OutputFolder.ReadAll(root);
        var latest = new DirectoryInfo(Path.Combine(root, "latest")).LinkTarget;

        var backfill = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--as-of", "2025-10-01", "--keep", "2", "--out", root);

        Assert.That(backfill.ExitCode, Is.EqualTo(2), backfill.ToString());
        Assert.That(backfill.Error, Does.Contain("older than the 2 newest runs").And.Contain("Raise --keep"));
        Assert.That(OutputFolder.ReadAll(root), Is.EqualTo(before));
        Assert.That(new DirectoryInfo(Path.Combine(root, "latest")).LinkTarget, Is.EqualTo(latest));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(root, "runs")), Has.Length.EqualTo(2), "no working folder left");
    }

    [Test]
    public void Keep_LatestIsARealFolder_ExitsSixNamingItAndKeepsIt()
    {
        var root = _temp["crm"];
        _temp.Write("crm/latest/notes.txt", "mine");
        Directory.CreateDirectory(Path.Combine(root, "runs"));

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--keep", "2", "--out", root);

        Assert.That(run.ExitCode, Is.EqualTo(6), run.ToString());
        Assert.That(run.Error, Does.Contain($"'{Path.Combine(root, "latest")}' is a real folder, not the link --keep makes"));
        Assert.That(File.ReadAllText(Path.Combine(root, "latest", "notes.txt")), Is.EqualTo("mine"));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(root, "runs")), Is.Empty);
    }

    [Test]
    public void Keep_IntoAUserFolder_ExitsSixAndKeepsItsFiles()
    {
        var root = _temp["userdir"];
        _temp.Write("userdir/thesis.docx", "x");

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--keep", "2", "--out", root);

        Assert.That(run.ExitCode, Is.EqualTo(6), run.ToString());
        Assert.That(run.Error, Does.Contain($"'{root}' is not a run history made by --keep: it holds 'thesis.docx'"));
        Assert.That(OutputFolder.Entries(root), Is.EqualTo(new[] { "thesis.docx" }));
    }

    [Test]
    public void KeepOne_EntriesPutIntoRuns_AreNeverPrunedButKilledRunLeftoversAre()
    {
        var root = _temp["crm"];
        _temp.Write("crm/runs/my-notes/a.txt", "mine");
        _temp.Write("crm/runs/.hidden-notes", "mine too");
        var killed = _temp.Write("crm/runs/.20250101T000000000Z-abcd.tmp-0123456789abcdef/customers.csv", "half-written");
        ScoreAsOf(root, 1, "2025-11-01", "2025-12-01");

        Assert.That(Runs(root).Select(r => r.Length > 10 ? r[..10] : r), Is.EqualTo(new[] { "2025-12-01", "my-notes" }));
        Assert.That(File.ReadAllText(Path.Combine(root, "runs", "my-notes", "a.txt")), Is.EqualTo("mine"));
        Assert.That(File.ReadAllText(Path.Combine(root, "runs", ".hidden-notes")), Is.EqualTo("mine too"));
        Assert.That(Path.GetDirectoryName(killed), Does.Not.Exist, "a killed run's working folder is removed");
    }
}
