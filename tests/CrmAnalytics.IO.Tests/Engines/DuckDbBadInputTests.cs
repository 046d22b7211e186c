using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Engines;
using CrmAnalytics.IO.Input;
using DuckDB.NET.Data;

namespace CrmAnalytics.IO.Tests.Engines;

/// <summary>Bad rows are counted per reason as the native reader counts them; what DuckDB would read differently is refused.</summary>
[TestFixture]
public sealed class DuckDbBadInputTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("crm-duckdb-bad-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    private static readonly TransactionReadOptions Sample = TransactionPresets.Sample with { AsOf = new DateOnly(2024, 6, 1), LatestDate = new DateOnly(2024, 6, 8) };

    /// <summary>One line per reason, and lines that are accepted only after trimming, signs, exponents and cancellations.</summary>
    private const string BadRows = """
        order_id,customer_id,date,sku,quantity,unit_price
        o1,a,2024-01-02,s,2,10.5
        o2,a,2024-01-02 13:45:00,s,1,4.25
        C3,a,2024-01-03,s,1,4.25
        o4, b ,2024-02-01T08:00,s,+1,1e2
        o5,b,2024-02-10,s,-1,3
        o6,b,2024-02-30,s,1,3
        o7,b,02/03/2024,s,1,3
        o8,c,2024-03-01,s,x,3
        o9,c,2024-03-01,s,1,
        o10,c,2024-03-01,s,1,Infinity
        o11,c,2024-03-01,s,1,NaN
        o12,c,2024-03-01,s,1,1e16
        o13,c,1960-03-01,s,1,3
        o14,c,2030-03-01,s,1,3
        o15,,2024-03-01,s,1,3
        o16,   ,2024-03-01,s,1,3
        o17,c,2024-06-01,s,1,3
        o18,c,2024-03-01,s,0,3
        o19,c,2024-03-01,s,1
        o20,c,2024-03-01,s,1,3,extra
        o21,d,2024-03-05,s,1,.5
        o22,d,2024-03-05,s,1,5.

        o23,d,2024-04-05,s,"2","1.5"
        """;

    [Test]
    public async Task ReadAsync_OneLinePerReason_CountsAndCustomersEqualNative()
    {
        var path = Write("bad.csv", BadRows);
        var nativeRejects = new ListRejectSink();
        var engineRejects = new ListRejectSink();

        var native = await TransactionReader.ReadAsync(path, Sample, nativeRejects);
        var engine = await DuckDbTransactionSource.ReadAsync(path, Sample, DuckDbOptions.Default, engineRejects);

        var (customers, differences) = EngineEquality.Compare(native, engine);
        Assert.That(differences, Is.Empty);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(customers, Is.EqualTo(3), "a, b and d have purchases; c has none accepted");
            Assert.That(native.Accounting.RowsRead, Is.EqualTo(23), "the blank line is not a row");
            Assert.That(engine.Accounting.ByReason(), Is.EqualTo(new Dictionary<string, long>
            {
                ["amount_out_of_range"] = 1, ["date_after_as_of"] = 1, ["implausible_date"] = 2, ["missing_customer_id"] = 2, ["non_finite_amount"] = 2,
                ["unparseable_amount"] = 2, ["unparseable_date"] = 2, ["wrong_column_count"] = 2, ["zero_amount"] = 1,
            }));
            Assert.That(engineRejects.Rows.Select(r => (r.Reason, r.Column)).Order(), Is.EqualTo(nativeRejects.Rows.Select(r => (r.Reason, r.Column)).Order()),
                "every rejected line is in the sample, with the native reader's column");
            Assert.That(engineRejects.Rows.Where(r => r.Reason == RejectReason.WrongColumnCount).Select(r => r.Line), Is.EqualTo(new long[] { 20, 21 }),
                "DuckDB's own CSV rejects carry the physical line");
        }
    }

    [Test]
    public async Task ReadAsync_CustomDateFormatAndCommaDecimals_EqualsNative()
    {
        var path = Write("eu.csv", "customer_id;date;amount\na;02/01/2024 13:45;10,5\na;03/01/2024 25:00;1\nb;31/12/2023 00:00;-2,25\nb;01/02/2024 08:00;1,5e1\nc;1/2/2024 08:00;3\n");
        var options = TransactionPresets.Generic with { Separator = ';', DecimalSeparator = ',', DateFormat = "dd/MM/yyyy HH:mm", LatestDate = new DateOnly(2024, 6, 1) };

        var native = await TransactionReader.ReadAsync(path, options, NullRejectSink.Instance);
        var engine = await DuckDbTransactionSource.ReadAsync(path, options, DuckDbOptions.Default, NullRejectSink.Instance);

        var (customers, differences) = EngineEquality.Compare(native, engine);
        Assert.That(differences, Is.Empty);
        Assert.That(customers, Is.EqualTo(2));
        Assert.That(engine.Accounting.Count(RejectReason.UnparseableDate), Is.EqualTo(2), "hour 25 and a one-digit day");
    }

    [Test]
    public async Task ReadAsync_MissingMappedColumn_ThrowsNamingColumnsFound()
    {
        var path = Write("wrong.csv", "client,when,total\na,2024-01-01,3\n");

        var ex = await Assert.ThrowsAsync<InputException>(() => DuckDbTransactionSource.ReadAsync(path, TransactionPresets.Generic, DuckDbOptions.Default, NullRejectSink.Instance));

        Assert.That(ex!.Message, Does.Contain("customer_id").And.Contain("'client', 'when', 'total'"));
    }

    [Test]
    public async Task ReadAsync_ParquetColumnOfWrongType_ThrowsSchemaMismatch()
    {
        var path = Path.Combine(_temp, "typed.parquet");
        Execute($"COPY (SELECT 'a' AS customer_id, true AS date, 3.0 AS amount) TO '{path}' (FORMAT parquet)");

        var ex = await Assert.ThrowsAsync<InputException>(() => DuckDbTransactionSource.ReadAsync(path, TransactionPresets.Generic, DuckDbOptions.Default, NullRejectSink.Instance));

        Assert.That(ex!.Message, Does.Contain("schema mismatch").And.Contain("'date' (mapped as date) has type BOOLEAN"));
    }

    [TestCase("customer_id,date,amount\na,2024-01-01,3\nb,\"2024-01-02,3\nc,2024-01-03,4\nd,2024-01-04,5\n", "unquoted value", TestName = "ReadAsync_UnterminatedQuote_RefusesNamingTheLine")]
    [TestCase("customer_id,date,amount\na,2024-01-01,3\nb,2024-01-02,\"3\n\"\nc,2024-01-03,4\n", "spans lines", TestName = "ReadAsync_QuotedLineBreak_RefusesAsTheNativeReaderReadsItLineByLine")]
    public async Task ReadAsync_CsvDuckDbReadsDifferently_Refuses(string content, string expected)
    {
        var path = Write("quoted.csv", content);

        var ex = await Assert.ThrowsAsync<InputException>(() => DuckDbTransactionSource.ReadAsync(path, TransactionPresets.Generic with { LatestDate = new DateOnly(2024, 6, 1) }, DuckDbOptions.Default, NullRejectSink.Instance));

        Assert.That(ex!.Message, Does.Contain(expected).And.Contain("--engine native"));
    }

    /// <summary>
    /// Bytes that are not UTF-8: in the customer id, the line is invalid_encoding (line 3); in an unmapped column, the line
    /// is read as the native reader reads it (line 2); in a mapped date, DuckDB refuses the whole line, so the read is refused.
    /// </summary>
    [Test]
    public async Task ReadAsync_InvalidUtf8InIdOrUnmappedColumn_CountsAsNative()
    {
        var path = Path.Combine(_temp, "latin.csv");
        File.WriteAllBytes(path, [.. "customer_id,date,amount,note\na,2024-01-01,3,caf"u8, 0xE9, .. "\nb"u8, 0xE9, .. ",2024-01-02,4,x\nc,2024-01-03,5,y\n"u8]);
        var options = TransactionPresets.Generic with { LatestDate = new DateOnly(2024, 6, 1) };
        var engineRejects = new ListRejectSink();

        var native = await TransactionReader.ReadAsync(path, options, NullRejectSink.Instance);
        var engine = await DuckDbTransactionSource.ReadAsync(path, options, DuckDbOptions.Default, engineRejects);

        Assert.That(EngineEquality.Compare(native, engine).Differences, Is.Empty);
        Assert.That(engine.Accounting.Count(RejectReason.InvalidEncoding), Is.EqualTo(1));
        Assert.That(engineRejects.Rows.Select(r => (r.Line, r.Column)), Is.EqualTo(new[] { (3L, "customer_id") }));
    }

    [Test]
    public async Task ReadAsync_InvalidUtf8InMappedDate_RefusesNamingTheLine()
    {
        var path = Path.Combine(_temp, "latin.csv");
        File.WriteAllBytes(path, [.. "customer_id,date,amount\na,2024-01-01,3\nb,2024-01-0"u8, 0xE9, .. ",4\n"u8]);

        var ex = await Assert.ThrowsAsync<InputException>(() => DuckDbTransactionSource.ReadAsync(path, TransactionPresets.Generic with { LatestDate = new DateOnly(2024, 6, 1) }, DuckDbOptions.Default, NullRejectSink.Instance));

        Assert.That(ex!.Message, Does.Contain("line 3").And.Contain("invalid encoding").And.Contain("--engine native"));
    }

    [TestCase("MMM dd yyyy", TestName = "ReadAsync_DateFormatWithoutExactSqlShape_RefusesWithConfigurationError")]
    [TestCase("d/M/yyyy", TestName = "ReadAsync_DateFormatWithOneDigitFields_RefusesWithConfigurationError")]
    public async Task ReadAsync_UnsupportedDateFormat_Refuses(string format)
    {
        var path = Write("any.csv", "customer_id,date,amount\na,2024-01-01,3\n");

        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => DuckDbTransactionSource.ReadAsync(path, TransactionPresets.Generic with { DateFormat = format }, DuckDbOptions.Default, NullRejectSink.Instance));

        Assert.That(ex!.Message, Does.Contain("--engine native"));
    }

    [Test]
    public async Task ReadAsync_CsvWithoutHeader_Refuses()
    {
        var path = Write("nohead.csv", "a,2024-01-01,3\n");
        var options = TransactionPresets.Generic with { HasHeader = false, Mapping = new ColumnMapping { CustomerId = "1", Date = "2", Amount = "3" } };

        await Assert.ThrowsAsync<ConfigurationException>(() => DuckDbTransactionSource.ReadAsync(path, options, DuckDbOptions.Default, NullRejectSink.Instance));
    }

    [Test]
    public async Task ReadAsync_BadMemoryLimit_ThrowsConfigurationErrorNamingTheSetting()
    {
        var path = Write("any.csv", "customer_id,date,amount\na,2024-01-01,3\n");

        var ex = await Assert.ThrowsAsync<ConfigurationException>(() => DuckDbTransactionSource.ReadAsync(path, TransactionPresets.Generic, new DuckDbOptions { MemoryLimit = "lots" }, NullRejectSink.Instance));

        Assert.That(ex!.Message, Does.StartWith("DuckDbOptions.MemoryLimit 'lots' is not accepted by DuckDB").And.Not.Contain("--"));
    }

    [Test]
    public async Task ReadAsync_MemoryLimitAndTempDirectory_SpillAndEqualNative()
    {
        var path = Write("small.csv", BadRows);
        var spill = Path.Combine(_temp, "spill");

        var native = await TransactionReader.ReadAsync(path, Sample, NullRejectSink.Instance);
        var engine = await DuckDbTransactionSource.ReadAsync(path, Sample, new DuckDbOptions { MemoryLimit = "100MB", TempDirectory = spill }, NullRejectSink.Instance);

        Assert.That(EngineEquality.Compare(native, engine).Differences, Is.Empty);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_temp, name);
        File.WriteAllText(path, content.ReplaceLineEndings("\n"), new UTF8Encoding(false));
        return path;
    }

    private static void Execute(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>Keeps every reject for assertions.</summary>
internal sealed class ListRejectSink : IRejectSink
{
    public List<(string File, long Line, string Column, RejectReason Reason, string Raw)> Rows { get; } = [];

    public void Reject(string file, long line, string column, RejectReason reason, ReadOnlySpan<byte> rawRecord) =>
        Rows.Add((file, line, column, reason, Encoding.UTF8.GetString(rawRecord)));
}
