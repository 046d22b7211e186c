using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Tests.TestSupport;
using CrmAnalytics.Churn.Training;

namespace CrmAnalytics.Churn.Tests.Training;

/// <summary>The stratified training sample above --churn-train-max-rows.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ChurnTrainingSampleTests
{
    private static readonly ChurnTrainingOptions Small = new() { Trees = 20, Leaves = 8, MinimumLeafRows = 10, ActiveDays = 120 };

    private static ChurnDataset Rows()
    {
        var builder = SyntheticHistories.Build(3_000, seed: 7);
        var inputs = new ChurnInputs();
        var cutoff = SyntheticHistories.AsOf.AddDays(-180);
        return ChurnFeatureBuilder.Build(builder, cutoff, ChurnFeatureBuilder.DeriveSchema(inputs), inputs, 90);
    }

    [TestCase(100)]
    [TestCase(777)]
    [TestCase(1_500)]
    public void Rows_AboveTheCap_TakesTheCapAndKeepsEachLabelShareWithinOneRow(int cap)
    {
        var data = Rows();
        Assume.That(data.Count, Is.GreaterThan(cap));
        Assume.That(data.Churned, Is.InRange(1, data.Count - 1));

        var rows = ChurnTrainingSample.Rows(data, cap, seed: 1)!;

        Assert.That(rows, Has.Length.EqualTo(cap));
        Assert.That(rows, Is.Ordered.Ascending.And.Unique);
        Assert.That(rows, Is.All.InRange(0, data.Count - 1));
        var churned = rows.Count(i => data.Labels![i]);
        var expected = (double)cap * data.Churned / data.Count;
        Assert.That(churned, Is.InRange(expected - 1, expected + 1), $"churned {churned} of {cap}; the full set's share gives {expected:F2}");
    }

    [Test]
    public void Rows_SameSeed_SameRows_OtherSeed_OtherRows()
    {
        var data = Rows();

        var first = ChurnTrainingSample.Rows(data, 500, seed: 3);
        var again = ChurnTrainingSample.Rows(Rows(), 500, seed: 3);
        var other = ChurnTrainingSample.Rows(data, 500, seed: 4);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void Rows_AtOrBelowTheCap_OrNoCap_IsNoSample()
    {
        var data = Rows();

        Assert.That(ChurnTrainingSample.Rows(data, 0, seed: 1), Is.Null);
        Assert.That(ChurnTrainingSample.Rows(data, data.Count, seed: 1), Is.Null);
        Assert.That(ChurnTrainingSample.Rows(data, data.Count + 1, seed: 1), Is.Null);
        Assert.That(ChurnTrainingSample.Size(data.Count, 0), Is.EqualTo(data.Count));
        Assert.That(ChurnTrainingSample.Size(data.Count, data.Count - 1), Is.EqualTo(data.Count - 1));
    }

    [Test]
    public void Train_CapAtOrAboveTheRows_IsTheUnsampledModel_BelowIsRecordedAndDeterministic()
    {
        var builder = SyntheticHistories.Build(3_000, seed: 7);
        var inputs = new ChurnInputs();

        var full = ChurnWorkflow.Train(builder, SyntheticHistories.AsOf, 90, inputs, Small with { TrainMaxRows = 0 });
        var above = ChurnWorkflow.Train(builder, SyntheticHistories.AsOf, 90, inputs, Small with { TrainMaxRows = full.Rows });
        var cap = full.Rows / 2;
        var sampled = ChurnWorkflow.Train(builder, SyntheticHistories.AsOf, 90, inputs, Small with { TrainMaxRows = cap });
        var again = ChurnWorkflow.Train(builder, SyntheticHistories.AsOf, 90, inputs, Small with { TrainMaxRows = cap });

        Assert.That((full.RowsUsed, above.RowsUsed), Is.EqualTo((full.Rows, full.Rows)));
        Assert.That(above.Evaluation.Model.Auc, Is.EqualTo(full.Evaluation.Model.Auc));
        Assert.That(above.Model.Calibration, Is.EqualTo(full.Model.Calibration));
        Assert.That((sampled.Rows, sampled.RowsUsed), Is.EqualTo((full.Rows, cap)));
        Assert.That(sampled.Evaluation.TrainRowsUsed, Is.EqualTo(Math.Min(cap, sampled.Evaluation.TrainRows)));
        Assert.That(again.Evaluation.Model.Auc, Is.EqualTo(sampled.Evaluation.Model.Auc));
        Assert.That(again.Model.Calibration, Is.EqualTo(sampled.Model.Calibration));
    }

    [Test]
    public void Validate_NegativeCap_IsRefused()
    {
        Assert.That(new ChurnTrainingOptions { TrainMaxRows = -1 }.Validate(), Has.Some.Contains("ChurnTrainingOptions.TrainMaxRows"));
        Assert.That(new ChurnTrainingOptions { TrainMaxRows = 0 }.Validate(), Is.Empty);
    }
}
