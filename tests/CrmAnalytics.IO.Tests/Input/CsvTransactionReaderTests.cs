using System.IO.Compression;
using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Tests.Input;

[TestFixture]
public sealed class CsvTransactionReaderTests
{
    private ReaderTestFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new ReaderTestFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    private async Task<(TransactionReadResult Result, CollectingRejectSink Sink)> Read(string content, TransactionReadOptions? options = null, bool bom = false, string name = "t.csv")
    {
        var path = _files.Write(name, content, bom);
        var sink = new CollectingRejectSink();
        var result = await TransactionReader.ReadAsync(path, options ?? TransactionPresets.Generic, sink);
        return (result, sink);
    }

    [Test]
    public async Task Read_CleanFile_AcceptsEveryRowAndGroupsSameDayIntoOneOccasion()
    {
        var (result, sink) = await Read("customer_id,date,amount\nA,2024-01-01,10\nA,2024-01-01 18:30:00,5\nA,2024-01-05,20\nB,2024-01-03,7.5\n");

        Assert.That(result.Accounting.RowsRead, Is.EqualTo(4));
        Assert.That(result.Accounting.RowsAccepted, Is.EqualTo(4));
        Assert.That(sink.Rejects, Is.Empty);
        var summary = result.Builder.Build(result.Builder.DefaultAsOf());
        var a = summary.Customers.Single(c => c.CustomerId == "A");
        // Two occasions (Jan 1: 10 + 5 = 15, Jan 5: 20); x = 1; mean repeat value = 20; as-of defaults to Jan 6.
        Assert.That((a.Orders, a.Frequency, a.GrossSpend, a.MeanRepeatValue, a.TxDays, a.AgeDays), Is.EqualTo((2, 1, 35.0, 20.0, 4, 4)));
        Assert.That(summary.AsOf, Is.EqualTo(new DateOnly(2024, 1, 6)));
    }

    [Test]
    public async Task Read_BomAndCrlf_ReadsHeaderAndRows()
    {
        var (result, _) = await Read("customer_id,date,amount\r\nA,2024-01-01,10\r\nB,2024-01-02,3\r\n", bom: true);

        Assert.That(result.Accounting.RowsAccepted, Is.EqualTo(2));
    }

    [Test]
    public async Task Read_QuotedNewlineInField_QuoteEndsAtLineEndAndEveryLineIsAccountedFor()
    {
        var csv = "customer_id,note,date,amount\nA,\"two\nlines\",2024-01-01,10\nB,x,not-a-date,3\n";
        var (result, sink) = await Read(csv);

        // A quoted field never spans lines: line 2 is an unterminated quote, line 3 a record of 3 fields, and B's bad
        // date stays on its true line 4.
        Assert.That(result.Accounting.RowsRead, Is.EqualTo(3));
        Assert.That(sink.Rejects.Select(r => (r.Line, r.Reason)), Is.EqualTo(new[]
        {
            (2L, RejectReason.MalformedQuoting), (3L, RejectReason.WrongColumnCount), (4L, RejectReason.UnparseableDate),
        }));
    }

    [Test]
    public async Task Read_WrongColumnCount_RejectsWholeRecord()
    {
        var (result, sink) = await Read("customer_id,date,amount\nA,2024-01-01,10,extra\nB,2024-01-02\nC,2024-01-03,4\n");

        Assert.That(result.Accounting.Count(RejectReason.WrongColumnCount), Is.EqualTo(2));
        Assert.That(sink.Rejects.Select(r => (r.Line, r.Column)), Is.EqualTo(new[] { (2L, string.Empty), (3L, string.Empty) }));
        Assert.That(result.Accounting.RowsAccepted, Is.EqualTo(1));
    }

    [Test]
    public async Task Read_TruncatedLastLine_IsRejectedNotLost()
    {
        var (result, sink) = await Read("customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-0");

        Assert.That(result.Accounting.RowsRead, Is.EqualTo(2));
        Assert.That(sink.Rejects.Single().Line, Is.EqualTo(3));
    }

