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

    [TestCase("cdnow/CDNOW_master.txt", "cdnow", ChurnCalibrationMethod.Platt)]
    [TestCase("online_retail/online_retail.csv", "online-retail", ChurnCalibrationMethod.Platt)]
    [TestCase("cdnow/CDNOW_master.txt", "cdnow", ChurnCalibrationMethod.Isotonic)]
    [TestCase("online_retail/online_retail.csv", "online-retail", ChurnCalibrationMethod.Isotonic)]
    public async Task Evaluate_RealDataActiveBaseAutoHorizon_ModelBeatsAllThreeBaselines(string file, string preset, ChurnCalibrationMethod calibration)
    {
        var read = await TransactionReader.ReadAsync(DatasetPaths.File(file.Split('/')), TransactionPresets.All[preset], NullRejectSink.Instance);
        var asOf = read.Builder.DefaultAsOf();
        var horizon = ChurnWorkflow.ChooseHorizon(read.Builder, asOf, null);
        var result = ChurnWorkflow.Evaluate(read.Builder, asOf, horizon.Days, new ChurnInputs { Clv = new ClvScoringOptions() }, new ChurnTrainingOptions { Calibration = calibration });
        TestContext.Out.WriteLine($"horizon {horizon}; {result.TrainCutoff} {result.TestCutoff} train {result.TrainRows} churned {result.TrainChurned}");
        foreach (var (population, metrics) in new[] { ("active", new[] { result.Model }.Concat(result.Baselines)), ("all", new[] { result.All.Model }.Concat(result.All.Baselines)) })
        {
            foreach (var m in metrics)
            {
                TestContext.Out.WriteLine($"{population} {m.Name}: n {m.Count} churned {m.Churned} AUC {m.Auc:F4} PR-AUC {m.PrAuc:F4} LL {m.LogLoss:F4} Brier {m.Brier:F4} lift {m.TopDecileLift:F3} capture {m.TopDecileCapture:F3}");
            }
        }

        foreach (var b in result.Model.Calibration!)
        {
            TestContext.Out.WriteLine($"bin {b.Lower:F1}-{b.Upper:F1}: n {b.Count} predicted {b.MeanPredicted:F3} observed {b.ObservedRate:F3}");
        }

        // The bar, on the active base: the model's test AUC above all three baselines'.
        Assert.That(result.Baselines.Select(b => b.Name), Is.EqualTo(new[] { "recency", "bgnbd_1_minus_p_alive", "recency_over_own_gap" }));
        Assert.That(result.Model.Auc, Is.GreaterThan(result.Baselines.Max(b => b.Auc)));
        Assert.That(result.Model.Count, Is.EqualTo(result.Baselines[0].Count));
    }
}
