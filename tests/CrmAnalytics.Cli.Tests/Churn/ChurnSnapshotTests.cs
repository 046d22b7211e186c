using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Scoring;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.Cli.Tests.Churn;

/// <summary>Scoring churn on the run's snapshot must equal scoring from the transactions, which rebuilds everything.</summary>
[TestFixture]
public sealed class ChurnSnapshotTests
{
    [Test]
    public async Task Score_SampleRunSnapshot_SameChurnColumnsAsScoringFromScratch()
    {
        var read = await TransactionReader.ReadAsync(Crm.SampleTransactions, TransactionPresets.All["sample"], NullRejectSink.Instance);
        var builder = read.Builder;
        var asOf = builder.DefaultAsOf();
        var inputs = new ChurnInputs { Clv = new ClvScoringOptions() };
        var horizon = ChurnWorkflow.ChooseHorizon(builder, asOf, null);
        var model = ChurnWorkflow.Train(builder, asOf, horizon.Days, inputs, new ChurnTrainingOptions()).Model;

        var summary = builder.Build(asOf);
        var scored = CustomerScorer.Score(summary, inputs.Scoring);
        var clv = ClvScorer.Score(summary.Customers, inputs.Clv);
        var snapshot = new CustomerSnapshot(summary, scored.Customers.Select(c => c.Rfm).ToArray(), clv.PurchaseModel);

        var onSnapshot = ChurnScorer.Score(model, snapshot, inputs, ChurnActiveBase.DefaultDays, new ChurnBandOptions());
        var fromScratch = ChurnScorer.Score(model, builder, asOf, inputs, ChurnActiveBase.DefaultDays, new ChurnBandOptions());

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
