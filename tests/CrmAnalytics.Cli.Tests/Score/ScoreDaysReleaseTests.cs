using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Stages.Churn;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>
/// The transactions' days (0.2 GB at 1.35M customers) are freed once churn training is done, on every path of a run:
/// churn training frees them itself; a run that loads its churn model, or has none, freed nothing before, and its peak
/// on the 10M-line sample passed 1 GiB with a loaded model. No stage after churn training reads them (it would throw),
/// so a run that ends with them freed also proves that.
/// </summary>
[TestFixture]
public sealed class ScoreDaysReleaseTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("none")]
    [TestCase("loaded")]
    [TestCase("trained")]
    public async Task ModelAsync_AnyChurnPath_EndsWithTheDaysFreed(string churn)
    {
        ChurnJobOptions? churnOptions = churn switch
        {
            "none" => null,
            "loaded" => new ChurnJobOptions { ModelPath = TrainedModel() },
            _ => new ChurnJobOptions(),
        };
        var options = SampleJob.Options(_temp["out"]) with { Churn = churnOptions, RequireClv = true, RequireChurn = true };
        var stages = new ScoreStages(options, new RunLog(TextWriter.Null, Verbosity.Quiet), new StageMeter());
        var input = await stages.ReadAsync(_temp.Path, CancellationToken.None);
        Assert.That(input.Transactions.Builder.DaysReleased, Is.False);

        var run = await stages.ModelAsync(input, CancellationToken.None);

        Assert.That(input.Transactions.Builder.DaysReleased, Is.True);
        Assert.That(run.Clv, Is.Not.Null, "the CLV columns are computed after the days are freed");
        Assert.That(run.Churn is not null, Is.EqualTo(churn != "none"), "churn is scored after the days are freed");
    }

    private string TrainedModel()
    {
        var model = _temp["models/churn.zip"];
        var trained = Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--model-out", model);
        Assert.That(trained.ExitCode, Is.EqualTo(0), trained.ToString());
        return model;
    }
}
