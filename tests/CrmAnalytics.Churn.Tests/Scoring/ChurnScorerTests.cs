using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Scoring;
using CrmAnalytics.Churn.Tests.TestSupport;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Pipeline;

namespace CrmAnalytics.Churn.Tests.Scoring;

[TestFixture]
[NonParallelizable]
public sealed class ChurnScorerTests
{
    [Test]
    public void Score_ReasonTexts_DescribeEachReasonFeatureAtTheCustomersValue()
    {
        var builder = SyntheticHistories.Build(2_000, seed: 9);
        var options = new ChurnTrainingOptions { Trees = 20, Leaves = 8, MinimumLeafRows = 10, ActiveDays = 120 };
        var inputs = new ChurnInputs();
        var model = ChurnWorkflow.Train(builder, SyntheticHistories.AsOf, 90, inputs, options).Model;
        var snapshot = CustomerSnapshot.At(builder, SyntheticHistories.AsOf);

        var result = ChurnScorer.Score(model, snapshot, inputs, 120, new ChurnBandOptions());

        var features = ChurnFeatureBuilder.Build(snapshot, model.Schema, inputs);
        var names = model.Schema.Names.ToArray();
        var expected = result.Customers.Select((c, i) => c.Reasons
            .Select(r => Array.IndexOf(names, r))
            .Select(f => ChurnReasonText.Describe(model.Schema.Features[f], features.Values[i * names.Length + f]))
            .ToArray());
        Assert.That(result.Customers.Select(c => c.ReasonTexts.ToArray()), Is.EqualTo(expected));
        Assert.That(result.Customers.Count(c => c.ReasonTexts.Count > 0), Is.GreaterThan(100));
    }
}
