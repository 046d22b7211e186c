using CrmAnalytics.Core;

namespace CrmAnalytics.Tests;

/// <summary>
/// The library gives the numbers <c>crm score</c> publishes: the same stages run on the same accepted rows, so
/// customers.csv and the library's customer table agree customer by customer, from a file and from a DataFrame.
/// </summary>
[TestFixture]
public sealed class ScorecardTests
{
    [Test]
    public async Task ScoreAsync_CdnowFileAndDataFrame_SameCustomersAsCrmScore()
    {
        var path = CrmRun.Dataset("cdnow", "CDNOW_master.txt");
        var outDir = CrmRun.Score(path, "--preset", "cdnow");
        try
        {
            var options = new ScorecardOptions { Preset = "cdnow" };
            var fromFile = await Scorecard.ScoreFileAsync(path, options);
            var fromFrame = await Scorecard.ScoreAsync(CrmRun.WhitespaceTextFrame(path), options);

            var customersCsv = Path.Combine(outDir, "customers.csv");
            CrmRun.AssertSameCustomers(fromFile.Customers, customersCsv);
            CrmRun.AssertSameCustomers(fromFrame.Customers, customersCsv);
            var (read, accepted, rejected) = CrmRun.Accounting(outDir);
            foreach (var result in new[] { fromFile, fromFrame })
            {
                Assert.That((result.Accounting.RowsRead, result.Accounting.RowsAccepted, result.Accounting.RowsRejected), Is.EqualTo((read, accepted, rejected)));
                Assert.That(result.Customers.Rows.Count, Is.EqualTo(23_570));
                // The default --clv-model auto picks MBG/NBD on CDNOW master's default holdout, in the library as in crm score.
                Assert.That(result.Clv!.Model, Is.EqualTo("mbgnbd"));
                Assert.That(result.Churn!.ActiveCustomers + result.Churn.LapsedCustomers, Is.EqualTo(23_570));
                Assert.That(result.Segments.Sum(s => s.Customers), Is.EqualTo(23_570));
            }
        }
        finally
        {
            CrmRun.Delete(outDir);
        }
    }

    [Test]
    public async Task ScoreAsync_OnlineRetailDataFrame_SameCustomersAndAccountingAsCrmScore()
    {
        var path = CrmRun.Dataset("online_retail", "online_retail.csv");
        var outDir = CrmRun.Score(path, "--preset", "online-retail");
        try
        {
            var result = await Scorecard.ScoreAsync(CrmRun.TextFrame(path), new ScorecardOptions { Preset = "online-retail" });

            CrmRun.AssertSameCustomers(result.Customers, Path.Combine(outDir, "customers.csv"));
            var (read, accepted, rejected) = CrmRun.Accounting(outDir);
            Assert.That((result.Accounting.RowsRead, result.Accounting.RowsAccepted, result.Accounting.RowsRejected), Is.EqualTo((read, accepted, rejected)));
            Assert.That(result.Accounting.RowsRead, Is.EqualTo(541_909));
            Assert.That(result.Rejects, Has.Count.EqualTo(result.Accounting.RowsRejected));
            Assert.That(result.Rejects.Where(r => r.Reason == "missing_customer_id").Select(r => r.Column).Distinct(), Is.EqualTo(new[] { "CustomerID" }));
        }
        finally
        {
            CrmRun.Delete(outDir);
        }
    }

    [Test]
    public async Task ScoreAsync_InvalidOptions_ListsEveryProblemBeforeReading()
    {
        var options = new ScorecardOptions { Preset = "nope", ClvModel = "weibull", ChurnTrainer = "forest", MaxRejectRate = 2 };

        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => Scorecard.ScoreFileAsync("/no/such/file.csv", options));

        Assert.That(ex!.Message, Does.Contain("Unknown preset 'nope'")
            .And.Contain("weibull")
            .And.Contain("Unknown churn trainer 'forest'")
            .And.Contain("MaxRejectRate must be between 0 and 1"));
    }
}
