using CrmAnalytics.IO.Output;

namespace CrmAnalytics.IO.Tests.Output;

[TestFixture]
public sealed class CustomerTableReaderTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("crm-io-tests-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>Issue 17 item 7: ids that the CSV writer neutralises read back as they were, and =x and '=x stay apart.</summary>
    [Test]
    public async Task ReadAsync_CsvOnlyWithNeutralisedIds_ReadsTheTrueIds()
    {
        string[] ids = ["+4930123456", "=x", "'=x", "''=x", "'x", "'", "-7", "@home", "\tcmd", "plain", "it's"];
        CustomerCsvWriter.WriteFile(Path.Combine(_dir, OutputFileNames.CustomersCsv), ids.Select(TestCustomers.Standard));

        var table = await CustomerTableReader.ReadAsync(_dir, ["customer_id", "segment"], []);

        Assert.That(table["customer_id"], Is.EqualTo(ids));
        Assert.That(table["segment"], Is.All.EqualTo(TestCustomers.Standard().Segment.Name));
    }
}
