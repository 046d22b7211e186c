using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Tests.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Churn.Tests.Integration;

[TestFixture]
[NonParallelizable]
public sealed class RealDataChurnTests
{
    private static readonly Dictionary<(string, ChurnCalibrationMethod), ChurnEvaluationResult> Evaluated = [];

    [Test]
    public async Task BuildAndRawScores_Cdnow_EqualTheFullBuildAndMlNetsScores()
    {
        var read = await TransactionReader.ReadAsync(DatasetPaths.File("cdnow", "CDNOW_master.txt"), TransactionPresets.All["cdnow"], NullRejectSink.Instance);
        var asOf = read.Builder.DefaultAsOf();
        var inputs = new ChurnInputs { Clv = new ClvScoringOptions() };
        var options = new ChurnTrainingOptions();
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var cutoff = asOf.AddDays(-90);

        var active = ChurnFeatureBuilder.Build(read.Builder, cutoff, schema, inputs, 90, options.ActiveDays);
        var full = ChurnFeatureBuilder.Build(read.Builder, cutoff, schema, inputs, 90);
        Assert.That(active.Count, Is.InRange(1, full.Count - 1));
        ChurnFeatureBuilderTests.AssertSameRows(active, full.ActiveBase(options.ActiveDays));

        var model = ChurnWorkflow.Train(read.Builder, asOf, 90, inputs, options).Model;
        Assert.That(model.ScoresWithTrees, Is.True);
        Assert.That(model.RawScores(full), Is.EqualTo(model.RawScoresWithMlNet(full)));
    }

    [TestCase("cdnow/CDNOW_master.txt", "cdnow", 90)]
    [TestCase("online_retail/online_retail.csv", "online-retail", 28)]
    public async Task ChurnCutoffs_RealDataThreeCutoffs_EqualTheSnapshotFeatures(string file, string preset, int horizon)
    {
        var parts = file.Split('/');
        var read = await TransactionReader.ReadAsync(DatasetPaths.File(parts[0], parts[1]), TransactionPresets.All[preset], NullRejectSink.Instance);
        var asOf = read.Builder.DefaultAsOf();
        var active = new ChurnTrainingOptions().ActiveDays;

        ChurnFeatureBuilderTests.AssertWalkEqualsSnapshots(read.Builder,
            [new(asOf.AddDays(-3 * horizon), active, horizon), new(asOf.AddDays(-2 * horizon), active, horizon), new(asOf.AddDays(-horizon), null, horizon)],
            new ChurnInputs { Clv = new ClvScoringOptions() });
    }

    [TestCase("cdnow/CDNOW_master.txt", "cdnow", ChurnCalibrationMethod.Platt)]
    [TestCase("online_retail/online_retail.csv", "online-retail", ChurnCalibrationMethod.Platt)]
    [TestCase("cdnow/CDNOW_master.txt", "cdnow", ChurnCalibrationMethod.Isotonic)]
    [TestCase("online_retail/online_retail.csv", "online-retail", ChurnCalibrationMethod.Isotonic)]
    public async Task Evaluate_RealDataActiveBaseAutoHorizon_ModelBeatsAllThreeBaselines(string file, string preset, ChurnCalibrationMethod calibration)
    {
        var result = await EvaluateAsync(file, preset, calibration);
        foreach (var (population, metrics) in new[] { ("active", new[] { result.Model }.Concat(result.Baselines)), ("all", new[] { result.All.Model }.Concat(result.All.Baselines)) })
        {
            foreach (var m in metrics)
            {
                TestContext.Out.WriteLine($"{population} {m.Name}: n {m.Count} churned {m.Churned} AUC {m.Auc:F4} PR-AUC {m.PrAuc:F4} LL {m.LogLoss:F4} Brier {m.Brier:F4} lift {m.TopDecileLift:F3} capture {m.TopDecileCapture:F3}");
            }
        }

        // The issue's bar, on the active base: the model's test AUC above all three baselines'.
        Assert.That(result.Baselines.Select(b => b.Name), Is.EqualTo(new[] { "recency", "bgnbd_1_minus_p_alive", "recency_over_own_gap" }));
        Assert.That(result.Model.Auc, Is.GreaterThan(result.Baselines.Max(b => b.Auc)));
        Assert.That(result.Model.Count, Is.EqualTo(result.Baselines[0].Count));
    }

