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
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var churn = summary.RootElement.GetProperty("churn");
        var activeDays = churn.GetProperty("active_days").GetInt32();
        var asOf = DateOnly.Parse(summary.RootElement.GetProperty("as_of").GetString()!, CultureInfo.InvariantCulture);

        // Lapsed = no purchase in the active window before the as-of date: no probability; everyone else has one.
        foreach (var r in rows.Skip(1))
        {
            var lapsed = DateOnly.Parse(r[Col("last_purchase_date")], CultureInfo.InvariantCulture) < asOf.AddDays(-activeDays);
            Assert.That(r[Col("churn_risk")] == "lapsed", Is.EqualTo(lapsed), r[Col("customer_id")]);
            Assert.That(r[Col("churn_probability")].Length == 0, Is.EqualTo(lapsed));
        }

        var active = rows.Skip(1).Where(r => r[Col("churn_risk")] != "lapsed").ToArray();
        Assert.That(churn.GetProperty("active_customers").GetInt32(), Is.EqualTo(active.Length));
        Assert.That(churn.GetProperty("lapsed_customers").GetInt32(), Is.EqualTo(rows.Count - 1 - active.Length));
        var probabilities = active.Select(r => double.Parse(r[Col("churn_probability")], CultureInfo.InvariantCulture)).ToArray();
        Assert.That(probabilities, Is.All.InRange(0.0, 1.0));

        // Rank bands: the top 10% of the active base is high, the next 20% medium, and the cut-offs are recorded.
        var bands = churn.GetProperty("risk_bands");
        Assert.That(bands.GetProperty("high").GetInt32(), Is.EqualTo((int)Math.Round(0.1 * active.Length, MidpointRounding.AwayFromZero)));
        Assert.That(bands.GetProperty("high").GetInt32() + bands.GetProperty("medium").GetInt32(), Is.EqualTo((int)Math.Round(0.3 * active.Length, MidpointRounding.AwayFromZero)));
        Assert.That(churn.GetProperty("band_mode").GetString(), Is.EqualTo("rank"));
        var highCutoff = churn.GetProperty("high_cutoff").GetDouble();
        Assert.That(active.Where(r => r[Col("churn_risk")] == "high").Select(r => double.Parse(r[Col("churn_probability")], CultureInfo.InvariantCulture)), Is.All.GreaterThanOrEqualTo(highCutoff));
        Assert.That(active.Where(r => r[Col("churn_risk")] != "high").Select(r => double.Parse(r[Col("churn_probability")], CultureInfo.InvariantCulture)), Is.All.LessThanOrEqualTo(highCutoff));

        var features = churn.GetProperty("features").EnumerateArray().Select(f => f.GetString()).ToHashSet();
        var reasons = rows.Skip(1).SelectMany(r => new[] { r[Col("churn_reason_1")], r[Col("churn_reason_2")], r[Col("churn_reason_3")] }).Where(x => x.Length > 0).ToArray();
        Assert.That(reasons, Is.Not.Empty);
        Assert.That(reasons, Is.All.Matches<string>(features.Contains), "reasons are feature names of the model");
        Assert.That(churn.GetProperty("source").GetString(), Is.EqualTo("trained_in_run"));
        Assert.That(churn.GetProperty("horizon").GetProperty("rule").GetString(), Is.EqualTo("auto"));
        Assert.That(churn.GetProperty("horizon_days").GetInt32(), Is.EqualTo(churn.GetProperty("horizon").GetProperty("days").GetInt32()));
        var evaluation = churn.GetProperty("evaluation");
        Assert.That(evaluation.GetProperty("model").GetProperty("calibration").GetArrayLength(), Is.EqualTo(10));
        Assert.That(evaluation.GetProperty("baselines").EnumerateArray().Select(b => b.GetProperty("name").GetString()), Is.EqualTo(new[] { "recency", "bgnbd_1_minus_p_alive", "recency_over_own_gap" }));
        Assert.That(evaluation.GetProperty("all").GetProperty("model").GetProperty("count").GetInt32(), Is.GreaterThan(evaluation.GetProperty("model").GetProperty("count").GetInt32()));

        // The warning list: the high band by expected value lost = probability × clv_12m, descending, with a contact plan.
        var list = SimpleCsv.ParseFile(Path.Combine(outDir, "segments", "churn-warning.csv"));
        var lh = list[0];
        Assert.That(lh, Is.EqualTo(new[] { "priority", "customer_id", "segment", "value_tier", "churn_probability", "expected_value_lost", "reason_1", "reason_2", "reason_3", "action", "contact_by" }));
        Assert.That(list.Count - 1, Is.EqualTo(Math.Min(1000, bands.GetProperty("high").GetInt32())));
        Assert.That(churn.GetProperty("warning_listed").GetInt32(), Is.EqualTo(list.Count - 1));
        Assert.That(list.Skip(1).Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)), Is.EqualTo(Enumerable.Range(1, list.Count - 1)));
        var lost = list.Skip(1).Select(r => double.Parse(r[Array.IndexOf(lh, "expected_value_lost")], CultureInfo.InvariantCulture)).ToArray();
        Assert.That(lost, Is.Ordered.Descending);
        var byId = rows.Skip(1).ToDictionary(r => r[Col("customer_id")]);
        foreach (var w in list.Skip(1))
        {
            var c = byId[w[1]];
            Assert.That(c[Col("churn_risk")], Is.EqualTo("high"));
            var expected = double.Parse(c[Col("churn_probability")], CultureInfo.InvariantCulture) * double.Parse(c[Col("clv_12m")], CultureInfo.InvariantCulture);
            // The CSVs hold probabilities to 6 significant digits and money to cents: the product of the rounded cells is off
            // by up to half a cent (clv_12m) plus 5e-6 relative (the probability), and expected_value_lost by half a cent.
            Assert.That(double.Parse(w[5], CultureInfo.InvariantCulture), Is.EqualTo(expected).Within(0.01 + (5e-6 * Math.Abs(expected))));
            var (action, days) = c[Col("value_tier")] == "top" ? ("personal call or visit by the account manager", 3)
                : new[] { "Champions", "Loyal Customers", "Potential Loyalist", "Can't Lose Them", "At Risk" }.Contains(c[Col("segment")]) ? ("personal email from the customer team", 7)
                : ("automated win-back offer", 14);
            Assert.That((w[9], w[10]), Is.EqualTo((action, asOf.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))), w[1]);
            Assert.That(w[6], Is.Not.Empty.And.Not.EqualTo(c[Col("churn_reason_1")]), "the reason in words, not the feature name");
        }
    }

    [Test]
    public void Score_ListMax_CapsTheWarningListAtTheTopPriorities()
    {
        var full = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["full"]);
        var capped = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["capped"], "--churn-list-max", "5");
        Assert.That((full.ExitCode, capped.ExitCode), Is.EqualTo((0, 0)), capped.ToString());

        var all = SimpleCsv.ParseFile(Path.Combine(_temp["full"], "segments", "churn-warning.csv"));
        var top = SimpleCsv.ParseFile(Path.Combine(_temp["capped"], "segments", "churn-warning.csv"));
        Assert.That(all.Count - 1, Is.GreaterThan(5));
        Assert.That(top.Select(r => string.Join(",", r)), Is.EqualTo(all.Take(6).Select(r => string.Join(",", r))));
    }

    [Test]
    public void Score_ShorterListThanThePreviousRun_ChangesListWhoLeftTheWarningList()
    {
        var outDir = _temp["out"];
        Assert.That(Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir, "--churn-list-max", "10").ExitCode, Is.EqualTo(0));
        var before = SimpleCsv.ParseFile(Path.Combine(outDir, "segments", "churn-warning.csv")).Skip(1).Select(r => r[1]).ToArray();
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir, "--churn-list-max", "5");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());

        // Same data, same model: only the cap moved, so priorities 6–10 of the first list left it and nobody joined.
        var changes = SimpleCsv.ParseFile(Path.Combine(outDir, "segments", "changes.csv"));
        Assert.That(changes.Skip(1).Where(r => r[1] is "joined_warning_list" or "left_warning_list").Select(r => (r[0], r[1])),
            Is.EqualTo(before.Skip(5).Order(StringComparer.Ordinal).Select(id => (id, "left_warning_list"))));
    }

    [Test]
    public void Score_ContactPlanFile_GivesTheActionsAndABadFileExitsTwo()
    {
        var plan = _temp.Write("plan.json", """
            { "rules": [ { "name": "everyone", "action": "ring them", "contact_within_days": 1 } ] }
            """);
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], "--churn-contact-plan", plan);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var list = SimpleCsv.ParseFile(Path.Combine(_temp["out"], "segments", "churn-warning.csv"));
        Assert.That(list.Skip(1).Select(r => r[9]), Is.All.EqualTo("ring them"));

        var bad = _temp.Write("bad.json", """{ "rules": [ { "name": "vip", "value_tier": "top", "action": "call", "contact_within_days": 3 } ] }""");
        var refused = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out2"], "--churn-contact-plan", bad);
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Error, Does.Contain("the last rule must match everyone"));
        Assert.That(Directory.Exists(_temp["out2"]) && Directory.EnumerateFileSystemEntries(_temp["out2"]).Any(), Is.False, "nothing published");
    }

    [Test]
    public void Score_ChurnTrainMaxRows_RecordsTheSampleAndANegativeCapExitsTwo()
    {
        var outDir = _temp["out"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir, "--churn-train-max-rows", "120");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using (var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json"))))
        {
            var churn = summary.RootElement.GetProperty("churn");
            Assert.That(churn.GetProperty("training_rows").GetInt32(), Is.GreaterThan(120));
            Assert.That(churn.GetProperty("training_rows_used").GetInt32(), Is.EqualTo(120));
            Assert.That(churn.GetProperty("evaluation").GetProperty("train_rows_used").GetInt32(), Is.LessThanOrEqualTo(120));
        }

        var refused = Crm.Run("churn", "evaluate", Crm.SampleTransactions, "--preset", "sample", "--churn-train-max-rows", "-1");
        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Error, Does.Contain("--churn-train-max-rows"));
    }

    [Test]
    public void ContactPlan_DefaultPrintedLintsCleanAndABrokenFileExitsTwo()
    {
        var shown = Crm.Run("churn", "contact-plan", "default");
        Assert.That(shown.ExitCode, Is.EqualTo(0), shown.ToString());
        var file = _temp.Write("default.json", shown.Output);

        var lint = Crm.Run("churn", "contact-plan", "lint", file, "--strict");
        Assert.That(lint.ExitCode, Is.EqualTo(0), lint.ToString());
        Assert.That(lint.Output, Does.Contain("3 rules; 0 findings"));

        var typo = _temp.Write("typo.json", """{ "rules": [ { "name": "x", "segments": ["Champs"], "action": "a", "contact_within_days": 1 }, { "name": "rest", "action": "b", "contact_within_days": 2 } ] }""");
        var flagged = Crm.Run("churn", "contact-plan", "lint", typo, "--strict");
        Assert.That(flagged.ExitCode, Is.EqualTo(2));
        Assert.That(flagged.Output, Does.Contain("segment 'Champs' is not a segment of the rules"));

        var broken = _temp.Write("broken.json", "{ \"rules\": [ ");
        Assert.That(Crm.Run("churn", "contact-plan", "lint", broken).ExitCode, Is.EqualTo(2));
    }

    [Test]
    public void TrainThenScore_DefaultAutoClv_ChurnFeaturesUseTheSidecarsBgNbd()
    {
        // crm churn train fits BG/NBD for p_alive (and records it); crm churn score defaults to auto, which on samples/
        // picks MBG/NBD for the CLV columns. The churn features must still come from BG/NBD: the probabilities equal a
        // run that names bgnbd, while the CLV columns follow the run's own pick.
        var model = _temp["models/churn.zip"];
        Assert.That(Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--model-out", model).ExitCode, Is.EqualTo(0));
        using (var sidecar = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(model, ".json"))))
        {
            Assert.That(sidecar.RootElement.GetProperty("clv_model").GetString(), Is.EqualTo("bgnbd"));
        }

        string[] Probabilities(string outDir, params string[] extra)
        {
            var run = Crm.Run(["churn", "score", Crm.SampleTransactions, "--preset", "sample", "--churn-model", model, "--out", outDir, .. extra]);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            var rows = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
            return rows.Skip(1).Select(r => r[Array.IndexOf(rows[0], "churn_probability")]).ToArray();
        }

        var auto = Probabilities(_temp["auto"]);
        var named = Probabilities(_temp["named"], "--clv-model", "bgnbd");
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp["auto"], "summary.json")));
        Assert.That(summary.RootElement.GetProperty("clv").GetProperty("selection").GetProperty("chosen").GetString(), Is.Not.EqualTo("bgnbd"), "the test needs auto to pick another model");
        Assert.That(auto, Is.EqualTo(named));
    }

    [Test]
    public void TrainThenScore_WithTheModelFile_UsesItAndMatchesTheSidecar()
    {
        var model = _temp["models/churn.zip"];
        var train = Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--model-out", model);
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());
        Assert.That(train.Output, Does.Contain("recency").And.Contain("bgnbd_1_minus_p_alive"));
        using var sidecar = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(model, ".json")));
        var horizon = sidecar.RootElement.GetProperty("horizon");
        Assert.That(horizon.GetProperty("rule").GetString(), Is.EqualTo("auto"));
        Assert.That(sidecar.RootElement.GetProperty("horizon_days").GetInt32(), Is.EqualTo(horizon.GetProperty("days").GetInt32()));
        Assert.That(sidecar.RootElement.GetProperty("training_cutoff").GetString(),
            Is.EqualTo(new DateOnly(2025, 12, 29).AddDays(-2 * horizon.GetProperty("days").GetInt32()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "as-of 2025-12-29 − 2 horizons");
        Assert.That(sidecar.RootElement.GetProperty("calibration_cutoff").GetString(),
            Is.EqualTo(new DateOnly(2025, 12, 29).AddDays(-horizon.GetProperty("days").GetInt32()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), "the most recent labelled period");
        Assert.That(sidecar.RootElement.GetProperty("features")[0].GetProperty("type").GetString(), Is.EqualTo("float32"));

        var outDir = _temp["scored"];
        // churn train fits BG/NBD for its p_alive feature; scoring names it too (crm score's default is auto).
        var score = Crm.Run("churn", "score", Crm.SampleTransactions, "--preset", "sample", "--clv-model", "bgnbd", "--churn-model", model, "--out", outDir);
        Assert.That(score.ExitCode, Is.EqualTo(0), score.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var churn = summary.RootElement.GetProperty("churn");
        Assert.That(churn.GetProperty("source").GetString(), Is.EqualTo("churn.zip"));
        Assert.That(churn.GetProperty("calibration_a").GetDouble(), Is.EqualTo(sidecar.RootElement.GetProperty("calibration").GetProperty("a").GetDouble()));

        // Scoring with the saved model gives the probabilities in-run training gives (same data, same seed).
        var inRun = _temp["in-run"];
        Assert.That(Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--clv-model", "bgnbd", "--out", inRun).ExitCode, Is.EqualTo(0));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "customers.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(inRun, "customers.csv"))));
    }

    [Test]
    public void TrainThenScore_SeasonalCalibration_IsRecordedInTheSidecarAndTheSummary()
    {
        // Two years of sample data: the evaluation's calibration cut-off a year earlier is day 168 of the history,
        // more than the 98-day horizon after its start, so the calibration is seasonal, not the Platt fallback.
        var model = _temp["models/seasonal.zip"];
        var train = Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--churn-calibration", "seasonal", "--model-out", model);
        Assert.That(train.ExitCode, Is.EqualTo(0), train.ToString());
        using var sidecar = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(model, ".json")));
        var calibration = sidecar.RootElement.GetProperty("calibration");
        Assert.That(calibration.GetProperty("method").GetString(), Is.EqualTo("seasonal"));

        var outDir = _temp["seasonal-scored"];
        var score = Crm.Run("churn", "score", Crm.SampleTransactions, "--preset", "sample", "--clv-model", "bgnbd", "--churn-model", model, "--out", outDir);
        Assert.That(score.ExitCode, Is.EqualTo(0), score.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var churn = summary.RootElement.GetProperty("churn");
        Assert.That(churn.GetProperty("calibration_method").GetString(), Is.EqualTo("seasonal"));
        Assert.That(churn.GetProperty("calibration_b").GetDouble(), Is.EqualTo(calibration.GetProperty("b").GetDouble()));

        Assert.That(Crm.Run("churn", "evaluate", Crm.SampleTransactions, "--preset", "sample", "--churn-calibration", "yearly").ExitCode, Is.EqualTo(2));
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
        var run = Crm.Run("score", input, "--clv-model", "none", "--out", _temp["out"], "--require", "churn");
        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        Assert.That(run.Error, Does.Contain("--churn-trainer none"));
    }

    [Test]
    public void Evaluate_CdnowMaster_PublishesEvaluationFiles()
    {
        var outDir = _temp["evaluation"];
        var run = Crm.Run("churn", "evaluate", DatasetPaths.File("cdnow", "CDNOW_master.txt"), "--preset", "cdnow", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { ".crm-output", "calibration.csv", "deciles.csv", "evaluation.json" }));
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "evaluation.json")));
        var auc = evaluation.RootElement.GetProperty("model").GetProperty("auc").GetDouble();
        var baselines = evaluation.RootElement.GetProperty("baselines").EnumerateArray().Select(b => b.GetProperty("auc").GetDouble()).ToArray();
        Assert.That(auc, Is.GreaterThan(baselines.Max()), run.Output);
        Assert.That(SimpleCsv.ParseFile(Path.Combine(outDir, "deciles.csv")).Count, Is.EqualTo(1 + 4 * 10), "the model and three baselines, ten deciles each");
        Assert.That(SimpleCsv.ParseFile(Path.Combine(outDir, "deciles.csv"))[0][^1], Is.EqualTo("mean_score"));

        // The largest gap, recomputed from calibration.csv: the bins with at least 1 % of the customers.
        var bins = SimpleCsv.ParseFile(Path.Combine(outDir, "calibration.csv")).Skip(1)
            .Select(r => (Bin: int.Parse(r[0], CultureInfo.InvariantCulture), Count: int.Parse(r[3], CultureInfo.InvariantCulture),
                Gap: double.Parse(r[4], CultureInfo.InvariantCulture) - double.Parse(r[5], CultureInfo.InvariantCulture)))
            .ToArray();
        var expected = bins.Where(b => b.Count > 0 && b.Count >= 0.01 * bins.Sum(x => x.Count)).MaxBy(b => Math.Abs(b.Gap));
        var gap = evaluation.RootElement.GetProperty("model").GetProperty("largest_calibration_gap");
        Assert.That(gap.GetProperty("bin").GetInt32(), Is.EqualTo(expected.Bin));
        Assert.That(gap.GetProperty("gap").GetDouble(), Is.EqualTo(expected.Gap).Within(1e-12));
        Assert.That(evaluation.RootElement.GetProperty("baselines")[0].GetProperty("largest_calibration_gap").ValueKind, Is.EqualTo(JsonValueKind.Null), "recency is a rank, not a probability");
        Assert.That(run.Output, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"largest calibration gap, active base (bins with at least 1 % of the customers): {expected.Gap * 100:+0.0;-0.0;0.0} points")));
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
