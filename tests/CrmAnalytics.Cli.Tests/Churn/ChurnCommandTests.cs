using System.Globalization;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Churn;

/// <summary>Churn from the command line: in-run training in <c>crm score</c>, model files, refusal of mismatched models.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ChurnCommandTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_Sample_WritesChurnColumnsWarningListAndSummary()
    {
        var outDir = _temp["out"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());

        var rows = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
        var header = rows[0];
        int Col(string name) => Array.IndexOf(header, name);
        var probabilities = rows.Skip(1).Select(r => double.Parse(r[Col("churn_probability")], CultureInfo.InvariantCulture)).ToArray();
        Assert.That(probabilities, Is.All.InRange(0.0, 1.0));
        foreach (var r in rows.Skip(1))
        {
            var p = double.Parse(r[Col("churn_probability")], CultureInfo.InvariantCulture);
            Assert.That(r[Col("churn_risk")], Is.EqualTo(p >= 0.7 ? "high" : p >= 0.4 ? "medium" : "low"));
        }

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var churn = summary.RootElement.GetProperty("churn");
        var features = churn.GetProperty("features").EnumerateArray().Select(f => f.GetString()).ToHashSet();
        var reasons = rows.Skip(1).SelectMany(r => new[] { r[Col("churn_reason_1")], r[Col("churn_reason_2")], r[Col("churn_reason_3")] }).Where(x => x.Length > 0).ToArray();
        Assert.That(reasons, Is.Not.Empty);
        Assert.That(reasons, Is.All.Matches<string>(features.Contains), "reasons are feature names of the model");

        var bands = churn.GetProperty("risk_bands");
        Assert.That(bands.GetProperty("high").GetInt32() + bands.GetProperty("medium").GetInt32() + bands.GetProperty("low").GetInt32(), Is.EqualTo(rows.Count - 1));
        Assert.That(churn.GetProperty("source").GetString(), Is.EqualTo("trained_in_run"));
        var evaluation = churn.GetProperty("evaluation");
        Assert.That(evaluation.GetProperty("model").GetProperty("calibration").GetArrayLength(), Is.EqualTo(10));
        Assert.That(evaluation.GetProperty("baselines").EnumerateArray().Select(b => b.GetProperty("name").GetString()), Is.EqualTo(new[] { "recency", "bgnbd_1_minus_p_alive" }));

        // The warning list: exactly the high-risk customers, by expected value lost = probability × clv_12m, descending.
        var list = SimpleCsv.ParseFile(Path.Combine(outDir, "segments", "churn-high-risk.csv"));
        Assert.That(list.Count - 1, Is.EqualTo(bands.GetProperty("high").GetInt32()));
        var lh = list[0];
        var lost = list.Skip(1).Select(r => double.Parse(r[Array.IndexOf(lh, "expected_value_lost")], CultureInfo.InvariantCulture)).ToArray();
        Assert.That(lost, Is.Ordered.Descending);
        var first = list[1];
        var expected = double.Parse(first[Array.IndexOf(lh, "churn_probability")], CultureInfo.InvariantCulture) * double.Parse(first[Array.IndexOf(lh, "clv_12m")], CultureInfo.InvariantCulture);
        // The CSV holds the probability to 6 significant digits and money to cents: expected_value_lost is off by up to
        // half a cent, the product of the rounded cells by up to half a cent (clv_12m) plus 5e-6 relative (the probability).
        Assert.That(lost[0], Is.EqualTo(expected).Within(0.01 + (5e-6 * Math.Abs(expected))));
        Assert.That(list.Skip(1).Select(r => r[Array.IndexOf(lh, "churn_risk")]), Is.All.EqualTo("high"));
    }

    [Test]
    public void TrainThenScore_WithTheModelFile_UsesItAndMatchesTheSidecar()
    {
        var model = _temp["models/churn.zip"];
        var train = Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--model-out", model);
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());
        Assert.That(train.Output, Does.Contain("recency").And.Contain("bgnbd_1_minus_p_alive"));
        using var sidecar = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(model, ".json")));
        Assert.That(sidecar.RootElement.GetProperty("training_cutoff").GetString(), Is.EqualTo("2025-09-30"), "as-of 2025-12-29 − 90 days");
        Assert.That(sidecar.RootElement.GetProperty("features")[0].GetProperty("type").GetString(), Is.EqualTo("float32"));

        var outDir = _temp["scored"];
        var score = Crm.Run("churn", "score", Crm.SampleTransactions, "--preset", "sample", "--churn-model", model, "--out", outDir);
        Assert.That(score.ExitCode, Is.EqualTo(0), score.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var churn = summary.RootElement.GetProperty("churn");
        Assert.That(churn.GetProperty("source").GetString(), Is.EqualTo("churn.zip"));
        Assert.That(churn.GetProperty("calibration_a").GetDouble(), Is.EqualTo(sidecar.RootElement.GetProperty("calibration").GetProperty("a").GetDouble()));

        // Scoring with the saved model gives the probabilities in-run training gives (same data, same seed).
        var inRun = _temp["in-run"];
        Assert.That(Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", inRun).ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "customers.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(inRun, "customers.csv"))));
    }

    [Test]
    public void Score_ModelTrainedWithClvOnARunWithoutClv_ExitsThreeAndPublishesNothing()
    {
        var model = _temp["churn.zip"];
        Assert.That(Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--model-out", model).ExitCode, Is.EqualTo(0));
        var outDir = _temp["out"];

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-model", model, "--clv-model", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("feature schema does not match").And.Contain("p_alive"));
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [Test]
    public void Score_ModelOlderThanTheLimit_WarnsButScores()
    {
        var model = _temp["churn.zip"];
        Assert.That(Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--as-of", "2025-09-01", "--model-out", model).ExitCode, Is.EqualTo(0));

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-model", model, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Error, Does.Contain("trained as of 2025-09-01, 119 days before"));
        var fresh = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-model", model, "--churn-max-model-age-days", "200", "--out", _temp["out2"]);
        Assert.That(fresh.Error, Does.Not.Contain("days before"));
    }

    [Test]
    public void Score_WithSurveys_UsesTheLatestNpsScoreAsAFeature()
    {
        var outDir = _temp["out"];
        var surveys = Path.Combine(DatasetPaths.Repository, "samples", "surveys.csv");
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--surveys", surveys, "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var features = summary.RootElement.GetProperty("churn").GetProperty("features").EnumerateArray().Select(f => f.GetString()).ToArray();
        Assert.That(features, Does.Contain("nps_score"));
    }

    [Test]
    public void Score_HistoryShorterThanTwoHorizons_ExitsFiveWithAdvice()
    {
        var input = _temp.Write("short.csv", "customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-05,12\nA,2024-02-01,10\n");
        var run = Crm.Run("score", input, "--clv-model", "none", "--out", _temp["out"]);
        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        Assert.That(run.Error, Does.Contain("--churn-trainer none"));
    }

    [Test]
    public void Evaluate_CdnowMaster_PublishesEvaluationFiles()
    {
        var outDir = _temp["evaluation"];
        var run = Crm.Run("churn", "evaluate", DatasetPaths.File("cdnow", "CDNOW_master.txt"), "--preset", "cdnow", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "calibration.csv", "deciles.csv", "evaluation.json" }));
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "evaluation.json")));
        var auc = evaluation.RootElement.GetProperty("model").GetProperty("auc").GetDouble();
        var baselines = evaluation.RootElement.GetProperty("baselines").EnumerateArray().Select(b => b.GetProperty("auc").GetDouble()).ToArray();
        Assert.That(auc, Is.GreaterThan(baselines.Max()), run.Output);
        Assert.That(SimpleCsv.ParseFile(Path.Combine(outDir, "deciles.csv")).Count, Is.EqualTo(1 + 3 * 10));
    }

    [Test]
    public void Score_CustomerAttributes_BecomeFeaturesAndAreAccountedFor()
    {
        var customers = SimpleCsv.ParseFile(Path.Combine(Crm.SampleTransactions)).Skip(1).Select(r => r[1]).Where(id => id.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();
        var lines = new List<string> { "customer_id,plan,age" };
        lines.AddRange(customers.Select((id, i) => $"{id},{(i % 3 == 0 ? "gold" : "basic")},{20 + i % 50}"));
        lines.Add(",gold,30");                  // missing id: rejected
        lines.Add($"{customers[0]},basic,31");  // duplicate: rejected, the first row wins
        var attributes = _temp.Write("attributes.csv", string.Join("\n", lines) + "\n");
        var outDir = _temp["out"];

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--customers", attributes, "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var features = summary.RootElement.GetProperty("churn").GetProperty("features").EnumerateArray().Select(f => f.GetString()).ToArray();
        // Attribute columns in file order: plan is text (one-hot, categories in ordinal order), age is numeric.
        Assert.That(features[^3..], Is.EqualTo(new[] { "attr_plan=basic", "attr_plan=gold", "attr_age" }));
        var input = summary.RootElement.GetProperty("inputs")[1];
        Assert.That((input.GetProperty("rows_read").GetInt64(), input.GetProperty("rows_accepted").GetInt64(), input.GetProperty("rows_rejected").GetInt64()),
            Is.EqualTo(((long)customers.Length + 2, (long)customers.Length, 2L)));
        var rejects = File.ReadAllText(Path.Combine(outDir, "rejects.csv"));
        Assert.That(rejects, Does.Contain("attributes.csv").And.Contain("duplicate_customer_id").And.Contain("missing_customer_id"));
    }
}
