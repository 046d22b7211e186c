using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Attributes;
using Parquet;
using Parquet.Schema;

namespace CrmAnalytics.IO.Tests.Input;

/// <summary>Inputs a hostile sweep found mishandled (issue 17): each is read exactly, rejected with a reason, or refused with a clear error.</summary>
[TestFixture]
public sealed class HostileInputReaderTests
{
    private ReaderTestFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new ReaderTestFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    private static async Task<(TransactionReadResult Result, CollectingRejectSink Sink)> Read(string path, TransactionReadOptions? options = null)
    {
        var sink = new CollectingRejectSink();
        var result = await TransactionReader.ReadAsync(path, options ?? TransactionPresets.Generic, sink);
        return (result, sink);
    }

    private static string[] Ids(TransactionReadResult result) =>
        result.Builder.Build(new DateOnly(2030, 1, 1)).Customers.Select(c => c.CustomerId).Order(StringComparer.Ordinal).ToArray();

    /// <summary>A Parquet file of the given columns (one row group); an "amount" column of 1.5 is added.</summary>
    private async Task<string> WriteParquet(string name, int rows, params (DataField Field, Func<ParquetRowGroupWriter, DataField, Task> Write)[] columns)
    {
        var amount = new DataField<double>("amount");
        var schema = new ParquetSchema([.. columns.Select(c => c.Field), amount]);
        var path = _files.WriteBytes(name, []);
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream);
        using var group = writer.CreateRowGroup();
        foreach (var (field, write) in columns)
        {
            await write(group, field);
        }

