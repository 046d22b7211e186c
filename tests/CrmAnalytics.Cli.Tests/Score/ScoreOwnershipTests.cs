using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>
/// Issue 17 items 1 and 2: <c>--out</c> replaces only a folder crm owns (missing, empty, or its own earlier output) and
/// never one that holds an input; every refusal is exit 6 with the folder named, before any data is read.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ScoreOwnershipTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private string SampleCopy(string name) => _temp.Write(name, File.ReadAllText(Crm.SampleTransactions));

    private static CliResult Score(string input, string outDir, params string[] more) =>
        Crm.Run(["score", input, "--preset", "sample", "--clv-model", "none", "--churn-trainer", "none", "--out", outDir, .. more]);

    private static void AssertRefused(CliResult run, string folder, string reason)
    {
        Assert.That(run.ExitCode, Is.EqualTo(6), run.ToString());
        Assert.That(run.Error, Does.Contain($"'{Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))}'").And.Contain(reason));
    }

    /// <summary>An output as crm versions before the ownership marker left it.</summary>
    private (string Input, string OutDir) PublishedWithoutMarker()
    {
        var input = SampleCopy("t.csv");
        var outDir = _temp["out"];
        Assert.That(Score(input, outDir).ExitCode, Is.EqualTo(0));
        File.Delete(Path.Combine(outDir, ".crm-output"));
        return (input, outDir);
    }

    [Test]
    public void Score_OutIsAUserFolder_ExitsSixAndKeepsItsFiles()
    {
        // The export is unreadable (exit 3 if it were read): exit 6 proves the folder is refused before reading.
        var input = _temp.Write("t.csv", "no,such,columns\n1,2,3\n");
        var userDir = _temp["userdir"];
        _temp.Write("userdir/thesis.docx", "x");

        var run = Score(input, userDir);

        AssertRefused(run, userDir, "it holds 'thesis.docx', which crm did not write");
        Assert.That(OutputFolder.Entries(userDir), Is.EqualTo(new[] { "thesis.docx" }));
        Assert.That(File.ReadAllText(Path.Combine(userDir, "thesis.docx")), Is.EqualTo("x"));
    }

    [Test]
    public void Score_OutIsTheExportsFolder_ExitsSixAndKeepsTheExport()
    {
        var input = SampleCopy("exportdir/export.csv");
        var before = File.ReadAllBytes(input);

        var run = Score(input, _temp["exportdir"]);

        AssertRefused(run, _temp["exportdir"], "holds the input");
        Assert.That(File.ReadAllBytes(input), Is.EqualTo(before));
    }

    [Test]
    public void Score_OutIsAnAncestorOfTheExportsFolder_ExitsSix()
    {
        var input = SampleCopy("data/exports/2025/export.csv");

        var run = Score(input, _temp["data"]);

        AssertRefused(run, _temp["data"], "holds the input");
        Assert.That(File.Exists(input), Is.True);
    }

    [Test]
    public void Score_OutIsALinkToTheExportsFolder_ExitsSix()
    {
        var input = SampleCopy("exportdir/export.csv");
        var link = _temp["link"];
        Directory.CreateSymbolicLink(link, _temp["exportdir"]);

        var run = Score(input, link);

        AssertRefused(run, link, "holds the input");
        Assert.That(File.Exists(input), Is.True);
    }

    [Test]
    public void Score_OutIsTheCurrentFolderHoldingUserFiles_ExitsSixAndKeepsThem()
    {
        var input = SampleCopy("t.csv");
        var sub = _temp["sub"];
        _temp.Write("sub/notes.txt", "mine");
        var cwd = Environment.CurrentDirectory;
        CliResult run;
        try
        {
            Environment.CurrentDirectory = sub;
            run = Score("../t.csv", ".");
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }

        AssertRefused(run, sub, "it holds 'notes.txt'");
        Assert.That(File.ReadAllText(Path.Combine(sub, "notes.txt")), Is.EqualTo("mine"));
        Assert.That(File.Exists(input), Is.True);
    }

    [Test]
    public void Score_EmptyFolder_PublishesWithAMarkerListingEveryFile()
    {
        var input = SampleCopy("t.csv");
        var outDir = _temp["out"];
        Directory.CreateDirectory(outDir);

        var run = Score(input, outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var marker = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, ".crm-output")));
        Assert.That(marker.RootElement.GetProperty("tool").GetString(), Is.EqualTo("crm"));
        Assert.That(marker.RootElement.GetProperty("run_id").GetString(), Is.Not.Empty);
        var listed = marker.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetString()).ToArray();
        Assert.That(listed, Is.EqualTo(OutputFolder.ReadAll(outDir).Keys.Where(k => k != ".crm-output").ToArray()));
    }

    [Test]
    public void Score_OwnOutputWithAFileAddedLater_ExitsSixAndKeepsEverything()
    {
        var input = SampleCopy("t.csv");
        var outDir = _temp["out"];
        Assert.That(Score(input, outDir).ExitCode, Is.EqualTo(0));
        _temp.Write("out/segments/my-campaign.xlsx", "mine");
        var before = OutputFolder.ReadAll(outDir);

        var run = Score(input, outDir);

        AssertRefused(run, outDir, "it holds 'segments/my-campaign.xlsx'");
        Assert.That(OutputFolder.ReadAll(outDir), Is.EqualTo(before));
    }

    [Test]
    public void Score_OutputFromBeforeTheMarker_IsReplaced()
    {
        var (input, outDir) = PublishedWithoutMarker();

        var run = Score(input, outDir, "--as-of", "2025-11-01");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.ReadAllText(Path.Combine(outDir, "summary.json")), Does.Contain("\"2025-11-01\""));
    }

    [Test]
    public void Score_OutputFromBeforeTheMarkerWithAForeignFile_ExitsSix()
    {
        var (input, outDir) = PublishedWithoutMarker();
        _temp.Write("out/readme.txt", "mine");

        var run = Score(input, outDir);

        AssertRefused(run, outDir, "it holds 'readme.txt'");
    }

    [Test]
    public void Score_WithoutKeepIntoAHistoryRoot_ExitsSixAndKeepsTheHistory()
    {
        var input = SampleCopy("t.csv");
        var root = _temp["history"];
        Assert.That(Score(input, root, "--keep", "2").ExitCode, Is.EqualTo(0));
        var before = OutputFolder.ReadAll(root);

        var run = Score(input, root);

        AssertRefused(run, root, "is a run history made by --keep");
        Assert.That(run.Error, Does.Contain("pass --keep N"));
        Assert.That(OutputFolder.ReadAll(root), Is.EqualTo(before));
    }

    [Test]
    public void ClvEvaluate_OutIsAUserFolder_ExitsSixAndKeepsItsFiles()
    {
        var input = SampleCopy("t.csv");
        _temp.Write("userdir/thesis.docx", "x");

        var run = Crm.Run("clv", "evaluate", input, "--preset", "sample", "--calibration-end", "2025-06-01", "--out", _temp["userdir"]);

        AssertRefused(run, _temp["userdir"], "it holds 'thesis.docx'");
        Assert.That(File.Exists(_temp["userdir/thesis.docx"]), Is.True);
    }

    [Test]
    public void ChurnEvaluate_OutIsTheExportsFolder_ExitsSixAndKeepsTheExport()
    {
        var input = SampleCopy("exportdir/export.csv");

        var run = Crm.Run("churn", "evaluate", input, "--preset", "sample", "--out", _temp["exportdir"]);

        AssertRefused(run, _temp["exportdir"], "holds the input");
        Assert.That(File.Exists(input), Is.True);
    }

    [Test]
    public void Run_OutIsTheJobFilesFolder_ExitsSixAndKeepsTheJob()
    {
        var input = SampleCopy("t.csv");
        var job = _temp.Write("jobs/nightly.json", $$"""{ "transactions": {{JsonSerializer.Serialize(input)}}, "preset": "sample", "out": ".", "clv-model": "none", "churn-trainer": "none" }""");

        var run = Crm.Run("run", job);

        AssertRefused(run, _temp["jobs"], "holds the input");
        Assert.That(File.Exists(job), Is.True);
    }
}
