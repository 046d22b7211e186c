using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Tests.Input;

/// <summary>Issue 14: numbers with digit-group separators (<c>1,234.50</c>, <c>1.234,50</c>, <c>1 234,50</c>, <c>1'234.50</c>) read only when the thousands separator is given.</summary>
[TestFixture]
public sealed class ThousandsSeparatorTests
{
    [TestCase(",", '.', ',', "\"1,234.50\"", 1234.5)]
    [TestCase(";", ',', '.', "1.234,50", 1234.5)]
    [TestCase(";", ',', ' ', "1 234 567,25", 1234567.25)]
    [TestCase(",", '.', '\'', "1'234.50", 1234.5)]
    [TestCase(",", '.', ',', "12.5", 12.5)]
    public async Task Read_GroupedAmount_ParsesWithTheThousandsSeparator(string separator, char decimalSeparator, char thousands, string amount, double expected)
    {
        using var files = new ReaderTestFiles();
        var path = files.Write("t.csv", $"customer_id{separator}date{separator}amount\nA{separator}2024-01-31{separator}{amount}\n");
        var options = TransactionPresets.Generic with { Separator = separator[0], DecimalSeparator = decimalSeparator, ThousandsSeparator = thousands };

        var result = await TransactionReader.ReadAsync(path, options, NullRejectSink.Instance);

        Assert.That(result.Builder.Build(new DateOnly(2024, 2, 1)).Customers.Single().GrossSpend, Is.EqualTo(expected));
    }

    [Test]
    public async Task Read_GroupedAmountWithoutTheThousandsSeparator_IsUnparseable()
    {
        using var files = new ReaderTestFiles();
        var path = files.Write("t.csv", "customer_id,date,amount\nA,2024-01-31,\"1,234.50\"\n");
        var rejects = new CollectingRejectSink();

        var result = await TransactionReader.ReadAsync(path, TransactionPresets.Generic, rejects);

        Assert.That(result.Accounting.RowsAccepted, Is.Zero);
        Assert.That(rejects.Rejects.Single().Reason, Is.EqualTo(RejectReason.UnparseableAmount));
    }

    [TestCase('.', '.')]
    [TestCase(',', ',')]
    [TestCase('.', '_')]
    public void Validate_ThousandsSeparatorEqualToTheDecimalOrUnknown_IsAnError(char decimalSeparator, char thousands)
    {
        var options = TransactionPresets.Generic with { Separator = ';', DecimalSeparator = decimalSeparator, ThousandsSeparator = thousands };

        Assert.That(options.Validate(), Has.One.Contains("thousands separator"));
    }
}
