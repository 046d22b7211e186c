using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Run;

/// <summary>Issue 17 item 16: <c>crm run --check</c> reports every problem at once, and accepts integral JSON numbers.</summary>
[TestFixture]
public sealed class RunCheckAllProblemsTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Check_TwoMissingFilesAndBadValues_ReportsEveryOneOfThem()
    {
        // Before: only the value that did not parse was reported, and none of the missing files or later problems.
        var job = _temp.Write("job.json", """
            {
              "transactions": "nope.csv",
              "out": "out",
              "surveys": "nope2.csv",
              "top-share": "abc",
              "as-of": "bad",
              "inactive-days": -1,
              "segments": "rules-missing.json"
            }
            """);

        var run = Crm.Run("run", "--check", job);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("'transactions':").And.Contain("nope.csv does not exist"));
        Assert.That(run.Error, Does.Contain("'surveys':").And.Contain("nope2.csv does not exist"));
        Assert.That(run.Error, Does.Contain("--top-share: 'abc' is not a number"));
        Assert.That(run.Error, Does.Contain("--as-of 'bad'"));
        Assert.That(run.Error, Does.Contain("--inactive-days must be 0 or more"));
        Assert.That(run.Error, Does.Contain("rules-missing.json"));
        Assert.That(run.Error, Does.Contain("6 problem(s)"));
    }

    [TestCase("1e2")]
    [TestCase("100.0")]
    [TestCase("100")]
    public void Check_IntegralNumberInAnySpelling_IsAcceptedForAnIntegerOption(string keep)
    {
        var job = _temp.Write("job.json", $$"""{ "transactions": "{{Crm.SampleTransactions}}", "preset": "sample", "out": "out", "keep": {{keep}} }""");

        var run = Crm.Run("run", "--check", job);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
    }

    [Test]
    public void Check_FractionForAnIntegerOption_SaysItIsNotAWholeNumber()
    {
        var job = _temp.Write("job.json", $$"""{ "transactions": "{{Crm.SampleTransactions}}", "preset": "sample", "out": "out", "keep": 1.5 }""");

        var run = Crm.Run("run", "--check", job);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--keep: '1.5' is not a whole number"));
        Assert.That(run.Error, Does.Not.Contain("System."));
    }
}
