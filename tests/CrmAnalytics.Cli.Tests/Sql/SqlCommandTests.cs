using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Stages.Models;
using CrmAnalytics.Tests.Shared;
using DuckDB.NET.Data;

namespace CrmAnalytics.Cli.Tests.Sql;

/// <summary>
/// <c>crm sql</c>: the DuckDB dialect is executed here and its occasions table, scored with <c>--from-occasions</c>,
/// publishes the native run's customer table and accounting. Spark, BigQuery, Snowflake and PostgreSQL cannot run here:
/// their SQL is a golden file, reviewed against each engine's documentation.
/// </summary>
[TestFixture]
public sealed class SqlCommandTests
{
    private static readonly DateOnly RunDate = new(2026, 11, 28);
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    [Category("Integration")]
    public void Sql_DuckDbOnOnlineRetail_OccasionsScoreAsTheNativeRun()
    {
        var csv = DatasetPaths.File("online_retail", "online_retail.csv");
        var sql = Crm.RunOn(RunDate, "sql", "--dialect", "duckdb", "--preset", "online-retail", "--as-of", "2011-12-01", "--source-table", "order_lines");
        Assert.That(sql.ExitCode, Is.EqualTo(0), sql.ToString());
        var occasions = Path.Combine(_temp.Path, "occasions.parquet");
        using (var connection = new DuckDBConnection("Data Source=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE VIEW order_lines AS SELECT * FROM read_csv('{csv}', header = true, all_varchar = true)";
            command.ExecuteNonQuery();
            command.CommandText = $"COPY ({sql.Output}) TO '{occasions}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        var native = Crm.RunOn(RunDate, "score", csv, "--preset", "online-retail", "--as-of", "2011-12-01", "--out", _temp["native"], "--format", "csv");
        var fromOccasions = Crm.RunOn(RunDate, "score", "--from-occasions", occasions, "--as-of", "2011-12-01", "--out", _temp["occasions"], "--format", "csv");

        Assert.That(native.ExitCode, Is.EqualTo(0), native.ToString());
        Assert.That(fromOccasions.ExitCode, Is.EqualTo(0), fromOccasions.ToString());
        Assert.That(File.ReadAllText(Path.Combine(_temp["occasions"], "customers.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(_temp["native"], "customers.csv"))));
        using var a = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp["native"], "summary.json")));
        using var b = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp["occasions"], "summary.json")));
        foreach (var field in new[] { "rows_read", "rows_accepted", "rows_rejected", "rows_malformed", "rejects_by_reason" })
        {
            Assert.That(b.RootElement.GetProperty("inputs")[0].GetProperty(field).GetRawText(), Is.EqualTo(a.RootElement.GetProperty("inputs")[0].GetProperty(field).GetRawText()), field);
        }