    [TestCase("A,2024-13-01,10", "date", RejectReason.UnparseableDate)]
    [TestCase("A,2024-02-30,10", "date", RejectReason.UnparseableDate)]
    [TestCase("A,,10", "date", RejectReason.UnparseableDate)]
    [TestCase("A,2024-01-01,ten", "amount", RejectReason.UnparseableAmount)]
    [TestCase("A,2024-01-01,", "amount", RejectReason.UnparseableAmount)]
    [TestCase("A,2024-01-01,1e400", "amount", RejectReason.NonFiniteAmount)]
    [TestCase("A,2024-01-01,NaN", "amount", RejectReason.NonFiniteAmount)]
    [TestCase(",2024-01-01,10", "customer_id", RejectReason.MissingCustomerId)]
    [TestCase("A,2024-01-01,0", "amount", RejectReason.ZeroAmount)]
    public async Task Read_BadField_RejectsWithColumnAndReason(string row, string column, RejectReason reason)
    {
        var (result, sink) = await Read("customer_id,date,amount\n" + row + "\n");

        Assert.That(sink.Rejects.Single(), Is.EqualTo((2L, column, reason, row)));
        Assert.That(result.Accounting.RowsRead, Is.EqualTo(1));
        Assert.That(result.Accounting.RowsMalformed, Is.EqualTo(reason.Kind() == RejectKind.Malformed ? 1 : 0));
    }

    [Test]
    public async Task Read_UnterminatedQuote_RejectsOnlyItsLineAndReadsTheRest()
    {
        var (result, sink) = await Read("customer_id,date,amount\nA,2024-01-01,10\n\"B,2024-01-02,5\nC,2024-01-03,4\n");

        // The quote ends at the end of its line, so C (the line after it) is read and accepted.
        Assert.That(result.Accounting.RowsRead, Is.EqualTo(3));
        Assert.That(result.Accounting.RowsAccepted, Is.EqualTo(2));
        Assert.That(sink.Rejects.Single().Reason, Is.EqualTo(RejectReason.MalformedQuoting));
        Assert.That(sink.Rejects.Single().Line, Is.EqualTo(3));
    }

    [Test]
    public async Task Read_DateOnOrAfterAsOf_RejectedAsExcludedByDesign()
    {
        var options = TransactionPresets.Generic with { AsOf = new DateOnly(2024, 1, 2) };
        var (result, sink) = await Read("customer_id,date,amount\nA,2024-01-01,10\nA,2024-01-02,5\n", options);

        Assert.That(sink.Rejects.Single().Reason, Is.EqualTo(RejectReason.DateAfterAsOf));
        Assert.That(result.Accounting.RowsMalformed, Is.Zero);
    }

    [Test]
    public async Task Read_CancelledInvoiceAndNegativeAmount_ReduceMoneyButAreNotOccasions()
    {
        var options = TransactionPresets.Generic with
        {
            Mapping = TransactionPresets.Generic.Mapping with { OrderId = "order_id" },
            CancelledOrderPrefix = "C",
        };
        var csv = "order_id,customer_id,date,amount\n1,A,2024-01-01,10\nC2,A,2024-01-03,-4\n3,A,2024-01-05,-1\n4,A,2024-01-07,6\n";
        var (result, _) = await Read(csv, options);
        var a = result.Builder.Build(new DateOnly(2024, 1, 8)).Customers.Single();

        // Occasions Jan 1 and Jan 7 only; returns 4 + 1 = 5; net = 16 − 5 = 11.
        Assert.That((a.Orders, a.GrossSpend, a.ReturnsValue, a.MonetaryTotal, a.ReturnLines), Is.EqualTo((2, 16.0, 5.0, 11.0, 2)));
    }

    [Test]
    public async Task Read_QuantityTimesUnitPrice_ComputesAmount()
    {
        var options = TransactionPresets.Generic with { Mapping = new ColumnMapping { CustomerId = "c", Date = "d", Quantity = "q", UnitPrice = "p" } };
        var (result, _) = await Read("c,d,q,p\nA,2024-01-01,3,2.5\n", options);

        Assert.That(result.Builder.Build(new DateOnly(2024, 1, 2)).Customers.Single().GrossSpend, Is.EqualTo(7.5));
    }

    [Test]
    public async Task Read_MissingMappedColumn_FailsBeforeReadingWithColumnsFound()
    {
        var ex = await Assert.ThrowsAsync<InputException>(() => Read("cust,when,total\nA,2024-01-01,1\n"));

        Assert.That(ex!.Message, Does.Contain("customer_id").And.Contain("'cust', 'when', 'total'"));
        Assert.That(ex.ExitCode, Is.EqualTo(3));
    }

