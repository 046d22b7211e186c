using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Init;

/// <summary>
/// Issue 14: <c>crm init</c> on the real transaction logs in ../shared/datasets. Each job validates with zero malformed
/// rows, and its net amount equals the one the dataset's preset reads (and, for CDNOW master, SOURCE.md's sum).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class InitRealDataTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("online_retail", "online_retail.csv", "online-retail", 541_909)]
    [TestCase("online_retail_ii", "online_retail_ii_2009_2010.csv", "online-retail", 525_461)]
    [TestCase("cdnow", "CDNOW_master.txt", "cdnow", 69_659)]
    [TestCase("cdnow", "CDNOW_sample.txt", "cdnow-sample", 6_919)]
    public async Task Init_RealTransactionLog_JobValidatesWithZeroMalformedRowsAndThePresetsTotal(string folder, string file, string preset, long rows)
    {
        var export = DatasetPaths.File(folder, file);

        var validated = InitJob.InitAndValidate(export, _temp["job.json"]);

        var presetRead = await TransactionReader.ReadAsync(export, TransactionPresets.Get(preset), NullRejectSink.Instance);
        var presetNet = presetRead.Builder.Build(presetRead.Builder.DefaultAsOf()).Customers.Sum(c => (decimal)c.MonetaryTotal);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(validated.RowsMalformed, Is.Zero, validated.Init.ToString());
            Assert.That(validated.RowsRead, Is.EqualTo(rows));
            Assert.That(validated.NetAmount, Is.EqualTo(Math.Round(presetNet, 2)));
        }
    }

    [Test]
    public void Init_CdnowMaster_NetAmountIsSourceMdsSum()
    {
        var validated = InitJob.InitAndValidate(DatasetPaths.File("cdnow", "CDNOW_master.txt"), _temp["job.json"]);

        // SOURCE.md: sum dollar_value 2,500,315.63, with 80 rows of 0.00 (rejected as zero_amount, excluded by design).
        Assert.That(validated.NetAmount, Is.EqualTo(2_500_315.63m));
        Assert.That(validated.RowsAccepted, Is.EqualTo(69_659 - 80));
        Assert.That(validated.Init.Output, Does.Contain("\"zero-amount\": \"Purchase\""), "the job's comments name the preset's choice for $0 rows");
    }

    /// <summary>The grocery log has no money and the donations file no dates: init says so, naming the file, and writes nothing.</summary>
    [TestCase("grocery_btydplus", "groceryElog.csv", "no column holds money")]
    [TestCase("donations", "donations.csv", "no column holds dates")]
    public void Init_DatasetThatIsNotATransactionLog_ExitsThreeNamingTheFileAndWritesNoJob(string folder, string file, string reason)
    {
        var export = DatasetPaths.File(folder, file);

        var run = Crm.Run("init", export, "--out", _temp["job.json"]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputUnreadable), run.ToString());
        Assert.That(run.Error, Does.Contain(export).And.Contain(reason));
        Assert.That(File.Exists(_temp["job.json"]), Is.False);
    }
}
