using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>Every documented exit code of <c>crm score</c> (DESIGN.md, "Exit codes"), each from a real scenario.</summary>
[TestFixture]
public sealed class ScoreExitCodeTests
{
    /// <summary>The slugs of the R rfm package's table plus the catch-all, one file each even when empty.</summary>
    private static readonly string[] DefaultSlugs =
    [
        "champions", "potential-loyalist", "loyal-customers", "promising", "new-customers", "cant-lose-them",
        "at-risk", "need-attention", "about-to-sleep", "lost", "others",
    ];

    private const string ValidCsv = "customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-02,20\n";

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_SampleTransactions_ExitsZeroAndPublishesEveryFile()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var files = OutputFolder.ReadAll(outDir).Keys.Where(k => k != ".crm-output").ToArray();
        string[] expected = ["customers.csv", "customers.parquet", "rejects.csv", "summary.json", .. DefaultSlugs.Select(s => $"segments/{s}.csv")];
        Assert.That(files, Is.SupersetOf(expected));
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var listed = summary.RootElement.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.That(listed, Is.EqualTo(files), "summary.json 'outputs' lists exactly the published files");
    }

    [Test]
    public void Score_SampleTransactions_SegmentFilesPartitionTheCustomerTable()
    {
        var outDir = _temp["out"];

        // With every column in the segment files (the default is a marketer's subset, SegmentColumnsTests), each
        // segment file's rows are exactly that segment's rows of customers.csv.
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--segment-columns", "all", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var customers = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
        var header = customers[0];
        var slugColumn = Array.IndexOf(header, "segment_slug");
        var bySlug = customers.Skip(1).GroupBy(r => r[slugColumn]).ToDictionary(g => g.Key, g => g.Select(r => string.Join('\u0001', r)).ToArray());
        using (Assert.EnterMultipleScope())
        {
            foreach (var slug in DefaultSlugs)
            {
                var rows = SimpleCsv.ParseFile(Path.Combine(outDir, "segments", slug + ".csv"));
                Assert.That(rows[0], Is.EqualTo(header), slug);
                Assert.That(rows.Skip(1).Select(r => string.Join('\u0001', r)), Is.EqualTo(bySlug.GetValueOrDefault(slug, [])), slug);
            }

            Assert.That(bySlug.Keys, Is.SubsetOf(DefaultSlugs));
        }
    }

    [TestCase("--bogus", "--bogus", TestName = "Score_UnknownOption_ExitsTwo")]
    [TestCase("--as-of=2024-02-30", "--as-of", TestName = "Score_ImpossibleAsOfDate_ExitsTwo")]
    [TestCase("--as-of=01/02/2024", "--as-of", TestName = "Score_AsOfNotIso_ExitsTwo")]
    [TestCase("--map=colour=Red", "colour", TestName = "Score_UnknownMapKey_ExitsTwo")]
    [TestCase("--map=customer_id", "customer_id", TestName = "Score_MapEntryWithoutColumn_ExitsTwo")]
    [TestCase("--preset=nope", "nope", TestName = "Score_UnknownPreset_ExitsTwo")]
    [TestCase("--format=xml", "xml", TestName = "Score_FormatXml_ExitsTwo")]
    [TestCase("--max-reject-rate=1.5", "--max-reject-rate", TestName = "Score_RejectRateAboveOne_ExitsTwo")]
    public void Score_BadArgument_ExitsTwoNamingTheProblemAndWritesNothing(string badArgument, string mentioned)
    {
        var input = _temp.Write("in/t.csv", ValidCsv);
        var outDir = _temp["out"];

        var run = Crm.Run("score", input, "--out", outDir, badArgument);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(mentioned));
        Assert.That(OutputFolder.Entries(_temp.Path), Is.EqualTo(new[] { "in" }));
    }

    [Test]
    public void Score_WithoutOut_ExitsTwoNamingTheOption()
    {
        var input = _temp.Write("t.csv", ValidCsv);

        var run = Crm.Run("score", input);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--out"));
    }

    [Test]
    public void Score_MissingInputFile_ExitsThreeNamingTheFile()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", _temp["no-such-export.csv"], "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("no-such-export.csv"));
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [Test]
    public void Score_MappedColumnMissing_ExitsThreeListingTheColumnsFound()
    {
        var input = _temp.Write("t.csv", "cust,day,amount\nA,2024-01-01,10\n");

        var run = Crm.Run("score", input, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("customer_id").And.Contain("'cust', 'day', 'amount'"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Score_EmptyFile_ExitsThree()
    {
        var input = _temp.Write("t.csv", string.Empty);

        var run = Crm.Run("score", input, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("t.csv").And.Contain("empty"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Score_HeaderOnlyFile_ExitsThreeWithNoAcceptedRows()
    {
        var input = _temp.Write("t.csv", "customer_id,date,amount\n");

        var run = Crm.Run("score", input, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("no accepted"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Score_OnlyExcludedRows_ExitsThree()
    {
        // Well-formed but unusable by design: no customer id, or a zero amount. Nothing is malformed, nothing accepted.
        var input = _temp.Write("t.csv", "customer_id,date,amount\n,2024-01-01,10\nA,2024-01-02,0\n");

        var run = Crm.Run("score", input, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    // 100 rows; the threshold is "more than 5 % malformed": 5 bad dates pass (5.00 %), 6 fail (6.00 %).
    [TestCase(5, 0)]
    [TestCase(6, 4)]
    public void Score_BadDatesAroundDefaultThreshold_ExitsAsDocumented(int badDates, int expectedExit)
    {
        var input = _temp.Write("in/t.csv", Transactions(rows: 100, badDates));
        var outDir = _temp["out"];

        var run = Crm.Run("score", input, "--out", outDir, "--churn-trainer", "none");

        Assert.That(run.ExitCode, Is.EqualTo(expectedExit), run.ToString());
        Assert.That(Directory.Exists(outDir), Is.EqualTo(expectedExit == 0));
    }

    [Test]
    public void Score_TooManyBadDates_ExitsFourAndCreatesNothing()
    {
        var input = _temp.Write("in/t.csv", Transactions(rows: 20, badDates: 2));
        var outDir = _temp["out"];

        var run = Crm.Run("score", input, "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        Assert.That(run.Error, Does.Contain("2 of 20 rows are malformed"));
        Assert.That(OutputFolder.Entries(_temp.Path), Is.EqualTo(new[] { "in" }), "no --out folder, temp folder or lock file");
    }

    [Test]
    public void Score_TooManyBadDatesButHigherMaxRejectRate_ExitsZero()
    {
        var input = _temp.Write("in/t.csv", Transactions(rows: 20, badDates: 2));

        var run = Crm.Run("score", input, "--out", _temp["out"], "--max-reject-rate", "0.1", "--churn-trainer", "none");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
    }

    [Test]
    public void Score_OutIsAnExistingFile_ExitsSixAndLeavesTheFile()
    {
        var input = _temp.Write("in/t.csv", ValidCsv);
        var target = _temp.Write("out", "not a folder");

        var run = Crm.Run("score", input, "--out", target);

        Assert.That(run.ExitCode, Is.EqualTo(6), run.ToString());
        Assert.That(File.ReadAllText(target), Is.EqualTo("not a folder"));
        Assert.That(OutputFolder.Entries(_temp.Path), Is.EqualTo(new[] { "in", "out" }));
    }

    [Test]
    public void Score_OutBelowAnExistingFile_ExitsSix()
    {
        var input = _temp.Write("in/t.csv", ValidCsv);
        var file = _temp.Write("blocker", "a file where a folder is needed");

        var run = Crm.Run("score", input, "--out", Path.Combine(file, "out"));

        Assert.That(run.ExitCode, Is.EqualTo(6), run.ToString());
        Assert.That(File.ReadAllText(file), Is.EqualTo("a file where a folder is needed"));
    }

    [Test]
    public void Score_OutInReadOnlyFolder_ExitsSix()
    {
        if (OperatingSystem.IsWindows() || Environment.IsPrivilegedProcess)
        {
            Assert.Ignore("Needs POSIX permissions and a non-root user (root ignores folder permissions).");
            return;
        }

        var input = _temp.Write("in/t.csv", ValidCsv);
        var locked = Directory.CreateDirectory(_temp["locked"]).FullName;
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        var run = Crm.Run("score", input, "--out", Path.Combine(locked, "out"));

        Assert.That(run.ExitCode, Is.EqualTo(6), run.ToString());
        Assert.That(Directory.EnumerateFileSystemEntries(locked), Is.Empty);
    }

    /// <summary>A generic export of <paramref name="rows"/> rows for 10 customers, the first <paramref name="badDates"/> with a date that does not parse.</summary>
    private static string Transactions(int rows, int badDates)
    {
        var text = new StringBuilder("customer_id,date,amount\n");
        for (var i = 0; i < rows; i++)
        {
            var date = i < badDates ? "2024-02-30" : new DateOnly(2024, 1, 1).AddDays(i).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"C{i % 10},{date},{10 + i}\n");
        }

        return text.ToString();
    }
}
