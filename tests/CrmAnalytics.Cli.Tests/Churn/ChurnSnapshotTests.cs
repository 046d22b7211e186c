using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Scoring;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Stages.Score;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.Cli.Tests.Churn;

/// <summary>Scoring churn on the run's snapshot must equal scoring from the transactions, which rebuilds everything.</summary>
[TestFixture]
public sealed class ChurnSnapshotTests
{
    [Test]
    public async Task Score_SampleRunSnapshot_SameChurnColumnsAsScoringFromScratch()
    {
        using var temp = new TempFolder();
        var options = SampleJob.Options(temp["out"]);
        var stages = new ScoreStages(options, new RunLog(TextWriter.Null, Verbosity.Quiet), new StageMeter());
        var input = await stages.ReadAsync(temp.Path, CancellationToken.None);
        var run = await stages.FitValueAsync(stages.Score(input, await stages.SummarizeAsync(input, CancellationToken.None)), CancellationToken.None);
        var builder = input.Transactions.Builder;
        var inputs = new ChurnInputs { Clv = options.Clv };
        var horizon = ChurnWorkflow.ChooseHorizon(builder, input.AsOf, null);
        var model = ChurnWorkflow.Train(builder, input.AsOf, horizon.Days, inputs, new ChurnTrainingOptions()).Model;

        var onSnapshot = ChurnScorer.Score(model, run.Snapshot, inputs, ChurnActiveBase.DefaultDays, new ChurnBandOptions());
        var fromScratch = ChurnScorer.Score(model, builder, input.AsOf, inputs, ChurnActiveBase.DefaultDays, new ChurnBandOptions());

        Assert.That(run.Snapshot.PurchaseModel, Is.Not.Null, "the CLV fit stage hands its purchase-model fit on");
        Assert.That(model.Schema.UsesClv, Is.True, "the model reads p_alive and expected_purchases_90d, so the snapshot's fit is used");
        Assert.That(onSnapshot.Active, Is.EqualTo(fromScratch.Active).And.GreaterThan(0));
        Assert.That(onSnapshot.Bands.HighCutoff, Is.EqualTo(fromScratch.Bands.HighCutoff));
        Assert.That(onSnapshot.Bands.MediumCutoff, Is.EqualTo(fromScratch.Bands.MediumCutoff));
        Assert.That(onSnapshot.Customers.Select(c => c.Probability), Is.EqualTo(fromScratch.Customers.Select(c => c.Probability)));
        Assert.That(onSnapshot.Customers.Select(c => c.Risk), Is.EqualTo(fromScratch.Customers.Select(c => c.Risk)));
        Assert.That(onSnapshot.Customers.Select(c => string.Join('|', c.Reasons)), Is.EqualTo(fromScratch.Customers.Select(c => string.Join('|', c.Reasons))));
        Assert.That(onSnapshot.Customers.Select(c => string.Join('|', c.ReasonTexts)), Is.EqualTo(fromScratch.Customers.Select(c => string.Join('|', c.ReasonTexts))));
    }
}
