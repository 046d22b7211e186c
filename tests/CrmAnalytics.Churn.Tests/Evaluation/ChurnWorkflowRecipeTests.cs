using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Tests.TestSupport;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.Churn.Tests.Evaluation;

/// <summary>
/// <see cref="ChurnWorkflow.Train"/> walks the transactions once and builds, scores or samples each cut-off's rows where
/// it needs them (some never as a matrix). These tests hold it to the recipe of DESIGN.md ("Churn") done the plain way:
/// each cut-off's active rows built whole on their own, the classifiers trained and calibrated by
/// <see cref="ChurnModelTrainer.Train"/>.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ChurnWorkflowRecipeTests
{
    private const int Horizon = 90;

    private static readonly ChurnTrainingOptions Small = new() { Trees = 20, Leaves = 8, MinimumLeafRows = 10, ActiveDays = 120 };

    [TestCase(0)]
    [TestCase(400)]
    public void Train_IsTheRecipeOnCutoffsBuiltOneByOne(int trainMaxRows)
    {
        var builder = SyntheticHistories.Build(3_000, seed: 7);
        var inputs = new ChurnInputs();
        var options = Small with { TrainMaxRows = trainMaxRows };
        var asOf = SyntheticHistories.AsOf;
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        ChurnDataset ActiveAt(int horizonsBack) =>
            ChurnFeatureBuilder.Build(builder, asOf.AddDays(-horizonsBack * Horizon), schema, inputs, Horizon, options.ActiveDays);
        var (a3, a2, a1) = (ActiveAt(3), ActiveAt(2), ActiveAt(1));
        Assume.That(a2.Count, Is.GreaterThan(400), "the cap of 400 must sample the calibration cut-off's rows");

        var trained = ChurnWorkflow.Train(builder, asOf, Horizon, inputs, options);

        // The scoring model: classifier on A − 2H (its sample above the cap), calibrated on A − H.
        var scoring = ChurnModelTrainer.Train(a2, a1, options);
        Assert.That(trained.Model.Calibration, Is.EqualTo(scoring.Calibration));
        var probe = ActiveAt(0);
        Assert.That(trained.Model.Probabilities(probe), Is.EqualTo(scoring.Probabilities(probe)));

        // The evaluation: classifier on A − 3H, calibrated on A − 2H, measured on A − H's active base. The Brier score
        // and log loss read the calibrated probabilities, so they also check the calibration, which AUC cannot see.
        var evaluation = ChurnModelTrainer.Train(a3, a2, options);
        var expected = ChurnMetricsCalculator.ForProbability(
            options.Trainer.ToString().ToLowerInvariant(), evaluation.Probabilities(a1), a1.Labels!);
        var measured = trained.Evaluation.Model;
        Assert.That((measured.Count, measured.Churned), Is.EqualTo((expected.Count, expected.Churned)));
        Assert.That(measured.Auc, Is.EqualTo(expected.Auc));
        Assert.That(measured.Brier, Is.EqualTo(expected.Brier));
        Assert.That(measured.LogLoss, Is.EqualTo(expected.LogLoss));
    }
}
