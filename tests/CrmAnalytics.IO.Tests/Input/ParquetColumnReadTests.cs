using CrmAnalytics.TestSupport.Tables;
using System.Buffers;
using System.Globalization;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Tests.TestSupport;
using Parquet;
using Parquet.Schema;

namespace CrmAnalytics.IO.Tests.Input;

/// <summary>
/// Every cell of a Parquet column reads back as written, for REQUIRED and OPTIONAL columns of each type, whatever the
/// shared array pool holds. Parquet.Net 6.1's <c>ReadAsync(field, Memory&lt;T?&gt;)</c> takes a definition-level
/// buffer from <see cref="ArrayPool{T}.Shared"/> without clearing it and, for a REQUIRED column, never fills it: a
/// negative int left there by an earlier renter made that cell null and shifted every later value of the row group by one.
/// </summary>
[TestFixture]
public sealed class ParquetColumnReadTests
{
    /// <summary>As many rows as CDNOW has customers.</summary>
    private const int Rows = 23_570;

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>Leaves negative ints in the shared pool's arrays of every size up to 2^17, as any earlier renter may.</summary>
    private static void DirtyIntPool()
    {
        for (var size = 16; size <= 1 << 17; size *= 2)
        {
            var arrays = Enumerable.Range(0, 8).Select(_ => ArrayPool<int>.Shared.Rent(size)).ToArray();
            foreach (var array in arrays)
            {
                array.AsSpan().Fill(-1);
                ArrayPool<int>.Shared.Return(array);
            }
        }
    }

    private static bool IsNull(int row) => row % 7 == 3;

    private static DateOnly Date(int row) => new DateOnly(1997, 1, 1).AddDays(row % 545);

    /// <summary>One column of each type, REQUIRED and OPTIONAL (null every 7th row), with the text each cell must read back as.</summary>
    private static (DataField Field, Func<ParquetRowGroupWriter, DataField, int, int, Task> Write, Func<int, string?> Text)[] Columns() =>
    [
        Column("req_text", false, r => $"c{r}", r => $"c{r}"),
        Column("opt_text", true, r => $"o{r}", r => $"o{r}"),
        Value("req_date", false, Date, r => Date(r).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        Value("opt_date", true, Date, r => Date(r).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        Value("req_timestamp", false, r => Date(r).ToDateTime(new TimeOnly(13, 5)), r => Date(r).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        Value("opt_timestamp", true, r => Date(r).ToDateTime(new TimeOnly(13, 5)), r => Date(r).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        Value("req_int", false, r => (r % 50) + 1, r => ((r % 50) + 1).ToString(CultureInfo.InvariantCulture)),
        Value("opt_int", true, r => (r % 50) + 1, r => ((r % 50) + 1).ToString(CultureInfo.InvariantCulture)),
        Value("req_long", false, r => 9_007_199_254_740_993L + r, r => (9_007_199_254_740_993L + r).ToString(CultureInfo.InvariantCulture)),
        Value("opt_long", true, r => 9_007_199_254_740_993L + r, r => (9_007_199_254_740_993L + r).ToString(CultureInfo.InvariantCulture)),
        Value("req_double", false, r => r / 3.0, r => (r / 3.0).ToString(CultureInfo.InvariantCulture)),
        Value("opt_double", true, r => r / 3.0, r => (r / 3.0).ToString(CultureInfo.InvariantCulture)),
    ];

    private static (DataField, Func<ParquetRowGroupWriter, DataField, int, int, Task>, Func<int, string?>) Column(string name, bool optional, Func<int, string> value, Func<int, string> text) =>
        (new DataField<string>(name, optional),
            (g, f, start, count) => g.WriteAsync<ReadOnlyMemory<char>>(f, Enumerable.Range(start, count).Select(r => optional && IsNull(r) ? null : (ReadOnlyMemory<char>?)value(r).AsMemory()).ToArray().AsMemory(), null, null),
            r => optional && IsNull(r) ? null : text(r));

    private static (DataField, Func<ParquetRowGroupWriter, DataField, int, int, Task>, Func<int, string?>) Value<T>(string name, bool optional, Func<int, T> value, Func<int, string> text)
        where T : struct =>
        (optional ? new DataField<T?>(name, true) : new DataField<T>(name, false),
            (g, f, start, count) => g.WriteAsync<T>(f, Enumerable.Range(start, count).Select(r => optional && IsNull(r) ? null : (T?)value(r)).ToArray().AsMemory(), null, null),
            r => optional && IsNull(r) ? null : text(r));

    private async Task<string> WriteFile(int groups)
    {
        var columns = Columns();
        var path = _temp.Combine("columns.parquet");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => c.Field)), stream);
        var size = (Rows + groups - 1) / groups;
        for (var start = 0; start < Rows; start += size)
        {
            using var group = writer.CreateRowGroup();
            foreach (var (field, write, _) in columns)
            {
                await write(group, field, start, Math.Min(size, Rows - start));
            }
        }

        return path;
    }

    [TestCase(1)]
    [TestCase(3)]
    public async Task ReadColumnAsync_RequiredAndOptionalColumnsWithDirtyArrayPool_ReadsEveryCellAsWritten(int groups)
    {
        var path = await WriteFile(groups);
        var columns = Columns();
        var read = columns.Select(_ => new List<string?>()).ToArray();

        await using (var stream = File.OpenRead(path))
        {
            await using var reader = await ParquetTransactionSource.OpenAsync(stream, "columns.parquet", CancellationToken.None);
            Assert.That(reader.RowGroupCount, Is.EqualTo(groups));
            var fields = reader.Schema.DataFields;
            Assert.That(fields.Select(f => f.IsNullable), Is.EqualTo(columns.Select(c => c.Field.IsNullable)), "the file has the REQUIRED columns the test means");
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var group = reader.OpenRowGroupReader(g);
                for (var c = 0; c < fields.Length; c++)
                {
                    DirtyIntPool();
                    var column = await ParquetTransactionSource.ReadColumnAsync(group, fields[c], (int)group.RowCount, CancellationToken.None);
                    read[c].AddRange(Enumerable.Range(0, (int)group.RowCount).Select(column.Text));
                }
            }
        }

        using (Assert.EnterMultipleScope())
        {
            for (var c = 0; c < columns.Length; c++)
            {
                Assert.That(read[c], Is.EqualTo(Enumerable.Range(0, Rows).Select(columns[c].Text)), columns[c].Field.Name);
            }
        }
    }

