using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Fit;

/// <summary>A bundle fitted without CLV or churn: scoring with it names the flags that turn those parts off, and they work.</summary>
[TestFixture]
public sealed class FitBundleHintTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_BundleWithoutClvOrChurn_HintNamesRealFlagsThatThenScore()
    {
        var fit = Crm.Run("fit", Crm.SampleTransactions, "--preset", "sample", "--clv-model", "none", "--churn-trainer", "none", "--out", _temp["bundle"]);
        Assert.That(fit.ExitCode, Is.Zero, fit.ToString());

        var refused = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--models", _temp["bundle"], "--out", _temp["refused"]);
        var hinted = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--models", _temp["bundle"], "--out", _temp["scored"],
            "--clv-model", "none", "--churn-trainer", "none");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
            Assert.That(refused.Error, Does.Contain("fit it with CLV, or score with --clv-model none."));
            Assert.That(refused.Error, Does.Contain("fit it with churn, or score with --churn-trainer none."));
            Assert.That(hinted.ExitCode, Is.Zero, hinted.ToString());
        }
    }
}