    /// <summary>
    /// Issue 12's calibration goal: on the active base of the test period, every probability bin that holds at least
    /// 1 % of the customers within 5 points of its observed churn rate. It is NOT met on either dataset, and no
    /// calibration fitted on labels that end by the test cut-off met it (README, "Churn risk", where the measurements are):
    /// <list type="bullet">
    /// <item>CDNOW: one bin misses, [0.4, 0.5), 716 customers (5.3 %), predicted 0.458, observed 0.547 (−9.0 points). The
    /// test period (Mar–Jul) churns more in that band of scores than the calibration period (Nov–Mar, with Christmas):
    /// even Platt scaling fitted on the test labels themselves misses there by 6.1 points.</item>
    /// <item>Online Retail: five bins run 6–12 points high, [0.2, 0.3) and [0.5, 0.9). The test period is the holiday season
    /// (Oct–Dec 2011, 49.2 % churned) and the latest labelled one summer (55.3 %); the file holds one year, so no earlier
    /// holiday season exists to calibrate on, and the test customers' features look riskier, not safer (mean predicted
    /// 0.571), so a label-shift correction moves the wrong way.</item>
    /// </list>
    /// The test therefore holds what is met: the largest gap at the measured level (plus one point), and no more bins over
    /// 5 points than measured, so that a change that makes the calibration worse fails here.
    /// </summary>
    [TestCase("cdnow/CDNOW_master.txt", "cdnow", 0.100, 1)]
    [TestCase("online_retail/online_retail.csv", "online-retail", 0.130, 5)]
    public async Task Evaluate_RealDataActiveBasePlatt_CalibrationGapsAtMeasuredLevel(string file, string preset, double largestGap, int binsOverFivePoints)
    {
        var result = await EvaluateAsync(file, preset, ChurnCalibrationMethod.Platt);
        var bins = result.Model.Calibration!;
        foreach (var b in bins)
        {
            TestContext.Out.WriteLine($"bin {b.Lower:F1}-{b.Upper:F1}: n {b.Count} predicted {b.MeanPredicted:F3} observed {b.ObservedRate:F3}");
        }

        var qualifying = bins.Where(b => b.Count > 0 && b.Count >= ChurnMetricsCalculator.CalibrationGapMinShare * result.Model.Count).ToArray();
        Assert.That(result.Model.LargestCalibrationGap, Is.Not.Null);
        Assert.That(Math.Abs(result.Model.LargestCalibrationGap!.Gap), Is.LessThan(largestGap));
        Assert.That(qualifying.Count(b => Math.Abs(b.MeanPredicted - b.ObservedRate) >= 0.05), Is.LessThanOrEqualTo(binsOverFivePoints));
    }