        await group.WriteAsync<double>(amount, Enumerable.Repeat(1.5, rows).ToArray().AsMemory(), null, null);
        return path;
    }

    private static (DataField, Func<ParquetRowGroupWriter, DataField, Task>) Column<T>(string name, T[] values)
        where T : struct =>
        (new DataField<T>(name), (g, f) => g.WriteAsync<T>(f, values.Select(v => (T?)v).ToArray().AsMemory(), null, null));

    private static (DataField, Func<ParquetRowGroupWriter, DataField, Task>) Text(string name, string[] values) =>
        Column(name, values.Select(v => v.AsMemory()).ToArray());

    [Test]
    public async Task Read_ParquetInt64IdsAbove2Pow53_KeepsEveryIdExact()
    {
        var ids = Enumerable.Range(0, 200).Select(i => 1_234_567_890_123_456_789L + i).ToArray();
        var path = await WriteParquet("ids.parquet", 200, Column("customer_id", ids), Text("date", Enumerable.Repeat("2024-01-01", 200).ToArray()));

        var (result, _) = await Read(path);

        Assert.That(Ids(result), Is.EqualTo(ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal)));
    }

    [Test]
    public async Task Read_ParquetUInt64AndDecimalIds_KeepTheirTextForm()
    {
        var path = await WriteParquet("u.parquet", 2, Column("customer_id", new[] { ulong.MaxValue, ulong.MaxValue - 1 }), Text("date", ["2024-01-01", "2024-01-02"]));
        var dec = await WriteParquet("d.parquet", 2, Column("customer_id", new[] { 12345678901234567890.5m, 7m }), Text("date", ["2024-01-01", "2024-01-02"]));

        Assert.That(Ids((await Read(path)).Result), Is.EqualTo(new[] { "18446744073709551614", "18446744073709551615" }));
        Assert.That(Ids((await Read(dec)).Result), Does.Contain("12345678901234567890.5"));
    }

    [Test]
    public async Task Read_ParquetDateColumnOfIntegers_IsOneSchemaErrorNamingColumnAndTypes()
    {
        var path = await WriteParquet("t.parquet", 2, Text("customer_id", ["A", "B"]), Column("date", new[] { 20240101L, 20240102L }));

        var ex = await Assert.ThrowsAsync<InputException>(() => Read(path));

        Assert.That(ex!.Message, Does.Contain("column 'date' (mapped as date) has Parquet type Int64").And.Contain("expected text").And.Contain("DATE or TIMESTAMP"));
        Assert.That(ex.ExitCode, Is.EqualTo(3));
    }

    [Test]
    public async Task Read_InvalidUtf8Ids_RejectedAsInvalidEncodingNotMerged()
    {
        var bytes = Encoding.UTF8.GetBytes("customer_id,date,amount\n").Concat(new byte[] { (byte)'c', (byte)'a', (byte)'f', 0xe9 })
            .Concat(Encoding.UTF8.GetBytes(",2024-01-01,1\ncaf")).Concat(new byte[] { 0xe8 }).Concat(Encoding.UTF8.GetBytes(",2024-01-01,1\nok,2024-01-01,1\n")).ToArray();
        var path = _files.WriteBytes("enc.csv", bytes);

        var (result, sink) = await Read(path);

        Assert.That(Ids(result), Is.EqualTo(new[] { "ok" }));
        Assert.That(sink.Rejects.Select(r => (r.Line, r.Column, r.Reason)), Is.EqualTo(new[]
        {
            (2L, "customer_id", RejectReason.InvalidEncoding), (3L, "customer_id", RejectReason.InvalidEncoding),
        }));
        Assert.That(result.Accounting.RowsMalformed, Is.EqualTo(2));

        // Read as Latin-1, the same bytes are two distinct customers.
        var (latin1, _) = await Read(path, TransactionPresets.Generic with { Encoding = "latin1" });
        Assert.That(Ids(latin1), Is.EqualTo(new[] { "caf\u00e8", "caf\u00e9", "ok" }));
    }

    [Test]
    public async Task Read_IdsWithSurroundingTabsCrsAndSpaces_AreTrimmedIntoOneCustomer()
    {
        var csv = _files.Write("ws.csv", "customer_id,date,amount\n42,2024-01-01,1\n42\t,2024-01-02,1\n \t42 ,2024-01-03,1\n4 2,2024-01-04,1\n");
        var parquet = await WriteParquet("ws.parquet", 3, Text("customer_id", ["42", "42\r", "\t42\r\n"]), Text("date", ["2024-01-01", "2024-01-02", "2024-01-03"]));

        var (fromCsv, _) = await Read(csv);
        var (fromParquet, _) = await Read(parquet);

        // The documented rule: surrounding white space (spaces, tabs, CR, LF) is not part of an id; inner white space is.
        Assert.That(Ids(fromCsv), Is.EqualTo(new[] { "4 2", "42" }));
        Assert.That(fromCsv.Builder.Build(new DateOnly(2030, 1, 1)).Customers.Single(c => c.CustomerId == "42").Orders, Is.EqualTo(3));
        Assert.That(fromParquet.Builder.Build(new DateOnly(2030, 1, 1)).Customers.Single().Orders, Is.EqualTo(3));
    }

    [TestCase("customer_id,date,amount,customer_id\nA,2024-01-01,1,B\n", "'customer_id'", "#1, #4")]
    [TestCase("Customer_ID,date,amount, customer_id \nA,2024-01-01,1,B\n", "'customer_id'", "#1, #4")]
    public async Task Read_DuplicateMappedHeader_FailsNamingTheColumn(string csv, string name, string positions)
    {
        var path = _files.Write("dup.csv", csv);

        var ex = await Assert.ThrowsAsync<InputException>(() => Read(path));

        Assert.That(ex!.Message, Does.Contain(name).And.Contain("ambiguous").And.Contain(positions));
    }

    [Test]
    public async Task Read_DuplicateUnmappedHeader_IsIgnored()
    {
        var path = _files.Write("dup.csv", "customer_id,note,date,amount,note\nA,x,2024-01-01,1,y\n");

        var (result, _) = await Read(path);

        Assert.That(result.Accounting.RowsAccepted, Is.EqualTo(1));
    }

    [Test]
    public async Task Read_HeaderlessFile_ErrorGivesShapeNotCellValues()
    {
        var path = _files.Write("t.csv", "10292,2024-01-13,10.95\n10293,2024-01-14,3.50\n");

        var ex = await Assert.ThrowsAsync<InputException>(() => Read(path));

        Assert.That(ex!.Message, Does.Not.Contain("10292").And.Not.Contain("2024-01-13").And.Not.Contain("10.95"));
        Assert.That(ex.Message, Does.Contain("#1 number, #2 date, #3 number").And.Contain("--no-header"));
    }

    [Test]
    public void Read_AttributesWithoutIdColumn_ErrorGivesShapeNotIds()
    {
        var path = _files.Write("attrs.csv", "10292,gold,jane@example.com\n10293,silver,joe@example.com\n");

        var ex = Assert.Throws<InputException>(() => CustomerAttributesReader.Read(path, new CollectingRejectSink()));

        Assert.That(ex!.Message, Does.Not.Contain("10292").And.Not.Contain("gold").And.Not.Contain("jane"));
        Assert.That(ex.Message, Does.Contain("#1 number, #2 text, #3 text"));
    }

    [Test]
    public async Task Read_Folder_SaysItIsAFolder()
    {
        var folder = Path.GetDirectoryName(_files.Write("x.csv", string.Empty))!;

        var ex = await Assert.ThrowsAsync<InputException>(() => Read(folder));

        Assert.That(ex!.Message, Does.EndWith("is a folder, not a file."));
    }

    [Test]
    public async Task Read_CsvRenamedGz_SaysItIsNotGzip()
    {
        var path = _files.Write("t.csv.gz", "customer_id,date,amount\nA,2024-01-01,1\n");

        var ex = await Assert.ThrowsAsync<InputException>(() => Read(path));

        Assert.That(ex!.Message, Does.Contain("is not gzip-compressed"));
        Assert.That(ex.ExitCode, Is.EqualTo(3));
    }

    [Test]
    public async Task Read_Utf16WithoutBom_SaysSoAndUtf16EncodingReadsIt()
    {
        var path = _files.WriteBytes("t.csv", Encoding.Unicode.GetBytes("customer_id,date,amount\nA,2024-01-01,1\n"));

        var ex = await Assert.ThrowsAsync<InputException>(() => Read(path));
        var (result, _) = await Read(path, TransactionPresets.Generic with { Encoding = "utf-16" });

        Assert.That(ex!.Message, Does.Contain("looks like UTF-16 without a byte-order mark").And.Contain("--encoding utf-16"));
        Assert.That(ex.Message.IndexOf('\0', StringComparison.Ordinal), Is.EqualTo(-1), "no NUL byte reaches the message");
        Assert.That(Ids(result), Is.EqualTo(new[] { "A" }));
    }
}
