using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Churn.Tests.Integration;

[TestFixture]
[NonParallelizable]
public sealed class RealDataChurnTests
{
    [TestCase("cdnow/CDNOW_master.txt", "cdnow")]
    [TestCase("online_retail/online_retail.csv", "online-retail")]
    public async Task Evaluate_RealData_ModelBeatsRecencyAndBgNbdBaselines(string file, string preset)
    {
        var read = await TransactionReader.ReadAsync(DatasetPaths.File(file.Split('/')), TransactionPresets.All[preset], NullRejectSink.Instance);
        var asOf = read.Builder.DefaultAsOf();
        var result = ChurnWorkflow.Evaluate(read.Builder, asOf, 90, new ChurnInputs { Clv = new ClvScoringOptions() }, new ChurnTrainingOptions());
        TestContext.Out.WriteLine($"{result.TrainCutoff} {result.TestCutoff} train {result.TrainRows} churned {result.TrainChurned}");
        foreach (var m in new[] { result.Model }.Concat(result.Baselines))
        {
            TestContext.Out.WriteLine($"{m.Name}: n {m.Count} churned {m.Churned} AUC {m.Auc:F4} PR-AUC {m.PrAuc:F4} LL {m.LogLoss:F4} Brier {m.Brier:F4} lift {m.TopDecileLift:F3} capture {m.TopDecileCapture:F3}");
        }

        // The bar: the model's test AUC above both baselines' (recency rank, BG/NBD 1 − P(alive)).
        Assert.That(result.Baselines.Select(b => b.Name), Is.EqualTo(new[] { "recency", "bgnbd_1_minus_p_alive" }));
        Assert.That(result.Model.Auc, Is.GreaterThan(result.Baselines.Max(b => b.Auc)));
        Assert.That(result.Model.Count, Is.EqualTo(result.Baselines[0].Count));
    }
}
