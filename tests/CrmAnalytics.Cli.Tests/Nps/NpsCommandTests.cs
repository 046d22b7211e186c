using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Nps;

/// <summary><c>crm nps</c> and <c>crm score --surveys</c> on the committed sample survey (samples/surveys.csv).</summary>
[TestFixture]
public sealed class NpsCommandTests
{
    private TempFolder _temp = null!;

    private static string SampleSurveys => Path.Combine(DatasetPaths.Repository, "samples", "surveys.csv");

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>The sample's valid rows, parsed independently of the engine: (customer, score, date), in file order.</summary>
    private static List<(string Customer, int Score, string Date)> ValidSampleRows()
    {
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(SampleSurveys));
        var rows = new List<(string, int, string)>();
        foreach (var record in SimpleCsv.Parse(text).Skip(1))
        {
            if (int.TryParse(record[2], NumberStyles.None, CultureInfo.InvariantCulture, out var score) && score <= 10
                && DateOnly.TryParseExact(record[3], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                rows.Add((record[1], score, record[3]));
            }
        }

        return rows;
    }

    [Test]
    public void Nps_SampleJson_CountsMatchAnIndependentTallyAndRejectsAreAccounted()
    {
        var run = Crm.Run("nps", SampleSurveys, "--json");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        var valid = ValidSampleRows();
        var promoters = valid.Count(r => r.Score >= 9);
        var detractors = valid.Count(r => r.Score <= 6);
        var overall = root.GetProperty("overall");
        var input = root.GetProperty("input");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(overall.GetProperty("responses").GetInt64(), Is.EqualTo(valid.Count));
            Assert.That(overall.GetProperty("promoters").GetInt64(), Is.EqualTo(promoters));
            Assert.That(overall.GetProperty("detractors").GetInt64(), Is.EqualTo(detractors));
            Assert.That(overall.GetProperty("nps").GetDouble(), Is.EqualTo(100.0 * (promoters - detractors) / valid.Count).Within(1e-9));
            Assert.That(input.GetProperty("rows_read").GetInt64(), Is.EqualTo(427));
            Assert.That(input.GetProperty("rows_read").GetInt64(), Is.EqualTo(input.GetProperty("rows_accepted").GetInt64() + input.GetProperty("rows_rejected").GetInt64()));
            Assert.That(input.GetProperty("rejects_by_reason").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()), Is.EquivalentTo(new Dictionary<string, long>
            {
                ["missing_score"] = 2,
                ["non_integer_score"] = 1,
                ["score_out_of_range"] = 1,
                ["unparseable_date"] = 1,
            }));
            Assert.That(root.GetProperty("fields_decoded_with_fallback").GetInt64(), Is.EqualTo(1), "one comment has a Latin-1 byte; its row still counts");
            Assert.That(root.GetProperty("by_month").GetArrayLength(), Is.EqualTo(valid.Select(r => r.Date[..7]).Distinct().Count()));
        }
    }

    [Test]
    public void Nps_Table_PrintsOverallAndFlagsSmallGroups()
    {
        var run = Crm.Run("nps", SampleSurveys, "--nps-min-responses", "130");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("all ").And.Contain("app *").And.Contain("email "));
        Assert.That(run.Error, Does.Not.Contain("ten out of ten"));
    }

    [Test]
    public void Nps_ThresholdExceeded_ExitsFour()
    {
        var file = _temp.Write("bad.csv", "customer_id,score\na,11\nb,12\nc,9\n");

        Assert.That(Crm.Run("nps", file).ExitCode, Is.EqualTo(4));
    }

    [Test]
    public void Nps_UnknownMapKey_ExitsTwo() =>
        Assert.That(Crm.Run("nps", SampleSurveys, "--map", "stars=score").ExitCode, Is.EqualTo(2));

    [Test]
    public void Score_WithSurveys_AddsLatestResponseColumnsNpsSectionAndSurveyRejects()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--surveys", SampleSurveys, "--out", outDir);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var customers = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
        var header = customers[0];
        int Col(string name) => Array.IndexOf(header, name);
        var latest = ValidSampleRows()
            .Select((r, i) => (r, i))
            .GroupBy(x => x.r.Customer)
            .ToDictionary(g => g.Key, g => g.OrderBy(x => x.r.Date, StringComparer.Ordinal).ThenBy(x => x.i).Last().r);
        var rows = customers.Skip(1).ToList();
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var nps = summary.RootElement.GetProperty("nps");
        var rejects = File.ReadAllText(Path.Combine(outDir, "rejects.csv"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(header[^3..], Is.EqualTo(new[] { "nps_score", "nps_category", "nps_response_date" }));
            foreach (var row in rows)
            {
                var id = row[Col("customer_id")];
                if (latest.TryGetValue(id, out var expected))
                {
                    Assert.That((row[Col("nps_score")], row[Col("nps_response_date")]), Is.EqualTo((expected.Score.ToString(CultureInfo.InvariantCulture), expected.Date)), id);
                    Assert.That(row[Col("nps_category")], Is.EqualTo(expected.Score >= 9 ? "promoter" : expected.Score >= 7 ? "passive" : "detractor"), id);
                }
                else
                {
                    Assert.That(row[Col("nps_score")] + row[Col("nps_category")] + row[Col("nps_response_date")], Is.Empty, id);
                }
            }

            Assert.That(nps.GetProperty("customers_with_response").GetInt64(), Is.EqualTo(rows.Count(r => latest.ContainsKey(r[0]))));
            Assert.That(nps.GetProperty("by_segment").EnumerateArray().Sum(g => g.GetProperty("responses").GetInt64()), Is.EqualTo(nps.GetProperty("customers_with_response").GetInt64()));
            Assert.That(nps.GetProperty("by_lifecycle").GetArrayLength(), Is.GreaterThan(0));
            Assert.That(nps.GetProperty("by_value_tier").GetArrayLength(), Is.EqualTo(2));
            Assert.That(summary.RootElement.GetProperty("inputs").GetArrayLength(), Is.EqualTo(2));
            Assert.That(rejects, Does.Contain("surveys.csv,422,score,score_out_of_range"));
            Assert.That(rejects, Does.Not.Contain("ten out of ten"), "survey comments never reach rejects.csv");
        }
    }

    [Test]
    public void Score_WithoutSurveys_HasNoNpsColumnsAndNullSection()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"))[0], Has.None.StartsWith("nps_"));
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("nps").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public void Score_SurveysTooManyBadRows_ExitsFourAndPublishesNothing()
    {
        var outDir = _temp["out"];
        var surveys = _temp.Write("bad.csv", "customer_id,score\n10000,11\n10001,12\n10002,9\n");

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--surveys", surveys, "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [Test]
    public void Nps_Out_PublishesTheSameRejectLinesAsScoreWithSurveys()
    {
        var scored = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--surveys", SampleSurveys, "--clv-model", "none", "--churn-trainer", "none", "--out", _temp["score"]);
        Assert.That(scored.ExitCode, Is.Zero, scored.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp["score"], "summary.json")));
        var asOf = summary.RootElement.GetProperty("as_of").GetString()!;
        var outDir = _temp["nps"];

        var run = Crm.Run("nps", SampleSurveys, "--as-of", asOf, "--out", outDir);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var rejects = SimpleCsv.ParseFile(Path.Combine(outDir, "rejects.csv"));
        var fromScore = SimpleCsv.ParseFile(Path.Combine(_temp["score"], "rejects.csv")).Where(r => r[0] == "surveys.csv");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(OutputFolder.Entries(outDir), Is.EqualTo(new[] { ".crm-output", "rejects.csv" }));
            Assert.That(rejects[0], Is.EqualTo(new[] { "file", "line", "column", "reason", "raw_record" }));
            Assert.That(rejects.Skip(1), Is.EqualTo(fromScore), "the same rules and format as crm score's rejects.csv");
            Assert.That(rejects.Skip(1).Select(r => r[3]), Is.EquivalentTo(new[] { "missing_score", "missing_score", "non_integer_score", "score_out_of_range", "unparseable_date" }));
        }
    }

    [Test]
    public void Nps_OutIsAUserFolder_ExitsSixAndKeepsItsFiles()
    {
        var outDir = _temp["mine"];
        var own = _temp.Write("mine/notes.txt", "mine");

        var run = Crm.Run("nps", SampleSurveys, "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(6), run.ToString());
        Assert.That(OutputFolder.Entries(outDir), Is.EqualTo(new[] { "notes.txt" }));
        Assert.That(File.ReadAllText(own), Is.EqualTo("mine"));
    }

    [Test]
    public void Nps_OutWithTooManyBadRows_ExitsFourAndPublishesNothing()
    {
        var file = _temp.Write("bad.csv", "customer_id,score\na,11\nb,12\nc,9\n");

        var run = Crm.Run("nps", file, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }
}
