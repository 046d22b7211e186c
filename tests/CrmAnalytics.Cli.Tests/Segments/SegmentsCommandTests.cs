using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Segments;

[TestFixture]
public sealed class SegmentsCommandTests
{
    /// <summary>
    /// The cells the R rfm package's table (as in RfmSegmentRules.Default's remarks) leaves to Others, worked out by
    /// hand from the ten boxes: e.g. 215 is R2 F1 M5, outside About To Sleep (M1–4) and every R2 box with F1.
    /// </summary>
    private static readonly string[] UncoveredByDefault = ["215", "241", "251", "252", "341", "351", "441", "451", "541", "551"];

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Default_Run_PrintsTheTenRuleTableAsJson()
    {
        var run = Crm.Run("segments", "default");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var slugs = json.RootElement.GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("slug").GetString()).ToArray();
        Assert.That(slugs, Is.EqualTo(new[]
        {
            "champions", "potential-loyalist", "loyal-customers", "promising", "new-customers",
            "cant-lose-them", "at-risk", "need-attention", "about-to-sleep", "lost",
        }));
    }

    [Test]
    public void Lint_DefaultRules_ExitsZeroAndListsTheUncoveredCells()
    {
        var rules = WriteDefaultRules();

        var run = Crm.Run("segments", "lint", rules);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("10 uncovered"));
        var line = run.Output.Split('\n').Single(l => l.StartsWith("Uncovered cells", StringComparison.Ordinal));
        var cells = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.TrimEntries);
        Assert.That(cells, Is.EqualTo(UncoveredByDefault));
    }

    [Test]
    public void Lint_DefaultRulesStrict_ExitsTwo()
    {
        var rules = WriteDefaultRules();

        var run = Crm.Run("segments", "lint", rules, "--strict");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Output, Does.Contain("Not clean"));
    }

    [Test]
    public void Lint_CompleteRulesStrict_ExitsZero()
    {
        // A second rule that covers every cell: nothing is uncovered and both rules win cells.
        var rules = _temp.Write("complete.json", """
            { "segments": [
              { "name": "Champions", "slug": "champions", "r": [5, 5], "f": [5, 5], "m": [5, 5] },
              { "name": "Everyone Else", "slug": "everyone-else", "r": [1, 5], "f": [1, 5], "m": [1, 5] }
            ] }
            """);

        var run = Crm.Run("segments", "lint", rules, "--strict");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("0 uncovered").And.Contain("Clean."));
    }

    [TestCase("{ \"segments\": [ { \"name\": \"Champions\", \"r\": [5, 5] ", TestName = "Lint_TruncatedJson_ExitsTwoNamingTheFile")]
    [TestCase("{ \"segments\": [ { \"name\": \"Champions\", \"r\": [5, 6], \"f\": [5, 5], \"m\": [5, 5] } ] }", TestName = "Lint_ScoreOutOfRange_ExitsTwoNamingTheFile")]
    [TestCase("{ \"segments\": [] }", TestName = "Lint_NoSegments_ExitsTwoNamingTheFile")]
    public void Lint_InvalidRules_ExitsTwoNamingTheFile(string json)
    {
        var rules = _temp.Write("broken-rules.json", json);

        var run = Crm.Run("segments", "lint", rules);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("broken-rules.json"));
    }

    [Test]
    public void Lint_MissingFile_ExitsTwoNamingTheFile()
    {
        var run = Crm.Run("segments", "lint", _temp["no-such-rules.json"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("no-such-rules.json"));
    }

    [Test]
    public void Score_WithMalformedSegmentsFile_ExitsTwoNamingTheFile()
    {
        var input = _temp.Write("t.csv", "customer_id,date,amount\nA,2024-01-01,10\n");
        var rules = _temp.Write("broken-rules.json", "{ \"segments\": [ ");

        var run = Crm.Run("score", input, "--out", _temp["out"], "--segments", rules);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("broken-rules.json"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    /// <summary>Issue 17 item 15: slugs that collide with crm's own files, device names, over-long or duplicate slugs.</summary>
    [TestCase("changes", "is reserved")]
    [TestCase("churn-high-risk", "is reserved")]
    [TestCase("aux", "is reserved")]
    [TestCase("champions", "duplicates segments[0]")]
    public void Lint_BadSlug_ExitsTwoNamingTheRule(string slug, string reason)
    {
        var rules = WriteRulesWithSecondSlug(slug);

        var run = Crm.Run("segments", "lint", rules);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("bad-slug.json").And.Contain($"segments[1] \"Second\": slug \"{slug}\"").And.Contain(reason));
    }

    [Test]
    public void Lint_SlugOverTheLengthLimit_ExitsTwo()
    {
        var rules = WriteRulesWithSecondSlug(new string('x', 101));

        var run = Crm.Run("segments", "lint", rules);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("more than 100"));
    }

    [Test]
    public void Score_ReservedSlug_ExitsTwoBeforeReadingTheData()
    {
        // The export is unreadable (exit 3 if it were read): exit 2 proves the rules are checked first.
        var input = _temp.Write("t.csv", "no,such,columns\n1,2,3\n");
        var rules = WriteRulesWithSecondSlug("changes");

        var run = Crm.Run("score", input, "--out", _temp["out"], "--segments", rules);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("slug \"changes\" is reserved"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void RunCheck_ReservedSlug_ExitsTwo()
    {
        var rules = WriteRulesWithSecondSlug("churn-high-risk");
        var job = _temp.Write("job.json", $$"""{ "transactions": {{System.Text.Json.JsonSerializer.Serialize(Crm.SampleTransactions)}}, "preset": "sample", "out": "out", "segments": "bad-slug.json" }""");

        var run = Crm.Run("run", "--check", job);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("slug \"churn-high-risk\" is reserved"));
        Assert.That(rules, Does.Exist);
    }

    private string WriteRulesWithSecondSlug(string slug) => _temp.Write("bad-slug.json", $$"""
        { "segments": [
          { "name": "First", "slug": "champions", "r": [5, 5], "f": [1, 5], "m": [1, 5] },
          { "name": "Second", "slug": "{{slug}}", "r": [1, 4], "f": [1, 5], "m": [1, 5] } ] }
        """);

    private string WriteDefaultRules()
    {
        var run = Crm.Run("segments", "default");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        return _temp.Write("rules.json", run.Output);
    }
}
