using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Churn;

/// <summary>Issue 17 items 14 and 20: <c>--model-out</c> must name a model file that its sidecar cannot overwrite.</summary>
[TestFixture]
public sealed class ChurnModelOutTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Train_ModelOutRoot_ExitsTwoSayingItIsAFolder()
    {
        var run = Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--model-out", "/");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--model-out / is a folder"));
    }

    [Test]
    public void Train_ModelOutExistingFolder_ExitsTwo()
    {
        var run = Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--model-out", _temp.Path);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("is a folder"));
    }

    [Test]
    public void Train_ModelOutJson_ExitsTwoBecauseTheSidecarWouldOverwriteIt()
    {
        var run = Crm.Run("churn", "train", Crm.SampleTransactions, "--preset", "sample", "--model-out", _temp["m.json"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("sidecar").And.Contain("m.zip"));
        Assert.That(File.Exists(_temp["m.json"]), Is.False);
    }
}
