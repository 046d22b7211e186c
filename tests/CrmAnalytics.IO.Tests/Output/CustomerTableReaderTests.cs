using CrmAnalytics.IO.Output;

namespace CrmAnalytics.IO.Tests.Output;

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
        CustomerCsvWriter.WriteFile(_temp.Combine(OutputFileNames.CustomersCsv), ids.Select(TestCustomers.Standard));

        var table = await CustomerTableReader.ReadAsync(_temp.Path, ["customer_id", "segment"], []);

        Assert.That(table["customer_id"], Is.EqualTo(ids));
        Assert.That(table["segment"], Is.All.EqualTo(TestCustomers.Standard().Segment.Name));
    }
}