        Assert.That(b.RootElement.GetProperty("parameters").GetProperty("engine").GetString(), Is.EqualTo("occasions"));
    }

    /// <summary>The four shards of the DuckDB SQL on CDNOW partition the customers exactly as <see cref="ShardSpec"/> does; shard 0 holds every reject row.</summary>
    [Test]
    [Category("Integration")]
    public void Sql_DuckDbShardsOnCdnow_SelectTheCustomersOfShardSpec()
    {
        var csv = CdnowCsv.Write(_temp);
        var native = Crm.RunOn(RunDate, "score", DatasetPaths.File("cdnow", "CDNOW_master.txt"), "--preset", "cdnow", "--as-of", "1998-07-01", "--clv-model", "none", "--churn-trainer", "none", "--out", _temp["native"], "--format", "csv");
        Assert.That(native.ExitCode, Is.EqualTo(0), native.ToString());
        var customers = Query($"SELECT customer_id FROM read_csv('{Path.Combine(_temp["native"], "customers.csv")}', header = true, all_varchar = true)");

        string[] Shard(int index)
        {
            var sql = Crm.RunOn(RunDate, "sql", "--dialect", "duckdb", "--preset", "cdnow", "--as-of", "1998-07-01", "--shard", $"{index}/4");
            Assert.That(sql.ExitCode, Is.EqualTo(0), sql.ToString());
            return Query($"CREATE VIEW transactions AS SELECT * FROM read_csv('{csv}', header = true, all_varchar = true)",
                $"SELECT DISTINCT coalesce(customer_id, '#' || reason || ' ' || CAST(rejected_lines AS VARCHAR)) FROM ({sql.Output}) ORDER BY 1");
        }

        var shards = Enumerable.Range(0, 4).Select(Shard).ToArray();
        var rejects = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp["native"], "summary.json"))).RootElement.GetProperty("inputs")[0].GetProperty("rejects_by_reason")
            .EnumerateObject().Select(r => $"#{r.Name} {r.Value.GetInt64()}").ToArray();

        Assert.That(customers, Has.Length.GreaterThan(20000));
        Assert.That(shards[1].Where(id => !id.StartsWith('#')), Is.EquivalentTo(customers.Where(new ShardSpec(1, 4).Contains)));
        Assert.That(shards.SelectMany(s => s.Where(id => !id.StartsWith('#'))), Is.EquivalentTo(customers), "the shards partition the customers");
        // CDNOW has no rejected line; MergePartitionedTests adds some, and checks that the shards' accounting adds up.
        Assert.That(shards[0].Where(id => id.StartsWith('#')), Is.EquivalentTo(rejects), "shard 0 keeps every reject row");
        Assert.That(shards.Skip(1).SelectMany(s => s.Where(id => id.StartsWith('#'))), Is.Empty, "so that the shards' rejects add up to the export's");
    }

    /// <summary>A shard's occasions (crm sql --shard), scored with the bundle and the same shard, are that shard of the export scored with the bundle.</summary>
    [Test]
    [Category("Integration")]
    public void Score_FromShardOccasionsWithModels_EqualsTheShardOfTheExport()
    {
        var master = DatasetPaths.File("cdnow", "CDNOW_master.txt");
        var csv = CdnowCsv.Write(_temp);
        string[] settings = ["--as-of", "1998-07-01", "--clv-model", "none", "--churn-trainer", "none"];
        var fit = Crm.RunOn(RunDate, ["fit", master, "--preset", "cdnow", "--out", _temp["models"], .. settings]);
        Assert.That(fit.ExitCode, Is.EqualTo(0), fit.ToString());
        var sql = Crm.RunOn(RunDate, "sql", "--dialect", "duckdb", "--preset", "cdnow", "--as-of", "1998-07-01", "--shard", "1/4");
        Assert.That(sql.ExitCode, Is.EqualTo(0), sql.ToString());
        var occasions = Path.Combine(_temp.Path, "occasions.parquet");
        Query($"CREATE VIEW transactions AS SELECT * FROM read_csv('{csv}', header = true, all_varchar = true)", $"COPY ({sql.Output}) TO '{occasions}' (FORMAT parquet)");

        var export = Crm.RunOn(RunDate, ["score", master, "--preset", "cdnow", "--models", _temp["models"], "--shard", "1/4", "--out", _temp["export"], "--format", "csv", .. settings]);
        var fromOccasions = Crm.RunOn(RunDate, ["score", "--from-occasions", occasions, "--models", _temp["models"], "--shard", "1/4", "--out", _temp["occasions"], "--format", "csv", .. settings]);

        Assert.That(export.ExitCode, Is.EqualTo(0), export.ToString());
        Assert.That(fromOccasions.ExitCode, Is.EqualTo(0), fromOccasions.ToString());
        Assert.That(File.ReadAllText(Path.Combine(_temp["occasions"], "customers.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(_temp["export"], "customers.csv"))));
    }

    [TestCase("spark", "WHERE reason IS NULL AND MOD(CAST(conv(SUBSTR(md5(customer_id), 1, 15), 16, 10) AS BIGINT), 4) = 1\nGROUP BY 1, 2, 3")]
    [TestCase("bigquery", "WHERE reason IS NULL AND MOD(CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5(customer_id)), 1, 15)) AS INT64), 4) = 1\nGROUP BY 1, 2, 3")]
    [TestCase("snowflake", "WHERE reason IS NULL AND MOD(TO_NUMBER(SUBSTR(MD5(customer_id), 1, 15), 'XXXXXXXXXXXXXXX'), 4) = 1\nGROUP BY 1, 2, 3")]
    public void Sql_ShardInWarehouseDialect_FiltersByTheDocumentedMd5Key(string dialect, string filter)
    {
        // Reviewed against each engine's documentation (cited in SqlDialect.ShardKey): md5/MD5 and hex-to-integer.
        var sql = Crm.RunOn(RunDate, "sql", "--dialect", dialect, "--preset", "online-retail", "--shard", "1/4");

        Assert.That(sql.ExitCode, Is.EqualTo(0), sql.ToString());
        Assert.That(sql.Output, Does.Contain("\nFROM classified\n" + filter).And.Contain("-- shard: 1/4"));
    }

    [TestCase("4/4")]
    [TestCase("x")]
    public void Sql_ShardOutOfRange_Exit2(string shard)
    {
        var run = Crm.RunOn(RunDate, "sql", "--dialect", "duckdb", "--preset", "generic", "--shard", shard);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--shard"));
    }

    [TestCase("duckdb")]
    [TestCase("postgres")]
    [TestCase("spark")]
    [TestCase("bigquery")]
    [TestCase("snowflake")]
    public void Sql_OnlineRetailPreset_MatchesGoldenFile(string dialect)
    {
        var golden = Path.Combine(DatasetPaths.Repository, "tests", "CrmAnalytics.Cli.Tests", "Sql", "Golden", $"online-retail.{dialect}.sql");

        var sql = Crm.RunOn(RunDate, "sql", "--dialect", dialect, "--preset", "online-retail", "--as-of", "2011-12-01", "--source-table", "sales.order_lines");

        Assert.That(sql.ExitCode, Is.EqualTo(0), sql.ToString());
        Assert.That(sql.Output, Is.EqualTo(File.ReadAllText(golden)), $"regenerate {golden} only after reviewing the change against the engine's documentation");
    }

    [Test]
    public void Sql_CustomDateFormatAndCommaDecimals_ParsesAsNativeInDuckDb()
    {
        var csv = _temp.Write("eu.csv", "kunde;datum;betrag\na;02.01.2024;10,5\na;03.01.2024;-2,25\nb;31.12.2023;3\nc;1.2.2024;3\nd;30.02.2024;3\n");
        var sql = Crm.RunOn(RunDate, "sql", "--dialect", "duckdb", "--map", "customer_id=kunde,date=datum,amount=betrag", "--date-format", "dd.MM.yyyy", "--decimal-separator", ",", "--separator", ";");
        Assert.That(sql.ExitCode, Is.EqualTo(0), sql.ToString());

        var rows = Query($"CREATE VIEW transactions AS SELECT * FROM read_csv('{csv}', header = true, delim = ';', all_varchar = true)",
            "SELECT coalesce(reason, customer_id || ' ' || CAST(day AS VARCHAR) || ' ' || coalesce(CAST(purchase_value AS VARCHAR), '-') || ' ' || coalesce(CAST(return_value AS VARCHAR), '-')) " +
            $"FROM ({sql.Output}) ORDER BY 1");

        // 1.2.2024 (one-digit fields) and 30.02.2024 are both unparseable_date: one reason row.
        Assert.That(rows, Is.EqualTo(new[] { "a 2024-01-02 10.5 -", "a 2024-01-03 - 2.25", "b 2023-12-31 3.0 -", "unparseable_date" }));
    }

    [TestCase("--dialect", "oracle", "--dialect 'oracle' is unknown", TestName = "Sql_UnknownDialect_Exit2")]
    [TestCase("--date-format", "d/M/yyyy", "cannot be parsed exactly in SQL", TestName = "Sql_DateFormatWithoutSqlShape_Exit2")]
    [TestCase("--no-header", null, "by name", TestName = "Sql_NoHeader_Exit2")]
    public void Sql_OptionsSqlCannotExpress_Exit2(string option, string? value, string message)
    {
        var args = new List<string> { "sql", "--preset", "generic" };
        if (option != "--dialect")
        {
            args.AddRange(["--dialect", "duckdb"]);
        }

        args.Add(option);
        if (value is not null)
        {
            args.Add(value);
        }

        var run = Crm.RunOn(RunDate, [.. args]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(message));
    }

    [Test]
    public void Score_FromOccasionsWithWrongColumns_Exit3NamingColumnsFound()
    {
        var file = Path.Combine(_temp.Path, "summary.parquet");
        Query($"COPY (SELECT 'a' AS customer_id, 3 AS frequency, 10.0 AS monetary) TO '{file}' (FORMAT parquet)");

        var run = Crm.RunOn(RunDate, "score", "--from-occasions", file, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("not an occasions table").And.Contain("Columns found: 'customer_id', 'frequency', 'monetary'"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False, "nothing is published");
    }

    [Test]
    public void Score_FromOccasionsPastAsOf_Exit3()
    {
        var file = Path.Combine(_temp.Path, "occasions.parquet");
        Query($"COPY (SELECT 'a' AS customer_id, DATE '2024-03-01' AS day, NULL::VARCHAR AS reason, 5.0 AS purchase_value, 1::BIGINT AS purchase_lines, NULL::DOUBLE AS return_value, 0::BIGINT AS return_lines, 0::BIGINT AS rejected_lines) TO '{file}' (FORMAT parquet)");

        var run = Crm.RunOn(RunDate, "score", "--from-occasions", file, "--as-of", "2024-02-01", "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("on or after --as-of 2024-02-01"));
    }

    [Test]
    public void Score_BothExportAndFromOccasions_Exit2()
    {
        var run = Crm.RunOn(RunDate, "score", Crm.SampleTransactions, "--from-occasions", Crm.SampleTransactions, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--from-occasions"));
    }

    private static string[] Query(params string[] statements)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        foreach (var statement in statements[..^1])
        {
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }

        command.CommandText = statements[^1];
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.FieldCount == 0 || reader.IsDBNull(0) ? string.Empty : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return [.. rows];
    }
}
