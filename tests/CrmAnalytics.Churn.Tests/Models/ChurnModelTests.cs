using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Calibrators;
using Microsoft.ML;
using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Models;
using CrmAnalytics.Churn.Scoring;
using CrmAnalytics.Churn.Tests.TestSupport;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Churn.Tests.Models;

[TestFixture]
[NonParallelizable]
public sealed class ChurnModelTests
{
    private static readonly ChurnTrainingOptions Small = new() { Trees = 30, Leaves = 8, MinimumLeafRows = 10 };
    private static readonly ChurnInputs Inputs = new() { Clv = new ClvScoringOptions() };
    private CustomerSummaryBuilder _builder = null!;
    private string _dir = null!;

    [OneTimeSetUp]
    public void SetUp()
    {
        _builder = SyntheticHistories.Build(3_000, seed: 5);
        _dir = Directory.CreateTempSubdirectory("crm-churn-model-").FullName;
    }

    [OneTimeTearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase(ChurnTrainer.LightGbm)]
    [TestCase(ChurnTrainer.FastTree)]
    [TestCase(ChurnTrainer.Logistic)]
    public void Train_SameSeedTwice_GivesIdenticalProbabilitiesAndReasons(ChurnTrainer trainer)
    {
        var options = Small with { Trainer = trainer };
        var first = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, options);
        var second = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, options);
        var a = ChurnScorer.Score(first.Model, _builder, SyntheticHistories.AsOf, Inputs, Small.ActiveDays, new ChurnBandOptions()).Customers;
        var b = ChurnScorer.Score(second.Model, _builder, SyntheticHistories.AsOf, Inputs, Small.ActiveDays, new ChurnBandOptions()).Customers;

        Assert.That(b.Select(r => r.Probability), Is.EqualTo(a.Select(r => r.Probability)));
        Assert.That(b.Select(r => string.Join(",", r.Reasons)), Is.EqualTo(a.Select(r => string.Join(",", r.Reasons))));
        Assert.That(a.Select(r => r.Reasons.Count), Has.Some.GreaterThan(0));
        Assert.That(first.Evaluation.Model.Auc, Is.GreaterThan(0.6), "the synthetic churn pattern is learnable");
        // Another active window trains on other customers, so the model differs: the equality above is not vacuous.
        var other = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, options with { ActiveDays = 200 });
        Assert.That(ChurnScorer.Score(other.Model, _builder, SyntheticHistories.AsOf, Inputs, Small.ActiveDays, new ChurnBandOptions()).Customers.Select(r => r.Probability),
            Is.Not.EqualTo(a.Select(r => r.Probability)));
    }

    /// <summary>
    /// Trees of 600 leaves of one row each have more splits than the reasons' walk keeps on the stack (256): the
    /// contributions are those of the definition, computed here straight from ML.NET's trees, and the scores ML.NET's.
    /// </summary>
    [Test]
    public void Predict_TreesDeeperThanTheStackBuffer_ContributionsByDefinition()
    {
        var options = Small with { Leaves = 600, MinimumLeafRows = 1, Trees = 5 };
        var trained = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, options);
        var data = ChurnFeatureBuilder.Build(_builder, SyntheticHistories.AsOf, trained.Model.Schema, Inputs);
        var ensemble = ((ISingleFeaturePredictionTransformer<CalibratedModelParametersBase<LightGbmBinaryModelParameters, PlattCalibrator>>)((IEnumerable<ITransformer>)trained.Model.Transformer).Last()).Model.SubModel.TrainedTreeEnsemble;

        var ours = trained.Model.Predict(data, reasons: data.Width);
        var expected = Enumerable.Range(0, data.Count).Select(i =>
        {
            var x = data.Row(i).ToArray();
            var contributions = new float[data.Width];
            int Leaf(RegressionTreeBase t, int node)
            {
                while (node >= 0)
                {
                    node = x[t.NumericalSplitFeatureIndexes[node]] <= t.NumericalSplitThresholds[node] ? t.LeftChild[node] : t.RightChild[node];
                }

                return ~node;
            }

            foreach (var t in ensemble.Trees.Where(t => t.NumberOfNodes > 0))
            {
                var output = t.LeafValues[Leaf(t, 0)];
                for (var node = 0; node >= 0;)
                {
                    var left = x[t.NumericalSplitFeatureIndexes[node]] <= t.NumericalSplitThresholds[node];
                    contributions[t.NumericalSplitFeatureIndexes[node]] += (float)(output - t.LeafValues[Leaf(t, left ? t.RightChild[node] : t.LeftChild[node])]);
                    node = left ? t.LeftChild[node] : t.RightChild[node];
                }
            }

            return ChurnModel.TopPositive(contributions, trained.Model.Schema.Names, data.Width);
        }).ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ensemble.Trees.Max(t => t.NumberOfNodes), Is.GreaterThan(256));
            Assert.That(ours.Reasons, Is.EqualTo(expected));
            Assert.That(trained.Model.RawScores(data), Is.EqualTo(trained.Model.RawScoresWithMlNet(data)));
        }
    }

    [TestCase(ChurnTrainer.LightGbm)]
    [TestCase(ChurnTrainer.FastTree)]
    public void PredictAndRawScores_TreeWalk_AgreeWithMlNet(ChurnTrainer trainer)
    {
        var trained = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, Small with { Trainer = trainer });
        var data = ChurnFeatureBuilder.Build(_builder, SyntheticHistories.AsOf, trained.Model.Schema, Inputs);

        var ours = trained.Model.Predict(data);
        var reference = trained.Model.PredictWithMlNet(data);

        Assert.That(ours.Probability, Is.EqualTo(reference.Probability).Within(1e-6), "the raw score summed over the flat trees is ML.NET's");
        var differing = Enumerable.Range(0, data.Count).Count(i => !ours.Reasons[i].SequenceEqual(reference.Reasons[i]));
        Assert.That(differing, Is.Zero, $"{differing} of {data.Count} customers got other reasons than ML.NET's CalculateFeatureContribution");
        Assert.That(ours.Reasons.Count(r => r.Length == 3), Is.GreaterThan(data.Count / 10), "many customers have three reasons: the agreement is not vacuous");

        // Calibration and evaluation read the raw scores: the tree walk gives ML.NET's bit for bit.
        var raw = trained.Model.RawScores(data);
        Assert.That(trained.Model.ScoresWithTrees, Is.True, "the tree walk, not ML.NET, produced the scores");
        Assert.That(raw, Is.EqualTo(trained.Model.RawScoresWithMlNet(data)));
        Assert.That(raw.Distinct().Count(), Is.GreaterThan(100), "the scores vary across customers: the agreement is not vacuous");
    }

    [Test]
    public void TopPositive_TiesZerosAndNegatives_LargestPositiveFirstTiesInFeatureOrder()
    {
        string[] names = ["a", "b", "c", "d", "e", "f"];
        float[] contributions = [0.2f, -1f, 0.5f, 0.2f, 0f, 0.7f];

        Assert.That(ChurnModel.TopPositive(contributions, names, 3), Is.EqualTo(new[] { "f", "c", "a" }));
        Assert.That(ChurnModel.TopPositive(contributions, names, 5), Is.EqualTo(new[] { "f", "c", "a", "d" }));
        Assert.That(ChurnModel.TopPositive(contributions, names, 1), Is.EqualTo(new[] { "f" }));
        Assert.That(ChurnModel.TopPositive(contributions, names, 0), Is.Empty);
    }

    [TestCase(ChurnCalibrationMethod.Platt)]
    [TestCase(ChurnCalibrationMethod.Isotonic)]
    [TestCase(ChurnCalibrationMethod.Seasonal)]
    public void SaveLoad_RoundTrip_SameScoresAndSchema(ChurnCalibrationMethod calibration)
    {
        var trained = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, Small with { Calibration = calibration });
        var path = Path.Combine(_dir, "roundtrip-" + calibration, "model.zip");
        ChurnModelFile.Save(path, trained.Model, ChurnModelFile.Describe(trained, Small, ChurnHorizon.Fixed(90), "test", Inputs.Clv!.Model));

        var loaded = ChurnModelFile.Load(path);
        var before = ChurnScorer.Score(trained.Model, _builder, SyntheticHistories.AsOf, Inputs, Small.ActiveDays, new ChurnBandOptions()).Customers;
        var after = ChurnScorer.Score(loaded.Model, _builder, SyntheticHistories.AsOf, Inputs, Small.ActiveDays, new ChurnBandOptions()).Customers;

        Assert.That(loaded.Model.Schema.SameAs(trained.Model.Schema));
        Assert.That(loaded.Info.TrainingCutoff, Is.EqualTo(SyntheticHistories.AsOf.AddDays(-180)));
        Assert.That(loaded.Info.CalibrationCutoff, Is.EqualTo(SyntheticHistories.AsOf.AddDays(-90)));
        Assert.That(loaded.Model.Calibration.Method, Is.EqualTo(calibration));
        Assert.That(loaded.Info.Evaluation.Model.Auc, Is.EqualTo(trained.Evaluation.Model.Auc));
        Assert.That(after.Select(r => r.Probability), Is.EqualTo(before.Select(r => r.Probability)));
        Assert.That(after.Select(r => string.Join(",", r.Reasons)), Is.EqualTo(before.Select(r => string.Join(",", r.Reasons))));
    }

    [Test]
    public void Load_SidecarWithoutClvModel_MeansBgNbdAndScoresWithIt()
    {
        // Sidecars written before clv_model existed came from crm churn train, which fits BG/NBD for p_alive.
        var trained = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, Small);
        var path = Path.Combine(_dir, "old-sidecar", "model.zip");
        ChurnModelFile.Save(path, trained.Model, ChurnModelFile.Describe(trained, Small, ChurnHorizon.Fixed(90), "test", "paretonbd"));
        var sidecar = ChurnModelFile.SidecarPath(path);
        Assert.That(File.ReadAllText(sidecar), Does.Contain("\"clv_model\": \"paretonbd\""));
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(sidecar))!.AsObject();
        json.Remove("clv_model");
        File.WriteAllText(sidecar, json.ToJsonString());

        var loaded = ChurnModelFile.Load(path);
        var scoring = loaded.Info.ScoringInputs(Inputs with { Clv = new ClvScoringOptions { Model = "mbgnbd" } });
        Assert.That(loaded.Info.ClvModel, Is.EqualTo("bgnbd"));
        Assert.That(scoring.Clv!.Model, Is.EqualTo("bgnbd"));
    }

    [Test]
    public void ScoringInputs_ModelTrainedWithoutClv_KeepsTheRunsInputs()
    {
        var trained = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, Small);
        var info = ChurnModelFile.Describe(trained, Small, ChurnHorizon.Fixed(90), "test", null);
        var run = Inputs with { Clv = new ClvScoringOptions { Model = "paretonbd" } };
        Assert.That(info.ScoringInputs(run), Is.SameAs(run));
    }

    [Test]
    public void Load_SidecarThatDoesNotDescribeThePipeline_IsRefused()
    {
        var trained = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, Small);
        var path = Path.Combine(_dir, "tampered", "model.zip");
        var info = ChurnModelFile.Describe(trained, Small, ChurnHorizon.Fixed(90), "test", Inputs.Clv!.Model);
        ChurnModelFile.Save(path, trained.Model, info with { Features = info.Features.Take(info.Features.Count - 1).ToArray() });

        var ex = Assert.Throws<InputException>(() => ChurnModelFile.Load(path));
        Assert.That(ex!.Message, Does.Contain("do not belong together"));

        File.Delete(ChurnModelFile.SidecarPath(path));
        Assert.That(() => ChurnModelFile.Load(path), Throws.TypeOf<InputException>().With.Message.Contains("sidecar"));
    }

    [Test]
    public void Score_ModelTrainedWithClvOnARunWithoutClv_IsASchemaError()
    {
        var trained = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, 90, Inputs, Small);
        Assert.That(() => ChurnScorer.Score(trained.Model, _builder, SyntheticHistories.AsOf, new ChurnInputs(), Small.ActiveDays, new ChurnBandOptions()),
            Throws.TypeOf<InputException>().With.Message.Contains("CLV is off"));
    }

    [TestCase(ChurnCalibrationMethod.Platt)]
    [TestCase(ChurnCalibrationMethod.Isotonic)]
    public void Train_CalibrationOnTheLaterPeriod_MeanProbabilityMatchesItsChurnRate(ChurnCalibrationMethod method)
    {
        // Classifier at as-of − 180, calibration on the active customers of as-of − 90: on those rows the mean calibrated
        // probability equals their churn rate (Platt's smoothed targets move it by well under a point; isotonic is exact).
        var schema = ChurnFeatureBuilder.DeriveSchema(Inputs);
        var fit = ChurnFeatureBuilder.Build(_builder, SyntheticHistories.AsOf.AddDays(-180), schema, Inputs, 90).ActiveBase(Small.ActiveDays);
        var recent = ChurnFeatureBuilder.Build(_builder, SyntheticHistories.AsOf.AddDays(-90), schema, Inputs, 90).ActiveBase(Small.ActiveDays);
        var options = Small with { Calibration = method };

        var model = ChurnModelTrainer.Train(fit, recent, options);

        var p = model.Probabilities(recent);
        Assert.That(p.Average(), Is.EqualTo(recent.Churned / (double)recent.Count).Within(0.005));
        Assert.That(model.Calibration.Method, Is.EqualTo(method));
        var onFit = model.Probabilities(fit).Average();
        var fitRate = fit.Churned / (double)fit.Count;
        Assert.That(Math.Abs(onFit - fitRate), Is.GreaterThan(Math.Abs(p.Average() - recent.Churned / (double)recent.Count)),
            "the calibration follows the later period, not the one the classifier learned from");
    }

    [TestCase(90, ChurnCalibrationMethod.Seasonal)]
    [TestCase(120, ChurnCalibrationMethod.Platt)]
    public void Train_Seasonal_NeedsAHorizonOfHistoryBeforeTheEvaluationsCalibrationCutoffAYearEarlier(int horizon, ChurnCalibrationMethod expected)
    {
        // 720 days of history: the evaluation calibrates at as-of − 2H, a year earlier is day 720 − 2H − 364 of the
        // history: day 176 with H = 90 (two horizons after the start), day 116 with H = 120 (less than one horizon).
        var trained = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, horizon, Inputs, Small with { Calibration = ChurnCalibrationMethod.Seasonal });
        var platt = ChurnWorkflow.Train(_builder, SyntheticHistories.AsOf, horizon, Inputs, Small);

        Assert.That(trained.Model.Calibration.Method, Is.EqualTo(expected));
        var (a, b) = trained.Model.Calibration switch
        {
            SeasonalPlattScaling s => (s.A, s.B),
            PlattScaling p => (p.A, p.B),
            var other => throw new AssertionException($"unexpected calibration {other}"),
        };
        var plain = (PlattScaling)platt.Model.Calibration;
        Assert.That(a, Is.EqualTo(plain.A), "the same classifier and latest period: the slope is Platt's");
        if (expected == ChurnCalibrationMethod.Seasonal)
        {
            Assert.That(b, Is.Not.EqualTo(plain.B).Within(1e-6), "last year's change moves the intercept");
        }
        else
        {
            Assert.That(trained.Evaluation.Model.Brier, Is.EqualTo(platt.Evaluation.Model.Brier));
        }
    }
}
