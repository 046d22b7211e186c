using CrmAnalytics.Cli.Options;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Options;

/// <summary>Issue 17 items 14 and 20: option errors in the user's words, with exit 2 before any data is read.</summary>
[TestFixture]
public sealed class OptionMessagesTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("--keep", "1.5", "--keep: '1.5' is not a whole number.")]
    [TestCase("--top-share", "x", "--top-share: 'x' is not a number")]
    [TestCase("--zero-amount", "Drop", "--zero-amount: 'Drop' is not one of Reject, Purchase.")]
    public void Score_ValueOfTheWrongType_NamesTheKindOfValueNotTheDotNetType(string option, string value, string expected)
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--out", _temp["out"], option, value);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(expected));
        Assert.That(run.Error, Does.Not.Contain("System.").And.Not.Contain("`1"));
    }

    [TestCase("--top-share", "2", "--top-share must be between 0 and 1")]
    [TestCase("--margin", "0", "--margin must be greater than 0")]
    [TestCase("--active-window-days", "45", "--active-window-days must be one of")]
    public void Score_OutOfRangeValue_NamesTheOptionNotTheProperty(string option, string value, string expected)
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], option, value);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(expected));
        Assert.That(run.Error, Does.Not.Contain("TopShare").And.Not.Contain("Margin must").And.Not.Contain("ActiveWindowDays"));
    }

    [TestCase("Infinity")]
    [TestCase("NaN")]
    [TestCase("-0.1")]
    public void Score_FailOnDriftNotAFinitePositivePsi_ExitsTwo(string limit)
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], "--fail-on-drift", limit);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--fail-on-drift must be a positive, finite PSI"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Score_EveryChurnSettingOutOfRange_ListsEachByItsOptionNeverBySetting()
    {
        string[] training = ["--churn-trees", "0", "--churn-leaves", "1", "--churn-learning-rate", "2", "--churn-active-days", "0", "--churn-train-max-rows", "-1"];
        var shares = Crm.Run(["score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], .. training, "--churn-high-share", "0.9"]);
        var thresholds = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], "--churn-high", "0.3");

        Assert.Multiple(() =>
        {
            Assert.That((shares.ExitCode, thresholds.ExitCode), Is.EqualTo((2, 2)), shares + Environment.NewLine + thresholds);
            Assert.That(shares.Error.ReplaceLineEndings("\n"), Does.Contain(string.Join("\n", [
                "--churn-trees must be at least 1.",
                "--churn-leaves must be at least 2.",
                "--churn-learning-rate must be in (0, 1].",
                "--churn-train-max-rows must be 0 (no sampling) or more.",
                "--churn-active-days must be at least 1.",
                "--churn-high-share (0.9) and --churn-medium-share (0.2) must satisfy 0 < high, 0 ≤ medium, high + medium ≤ 1."])));
            Assert.That(thresholds.Error, Does.Contain("--churn-medium and --churn-high must satisfy 0 < medium < high ≤ 1."));
            Assert.That(shares.Error + thresholds.Error, Does.Not.Contain("Options.").And.Not.Contain("ChurnRiskThresholds"));
        });
    }

    [TestCase("ChurnTrainingOptions.Trees must be at least 1.", "--churn-trees must be at least 1.")]
    [TestCase("TopShare must be between 0 and 1 (got 2)", "--top-share must be between 0 and 1 (got 2)")]
    [TestCase("a.csv: 2 problem(s):\n  ChurnRiskThresholds.Medium and ChurnRiskThresholds.High must satisfy", "a.csv: 2 problem(s):\n  --churn-medium and --churn-high must satisfy")]
    [TestCase("--segment-columns: 'TopShare' is not a column of this run", "--segment-columns: 'TopShare' is not a column of this run")]
    [TestCase("Cannot read '/data/Margin' to hash it", "Cannot read '/data/Margin' to hash it")]
    [TestCase("ChurnTrainingOptions.Seed and Margins stay", "ChurnTrainingOptions.Seed and Margins stay")]
    public void WithOptionNames_Message_MapsOnlyKnownSettingsStandingAlone(string message, string expected) =>
        Assert.That(OptionMessages.WithOptionNames(message), Is.EqualTo(expected));
}
