using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Engines;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Tests.Shared;
using DuckDB.NET.Data;

namespace CrmAnalytics.IO.Tests.Engines;

/// <summary>
/// <c>--engine duckdb</c> must give the native reader's customer table and row accounting: customer by customer, at the
/// as-of date and at an earlier (churn training) cut-off, on CDNOW and Online Retail, from text and from Parquet.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class DuckDbTransactionSourceTests
{
    private string _temp = null!;

    [SetUp]
    public void SetUp() => _temp = Directory.CreateTempSubdirectory("crm-duckdb-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_temp, recursive: true);

    private static IEnumerable<TestCaseData> Exports()
    {
        yield return new TestCaseData(new[] { "cdnow", "CDNOW_master.txt" }, "cdnow", 23_570).SetName("ReadAsync_CdnowMaster_EqualsNative");
        yield return new TestCaseData(new[] { "cdnow", "CDNOW_sample.txt" }, "cdnow-sample", 2_357).SetName("ReadAsync_CdnowSampleWithoutHeader_EqualsNative");
        // 4,371 ids have a non-zero line; 33 of them only returns, so 4,338 have a purchase occasion.
        yield return new TestCaseData(new[] { "online_retail", "online_retail.csv" }, "online-retail", 4_338).SetName("ReadAsync_OnlineRetailCsv_EqualsNative");
        yield return new TestCaseData(new[] { "online_retail", "online_retail.parquet" }, "online-retail", 4_338).SetName("ReadAsync_OnlineRetailParquet_EqualsNative");
        yield return new TestCaseData(new[] { "online_retail_ii", "online_retail_ii_2009_2010.csv" }, "online-retail", 4_312).SetName("ReadAsync_OnlineRetailIICsv_EqualsNative");
    }

    [TestCaseSource(nameof(Exports))]
    public async Task ReadAsync_RealExport_EqualsNative(string[] file, string preset, int customers)
    {
        var path = DatasetPaths.File(file);
        var options = TransactionPresets.Get(preset);

        var native = await TransactionReader.ReadAsync(path, options, NullRejectSink.Instance);
        var engine = await DuckDbTransactionSource.ReadAsync(path, options, DuckDbOptions.Default, NullRejectSink.Instance);

        AssertEqual(native, engine, customers);
    }

    /// <summary>A Parquet copy written by DuckDB (typed columns: BIGINT ids, TIMESTAMP dates, DOUBLE prices) read by both engines equals the CSV read.</summary>
    [Test]
    public async Task ReadAsync_OnlineRetailParquetCopy_EqualsNativeOnCsvAndCopy()
    {
        var csv = DatasetPaths.File("online_retail", "online_retail.csv");
        var parquet = Path.Combine(_temp, "copy.parquet");
        CopyToParquet($"read_csv('{csv}', header = true)", parquet, rowGroupSize: 100_000);
        var options = TransactionPresets.OnlineRetail;

        var nativeCsv = await TransactionReader.ReadAsync(csv, options, NullRejectSink.Instance);
        var nativeCopy = await TransactionReader.ReadAsync(parquet, options, NullRejectSink.Instance);
        var engineCopy = await DuckDbTransactionSource.ReadAsync(parquet, options, DuckDbOptions.Default, NullRejectSink.Instance);

        AssertEqual(nativeCopy, engineCopy, 4_338);
        AssertEqual(nativeCsv, engineCopy, 4_338);
    }

    /// <summary>CDNOW as a hive-partitioned folder of Parquet files (year=…/part.parquet) and as a glob: one table, the native counts.</summary>
    [Test]
    public async Task ReadAsync_CdnowHiveFolderAndGlob_EqualsNativeOnTheFile()
    {
        var text = DatasetPaths.File("cdnow", "CDNOW_master.txt");
        var folder = Path.Combine(_temp, "cdnow");
        Directory.CreateDirectory(folder);
        using (var connection = new DuckDBConnection("Data Source=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            var parsed = TryCopyWhitespace(command, text, folder);
            Assert.That(parsed, Is.True, "the CDNOW copy must be written");
        }

        var options = TransactionPresets.Cdnow with { Format = TransactionFormat.Auto };
        var native = await TransactionReader.ReadAsync(text, TransactionPresets.Cdnow, NullRejectSink.Instance);

        var hive = await DuckDbTransactionSource.ReadAsync(folder, options, DuckDbOptions.Default, NullRejectSink.Instance);
        var glob = await DuckDbTransactionSource.ReadAsync(Path.Combine(folder, "*", "*.parquet"), options, DuckDbOptions.Default, NullRejectSink.Instance);

        AssertEqual(native, hive, 23_570);
        AssertEqual(native, glob, 23_570);
    }

    private static void AssertEqual(TransactionReadResult native, TransactionReadResult engine, int customers)
    {
        var asOf = native.Builder.DefaultAsOf();
        var (compared, differences) = EngineEquality.Compare(native, engine, asOf.AddDays(-180));
        Assert.That(differences, Is.Empty);
        Assert.That(engine.Accounting.RowsRead, Is.EqualTo(native.Accounting.RowsRead));
        if (customers >= 0)
        {
            Assert.That(compared, Is.EqualTo(customers));
        }

        TestContext.Out.WriteLine($"{Path.GetFileName(native.Path)}: {compared} customers equal; rows read {engine.Accounting.RowsRead}, accepted {engine.Accounting.RowsAccepted}, " +
            string.Join(", ", engine.Accounting.ByReason().Select(r => $"{r.Key} {r.Value}")));
    }

    private static void CopyToParquet(string relation, string target, int rowGroupSize)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY (SELECT * FROM {relation}) TO '{target}' (FORMAT parquet, ROW_GROUP_SIZE {rowGroupSize})";
        command.ExecuteNonQuery();
    }

    /// <summary>The CDNOW master's fields are separated by runs of spaces, so it is split with a regular expression, not a CSV reader.</summary>
    private static bool TryCopyWhitespace(DuckDBCommand command, string text, string folder)
    {
        command.CommandText = "COPY (SELECT f[1] AS customer_id, f[2] AS date, CAST(f[4] AS DOUBLE) AS dollar_value, substr(f[2], 1, 4) AS year FROM " +
            $"(SELECT regexp_split_to_array(trim(l), ' +') AS f FROM read_csv('{text}', header = false, skip = 1, delim = chr(1), quote = '', escape = '', columns = {{'l': 'VARCHAR'}}, auto_detect = false) WHERE trim(l) <> '')) " +
            $"TO '{folder}' (FORMAT parquet, PARTITION_BY (year), OVERWRITE_OR_IGNORE)";
        command.ExecuteNonQuery();
        return Directory.EnumerateFiles(folder, "*.parquet", SearchOption.AllDirectories).Any();
    }
}
