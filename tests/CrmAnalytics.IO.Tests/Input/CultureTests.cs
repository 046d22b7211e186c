using System.Globalization;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Tests.Input;

/// <summary>Parsing must not depend on the machine's culture: de-DE writes 1.234,5 and would misread "12.50".</summary>
[TestFixture]
[SetCulture("de-DE")]
public sealed class CultureTests
{
    [Test]
    public async Task Read_UnderGermanCulture_ParsesInvariantNumbersAndDates()
    {
        using var files = new ReaderTestFiles();
        var path = files.Write("t.csv", "customer_id,date,amount\nA,2024-01-31,12.50\nA,2024-02-01,1000.25\n");

        var result = await TransactionReader.ReadAsync(path, TransactionPresets.Generic, NullRejectSink.Instance);
        var a = result.Builder.Build(new DateOnly(2024, 2, 2)).Customers.Single();

        Assert.That(CultureInfo.CurrentCulture.Name, Is.EqualTo("de-DE"));
        Assert.That(a.GrossSpend, Is.EqualTo(1012.75));
    }

    [Test]
    public async Task Read_UnderGermanCulture_CdnowDollarValuesParse()
    {
        var result = await TransactionReader.ReadAsync(
            CrmAnalytics.Tests.Shared.DatasetPaths.File("cdnow", "CDNOW_master.txt"), TransactionPresets.Cdnow, NullRejectSink.Instance);

        // SOURCE.md: sum of dollar_value over all 69,659 rows is 2,500,315.63.
        var summary = result.Builder.Build(result.Builder.DefaultAsOf());
        Assert.That(summary.Customers.Sum(c => c.GrossSpend), Is.EqualTo(2_500_315.63).Within(0.005));
        Assert.That(summary.Customers, Has.Count.EqualTo(23_570));
    }
}
