using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Input;

/// <summary><c>--engine duckdb</c> through the CLI: the same published customer table and accounting as the native reader.</summary>
[TestFixture]
[Category("Integration")]
public sealed class EngineOptionTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_EngineDuckDbOnCdnow_PublishesTheNativeCustomerTable()
    {
        var file = DatasetPaths.File("cdnow", "CDNOW_master.txt");

        var native = Crm.Run("score", file, "--preset", "cdnow", "--out", _temp["native"], "--format", "csv");
        var duck = Crm.Run("score", file, "--preset", "cdnow", "--engine", "duckdb", "--duckdb-memory-limit", "500MB", "--duckdb-temp-dir", _temp["spill"],
            "--out", _temp["duckdb"], "--format", "csv");

        Assert.That(native.ExitCode, Is.EqualTo(0), native.ToString());
        Assert.That(duck.ExitCode, Is.EqualTo(0), duck.ToString());
        Assert.That(File.ReadAllText(Path.Combine(_temp["duckdb"], "customers.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(_temp["native"], "customers.csv"))));
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp["duckdb"], "summary.json")));
        var root = summary.RootElement;
        Assert.That(root.GetProperty("parameters").GetProperty("engine").GetString(), Is.EqualTo("duckdb"));
        Assert.That(root.GetProperty("inputs")[0].GetProperty("rows_read").GetInt64(), Is.EqualTo(69_659));
    }

    /// <summary>The sample export split into a hive-partitioned folder of Parquet files scores like the CSV read natively.</summary>
    [Test]
    public void Score_EngineDuckDbOnHiveFolder_PublishesTheNativeCustomerTable()
    {
        var folder = _temp["parts"];
        using (var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"COPY (SELECT *, substr(date, 1, 4) AS year FROM read_csv('{Crm.SampleTransactions}', all_varchar = true)) TO '{folder}' (FORMAT parquet, PARTITION_BY (year))";
            command.ExecuteNonQuery();
        }

        var native = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["native"], "--format", "csv");
        var duck = Crm.Run("score", folder, "--preset", "sample", "--engine", "duckdb", "--out", _temp["duckdb"], "--format", "csv");

        Assert.That(native.ExitCode, Is.EqualTo(0), native.ToString());
        Assert.That(duck.ExitCode, Is.EqualTo(0), duck.ToString());
        Assert.That(Directory.GetDirectories(folder), Has.Length.GreaterThan(1), "several partitions");
        Assert.That(File.ReadAllText(Path.Combine(_temp["duckdb"], "customers.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(_temp["native"], "customers.csv"))));
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp["duckdb"], "summary.json")));
        Assert.That(summary.RootElement.GetProperty("inputs")[0].GetProperty("sha256").GetString(), Has.Length.EqualTo(64), "a folder hashes as the list of its files' hashes");
    }

    /// <summary>A job file takes the engine like any score option, and a glob as its transactions.</summary>
    [Test]
    public void Run_JobFileWithEngineDuckDbAndGlob_PublishesTheNativeCustomerTable()
    {
        File.Copy(Crm.SampleTransactions, _temp["part-1.csv"]);
        var job = _temp.Write("job.json", $$"""
            { "transactions": {{JsonSerializer.Serialize(_temp["part-*.csv"])}}, "preset": "sample", "engine": "duckdb", "churn-trainer": "none", "format": "csv", "out": "duckdb" }
            """);

        var native = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--churn-trainer", "none", "--format", "csv", "--out", _temp["native"]);
        var run = Crm.Run("run", job);

        Assert.That(native.ExitCode, Is.EqualTo(0), native.ToString());
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.ReadAllText(Path.Combine(_temp["duckdb"], "customers.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(_temp["native"], "customers.csv"))));
    }

    [Test]
    public void Validate_EngineDuckDbOnOnlineRetail_PrintsTheNativeAccounting()
    {
        var file = DatasetPaths.File("online_retail", "online_retail.csv");

        var native = Crm.Run("validate", file, "--preset", "online-retail", "--preview", "0");
        var duck = Crm.Run("validate", file, "--preset", "online-retail", "--preview", "0", "--engine", "duckdb");

        Assert.That(duck.ExitCode, Is.EqualTo(native.ExitCode), duck.ToString());
        Assert.That(duck.Output, Is.EqualTo(native.Output));
        Assert.That(duck.Output, Does.Contain("missing_customer_id: 135080"));
    }

    [TestCase("--engine", "spark", "--engine 'spark' is unknown", TestName = "Score_UnknownEngine_Exit2")]
    [TestCase("--duckdb-memory-limit", "1GB", "need --engine duckdb", TestName = "Score_DuckDbOptionWithoutDuckDb_Exit2")]
    public void Score_BadEngineOption_Exit2(string option, string value, string message)
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", option, value, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(message));
    }

    [Test]
    public void Score_EngineDuckDbWithMissingColumns_Exit3NamingColumnsFound()
    {
        var path = _temp.Write("wrong.csv", "client,when,total\na,2024-01-01,3\n");

        var run = Crm.Run("score", path, "--engine", "duckdb", "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("Columns found: 'client', 'when', 'total'"));
        Assert.That(Directory.Exists(_temp["out"]) && Directory.EnumerateFileSystemEntries(_temp["out"]).Any(), Is.False, "nothing is published");
    }
}
