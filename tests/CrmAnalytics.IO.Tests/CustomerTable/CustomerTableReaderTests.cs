using CrmAnalytics.TestSupport.Tables;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Tests.TestSupport;

namespace CrmAnalytics.IO.Tests.CustomerTable;

[TestFixture]
public sealed class CustomerTableReaderTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>Issue 17 item 7: ids that the CSV writer neutralises read back as they were, and =x and '=x stay apart.</summary>
    [Test]
    public async Task ReadAsync_CsvOnlyWithNeutralisedIds_ReadsTheTrueIds()
    {
        string[] ids = ["+4930123456", "=x", "'=x", "''=x", "'x", "'", "-7", "@home", "\tcmd", "plain", "it's"];
        CustomerCsvWriter.WriteFile(_temp.Combine(OutputFileNames.CustomersCsv), ids.Select(TestCustomers.Standard).Table());

        var table = await CustomerTableReader.ReadAsync(_temp.Path, ["customer_id", "segment"], []);

        Assert.That(table["customer_id"], Is.EqualTo(ids));
        Assert.That(table["segment"], Is.All.EqualTo(TestCustomers.Standard().Segment.Name));
    }

    [TestCase(CsvDialect.Rfc4180)]
    [TestCase(CsvDialect.Excel)]
    public async Task ReadAsync_CsvOnlyInEitherDialect_ReadsIdsTextAndNumbersBack(CsvDialect dialect)
    {
        string[] ids = ["a;b", "1,5", "=x", "'=x", "Zoë", "plain"];
        var customers = ids.Select((id, i) => TestCustomers.Standard(id) with
        {
            Summary = TestCustomers.Standard().Summary with { CustomerId = id, GrossSpend = 150 + i + 100.0 / 3 },
        }).Table();
        CustomerCsvWriter.WriteFile(_temp.Combine(OutputFileNames.CustomersCsv), customers, dialect: dialect);

        var table = await CustomerTableReader.ReadAsync(_temp.Path, ["customer_id", "segment", "monetary_total", "r_score"], []);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(table.Rows, Is.EqualTo(ids.Length));
            Assert.That(table["customer_id"], Is.EqualTo(ids));
            Assert.That(table["segment"], Is.All.EqualTo("Champions"));
            Assert.That(Enumerable.Range(0, ids.Length).Select(i => table.Number("monetary_total", i)),
                Is.EqualTo(customers.Select(c => (double?)Math.Round(c.Summary.MonetaryTotal, 2, MidpointRounding.AwayFromZero))),
                "money to cents (README, \"Rounding in CSVs\"), then exactly: the shortest round-trip text");
            Assert.That(table.Number("r_score", 0), Is.EqualTo(4));
        }
    }
}