    /// <summary>Ingest: a transaction export with REQUIRED id, date and amount columns reads as the same rows in CSV.</summary>
    [Test]
    public async Task ReadAsync_TransactionParquetWithRequiredColumnsAndDirtyArrayPool_EqualsTheCsvRead()
    {
        long Id(int r) => 1_000 + (r % 2_357);
        double Amount(int r) => Math.Round(1 + (r % 997) * 0.37, 2);
        var csv = _temp.Combine("tx.csv");
        await File.WriteAllLinesAsync(csv, Enumerable.Range(0, Rows)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{Id(r)},{Date(r):yyyy-MM-dd},{Amount(r)}"))
            .Prepend("customer_id,date,amount"));
        var parquet = _temp.Combine("tx.parquet");
        await using (var stream = File.Create(parquet))
        {
            DataField[] fields = [new DataField<long>("customer_id", false), new DataField<DateOnly>("date", false), new DataField<double>("amount", false)];
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(fields[0], Enumerable.Range(0, Rows).Select(Id).ToArray().AsMemory(), null, null);
            await group.WriteAsync<DateOnly>(fields[1], Enumerable.Range(0, Rows).Select(Date).ToArray().AsMemory(), null, null);
            await group.WriteAsync<double>(fields[2], Enumerable.Range(0, Rows).Select(Amount).ToArray().AsMemory(), null, null);
        }

        var fromCsv = await TransactionReader.ReadAsync(csv, TransactionPresets.Generic, new CollectingRejectSink());
        DirtyIntPool();
        var fromParquet = await TransactionReader.ReadAsync(parquet, TransactionPresets.Generic, new CollectingRejectSink());

        Assert.That((fromParquet.Accounting.RowsAccepted, fromCsv.Accounting.RowsAccepted), Is.EqualTo(((long)Rows, (long)Rows)));
        var asOf = new DateOnly(1999, 1, 1);
        var expected = fromCsv.Builder.Build(asOf).Customers;
        var actual = fromParquet.Builder.Build(asOf).Customers;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(actual, Has.Count.EqualTo(2_357));
            Assert.That(actual.Select(c => (c.CustomerId, c.Orders, c.FirstPurchase, c.LastPurchase, c.MonetaryTotal)),
                Is.EqualTo(expected.Select(c => (c.CustomerId, c.Orders, c.FirstPurchase, c.LastPurchase, c.MonetaryTotal))));
        }
    }

    /// <summary>The customer table of <c>crm score</c> (REQUIRED dates and counts) reads back as written, for report, drift and merge.</summary>
    [Test]
    public async Task ReadAsync_CustomersParquetWithDirtyArrayPool_ReadsRequiredDatesAndCountsAsWritten()
    {
        var customers = Enumerable.Range(0, Rows).Select(r => TestCustomers.Standard($"c{r:D5}") with
        {
            Summary = TestCustomers.Standard().Summary with { CustomerId = $"c{r:D5}", Orders = 1 + (r % 9), FirstPurchase = Date(r) },
        }).Table();
        await CustomerParquetWriter.WriteFileAsync(_temp.Combine(OutputFileNames.CustomersParquet), customers);

        DirtyIntPool();
        var table = await CustomerTableReader.ReadAsync(_temp.Path, ["customer_id", "first_purchase_date", "orders"], []);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(table["customer_id"], Is.EqualTo(customers.Select(c => c.Summary.CustomerId)));
            Assert.That(table["first_purchase_date"], Is.EqualTo(customers.Select(c => c.Summary.FirstPurchase.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))));
            Assert.That(table["orders"], Is.EqualTo(customers.Select(c => c.Summary.Orders.ToString(CultureInfo.InvariantCulture))));
        }
    }
}
