using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>The columns of segments/*.csv: a marketer's set by default, <c>--segment-columns</c> names them (issue 11, "Writing").</summary>
[TestFixture]
public sealed class SegmentColumnsTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_Default_SegmentFilesCarryTheMarketersColumns()
    {
        var outDir = _temp["out"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Header(outDir, "segments", "champions.csv"), Is.EqualTo(new[]
        {
            "customer_id", "segment", "lifecycle_stage", "value_tier", "rfm_code", "recency_days", "orders", "monetary_total",
            "p_alive", "expected_purchases_365d", "clv_12m", "churn_probability", "churn_risk",
        }));
        // 29 summary columns, 15 CLV (5 with their _lo/_hi bounds) and 5 churn.
        Assert.That(Header(outDir, "customers.csv"), Has.Length.EqualTo(49), "customers.csv keeps every column");
    }

    [Test]
    public void Score_All_SegmentFilesCarryEveryColumn()
    {
        var outDir = _temp["out"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--segment-columns", "all", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Header(outDir, "segments", "others.csv"), Is.EqualTo(Header(outDir, "customers.csv")));
    }

    [Test]
    public void Score_NamedColumns_SegmentFilesCarryThemInThatOrder()
    {
        var outDir = _temp["out"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--segment-columns", "clv_12m, customer_id", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Header(outDir, "segments", "lost.csv"), Is.EqualTo(new[] { "clv_12m", "customer_id" }));
    }

    [TestCase("customer_id,bogus", "'bogus'")]
    [TestCase("customer_id,churn_probability", "'churn_probability'")] // no churn model in this run
    [TestCase("customer_id,customer_id", "named twice")]
    public void Score_UnknownColumn_FailsWithExit2BeforeReading(string columns, string message)
    {
        var outDir = _temp["out"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--segment-columns", columns, "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(message));
        Assert.That(Directory.Exists(outDir), Is.False, "nothing published");
    }

    private static string[] Header(params string[] path) => SimpleCsv.ParseFile(Path.Combine(path))[0];
}