    [Test]
    public async Task Read_EmptyFile_IsInputError()
    {
        var ex = await Assert.ThrowsAsync<InputException>(() => Read(string.Empty));

        Assert.That(ex!.Message, Does.Contain("empty"));
    }

    [Test]
    public async Task Read_HeaderOnly_ReadsZeroRows()
    {
        var (result, _) = await Read("customer_id,date,amount\n");

        Assert.That(result.Accounting.RowsRead, Is.Zero);
    }

    [Test]
    public async Task Read_GzipCsv_ReadsSameAsPlain()
    {
        var csv = "customer_id,date,amount\nA,2024-01-01,10\nB,2024-01-02,5\n";
        using var buffer = new MemoryStream();
        await using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gz.WriteAsync(Encoding.UTF8.GetBytes(csv));
        }

        var path = _files.WriteBytes("t.csv.gz", buffer.ToArray());
        var result = await TransactionReader.ReadAsync(path, TransactionPresets.Generic, NullRejectSink.Instance);

        Assert.That((result.Format, result.Compressed, result.Accounting.RowsAccepted), Is.EqualTo((TransactionFormat.Csv, true, 2L)));
    }

    [Test]
    public async Task Read_SemicolonAndDecimalComma_ParsesCultureExplicitly()
    {
        var options = TransactionPresets.Generic with { Separator = ';', DecimalSeparator = ',', DateFormat = "dd.MM.yyyy" };
        var (result, _) = await Read("customer_id;date;amount\nA;31.01.2024;12,50\n", options);

        var a = result.Builder.Build(new DateOnly(2024, 2, 1)).Customers.Single();
        Assert.That((a.FirstPurchase, a.GrossSpend), Is.EqualTo((new DateOnly(2024, 1, 31), 12.5)));
    }

    [Test]
    public async Task Read_OneThreadOrTwo_SameSummariesAndRejectsInInputOrder()
    {
        // Several batches of the second thread's pipeline: ids of both kinds, days out of order,
        // returns, and a bad date every 97 rows.
        var csv = new StringBuilder("customer_id,date,amount\n");
        var random = new Random(11);
        for (var i = 0; i < 60_000; i++)
        {
            var id = i % 3 == 0 ? $"long-customer-id-{random.Next(4000)}" : $"C{random.Next(4000)}";
            var date = i % 97 == 0 ? "2024-02-30" : $"2024-{1 + random.Next(12):00}-{1 + random.Next(28):00}";
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{id},{date},{(i % 7 == 0 ? -1 : 1) * random.Next(1, 100_000) / 1000.0}\n");
        }

        var (one, oneSink) = await Read(csv.ToString(), TransactionPresets.Generic with { Threads = 1 }, name: "one.csv");
        var (two, twoSink) = await Read(csv.ToString(), TransactionPresets.Generic with { Threads = 2 }, name: "two.csv");

        var asOf = new DateOnly(2025, 1, 1);
        Assert.That(two.Builder.Build(asOf).Customers, Is.EqualTo(one.Builder.Build(asOf).Customers));
        Assert.That(twoSink.Rejects, Is.EqualTo(oneSink.Rejects));
        Assert.That(oneSink.Rejects.Select(r => r.Line), Is.EqualTo(Enumerable.Range(0, 619).Select(k => (97L * k) + 2)));
    }

    [Test]
    public async Task Read_Latin1Encoding_DecodesCustomerIds()
    {
        var bytes = Encoding.Latin1.GetBytes("customer_id,date,amount\nJos\u00e9,2024-01-01,10\n");
        var path = _files.WriteBytes("latin1.csv", bytes);
        var result = await TransactionReader.ReadAsync(path, TransactionPresets.Generic with { Encoding = "latin1" }, NullRejectSink.Instance);

        Assert.That(result.Builder.Build(new DateOnly(2024, 1, 2)).Customers.Single().CustomerId, Is.EqualTo("Jos\u00e9"));
    }

    [Test]
    public void Validate_BadOptions_ReportsEveryProblemTogether()
    {
        var options = TransactionPresets.Generic with { Mapping = new ColumnMapping(), DecimalSeparator = ';', Encoding = "no-such-encoding" };

        var errors = options.Validate();

        // No customer_id, no date, no amount (3), a ';' decimal separator (1), an unknown encoding (1).
        Assert.That(errors, Has.Count.EqualTo(5));
    }
}