    /// <summary>
    /// The seasonal case with a season before it: Online Retail II's first sheet (Dec 2009 – Nov 2010) followed by UCI
    /// Online Retail (its second sheet, Dec 2010 – Dec 2011) holds two holiday seasons. With the horizon of the one-year
    /// file (70 days) the test period is the same (cut-off 2011-10-01, Oct–Dec 2011); with the auto horizon (91 days on
    /// two years) it starts 2011-09-10. Platt scaling on the latest labelled period (summer) runs 13.0 and 24.8 points
    /// high; seasonal calibration moves its intercept by the summer-to-autumn change of 2010 and brings the largest gap
    /// to 6.6 and 8.0 points (README, "Churn risk"): better by half or more, but not under 5.
    /// </summary>
    [TestCase(70, 0.075, 0.12)]
    [TestCase(null, 0.09, 0.20)]
    public async Task Evaluate_OnlineRetailTwoYearsSeasonal_LastYearsChangeCutsThePlattGap(int? horizonDays, double seasonalBelow, double plattAbove)
    {
        var read = await TransactionReader.ReadAsync(await OnlineRetailTwoYearsAsync(), TransactionPresets.All["online-retail"], NullRejectSink.Instance);
        var asOf = read.Builder.DefaultAsOf();
        var horizon = ChurnWorkflow.ChooseHorizon(read.Builder, asOf, horizonDays).Days;
        var inputs = new ChurnInputs { Clv = new ClvScoringOptions() };
        var platt = ChurnWorkflow.Evaluate(read.Builder, asOf, horizon, inputs, new ChurnTrainingOptions());
        var seasonal = ChurnWorkflow.Evaluate(read.Builder, asOf, horizon, inputs, new ChurnTrainingOptions { Calibration = ChurnCalibrationMethod.Seasonal });
        TestContext.Out.WriteLine($"horizon {horizon}; test {seasonal.TestCutoff}; gap platt {platt.Model.LargestCalibrationGap} seasonal {seasonal.Model.LargestCalibrationGap}; Brier {platt.Model.Brier:F4} / {seasonal.Model.Brier:F4}");

        Assert.That(horizon, Is.EqualTo(horizonDays ?? 91));
        Assert.That(Math.Abs(platt.Model.LargestCalibrationGap!.Gap), Is.GreaterThan(plattAbove));
        Assert.That(Math.Abs(seasonal.Model.LargestCalibrationGap!.Gap), Is.LessThan(seasonalBelow));
        Assert.That(seasonal.Model.Brier, Is.LessThan(platt.Model.Brier!.Value));
        Assert.That(seasonal.Model.Auc, Is.EqualTo(platt.Model.Auc), "the same classifier: only the calibration differs");
    }

    /// <summary>Writes the two-year Online Retail file once per test run (the datasets folder is read-only).</summary>
    private static async Task<string> OnlineRetailTwoYearsAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"crm-online-retail-2009-2011-{Environment.ProcessId}.csv");
        if (File.Exists(path))
        {
            return path;
        }

        var secondSheetStart = new DateOnly(2010, 12, 1);
        var date = new System.Text.RegularExpressions.Regex(@",(\d{4}-\d{2}-\d{2}) \d{2}:\d{2}");
        var partial = path + ".partial";
        await using (var writer = new StreamWriter(partial))
        {
            var second = File.ReadLines(DatasetPaths.File("online_retail", "online_retail.csv")).GetEnumerator();
            second.MoveNext();
            await writer.WriteLineAsync(second.Current);
            foreach (var line in File.ReadLines(DatasetPaths.File("online_retail_ii", "online_retail_ii_2009_2010.csv")).Skip(1))
            {
                if (DateOnly.ParseExact(date.Match(line).Groups[1].Value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) < secondSheetStart)
                {
                    await writer.WriteLineAsync(line);
                }
            }

            while (second.MoveNext())
            {
                await writer.WriteLineAsync(second.Current);
            }
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }

    [OneTimeTearDown]
    public void DeleteTwoYearFile() => File.Delete(Path.Combine(Path.GetTempPath(), $"crm-online-retail-2009-2011-{Environment.ProcessId}.csv"));

    private static async Task<ChurnEvaluationResult> EvaluateAsync(string file, string preset, ChurnCalibrationMethod calibration)
    {
        if (Evaluated.TryGetValue((file, calibration), out var cached))
        {
            return cached;
        }

        var read = await TransactionReader.ReadAsync(DatasetPaths.File(file.Split('/')), TransactionPresets.All[preset], NullRejectSink.Instance);
        var asOf = read.Builder.DefaultAsOf();
        var horizon = ChurnWorkflow.ChooseHorizon(read.Builder, asOf, null);
        var result = ChurnWorkflow.Evaluate(read.Builder, asOf, horizon.Days, new ChurnInputs { Clv = new ClvScoringOptions() }, new ChurnTrainingOptions { Calibration = calibration });
        TestContext.Out.WriteLine($"horizon {horizon}; {result.TrainCutoff} {result.TestCutoff} train {result.TrainRows} churned {result.TrainChurned}");
        Evaluated[(file, calibration)] = result;
        return result;
    }
}
