using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Stages.Models;
using CrmAnalytics.Tests.Shared;
using CrmAnalytics.Tests.Shared.Postgres;
using DuckDB.NET.Data;
using Npgsql;

namespace CrmAnalytics.Cli.Tests.Engines.Postgres;

/// <summary>
/// <c>crm score --engine postgres</c> against a real server publishes the native run's customer table and row
/// accounting; the SQL of <c>crm sql --dialect postgres</c> runs in it; an unreachable server and a query with the
/// wrong columns fail with their documented exit codes, publishing nothing.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PostgresEngineCommandTests
{
    private static readonly DateOnly RunDate = new(2026, 11, 28);
    private static readonly string[] Settings = ["--preset", "cdnow", "--as-of", "1998-07-01", "--clv-model", "bgnbd", "--clv-interval-level", "none", "--churn-trainer", "none", "--format", "csv"];
    private TempFolder _fixture = null!;
    private TempFolder _temp = null!;

    private string Native => _fixture["native"];

    [OneTimeSetUp]
    public void ScoreNatively()
    {
        _fixture = new TempFolder();
        var native = Crm.RunOn(RunDate, ["score", DatasetPaths.File("cdnow", "CDNOW_master.txt"), "--out", Native, .. Settings]);
        Assert.That(native.ExitCode, Is.EqualTo(0), native.ToString());
    }

    [OneTimeTearDown]
    public void DeleteNative() => _fixture.Dispose();

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_EnginePostgresOnCdnow_PublishesTheNativeRun()
    {
        _ = PostgresServer.Cluster;

        var run = Crm.RunOn(RunDate, ["score", "--engine", "postgres", "--source-table", "cdnow", "--pg-connection-env", PostgresServer.ConnectionVariable, "--out", _temp["pg"], .. Settings]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        AssertSameRun(_temp["pg"], "postgres");
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp["pg"], "summary.json")));
        var input = summary.RootElement.GetProperty("inputs")[0];
        Assert.That(input.GetProperty("format").GetString(), Is.EqualTo("postgres"));
        Assert.That(input.GetProperty("path").GetString(), Is.EqualTo("cdnow"));
        Assert.That(run.Error + run.Output, Does.Not.Contain("Host="), "the connection string is never logged");
    }

    /// <summary>The SQL <c>crm sql --dialect postgres</c> prints runs in PostgreSQL; its occasions table, scored with --from-occasions, is the native run.</summary>
    [Test]
    public void Sql_PostgresDialectOnCdnow_RunsInPostgresAndScoresAsTheNativeRun()
    {
        var cluster = PostgresServer.Cluster;
        var sql = Crm.RunOn(RunDate, "sql", "--dialect", "postgres", "--preset", "cdnow", "--as-of", "1998-07-01", "--source-table", "cdnow");
        Assert.That(sql.ExitCode, Is.EqualTo(0), sql.ToString());
        var csv = _temp["occasions.csv"];
        using (var connection = new NpgsqlConnection(cluster.ConnectionString))
        {
            connection.Open();
            using var export = connection.BeginTextExport($"COPY ({sql.Output}) TO STDOUT (FORMAT csv, HEADER true)");
            File.WriteAllText(csv, export.ReadToEnd());
        }

        var occasions = _temp["occasions.parquet"];
        using (var duck = new DuckDBConnection("Data Source=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"COPY (SELECT * FROM read_csv('{csv}', header = true, columns = {{'customer_id': 'VARCHAR', 'day': 'DATE', 'reason': 'VARCHAR', " +
                $"'purchase_value': 'DOUBLE', 'purchase_lines': 'BIGINT', 'return_value': 'DOUBLE', 'return_lines': 'BIGINT', 'rejected_lines': 'BIGINT'}})) TO '{occasions}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        var run = Crm.RunOn(RunDate, ["score", "--from-occasions", occasions, "--out", _temp["occasions"], .. Settings.Where((_, i) => i >= 2)]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        AssertSameRun(_temp["occasions"], "occasions");
    }

    /// <summary>The PostgreSQL SQL of <c>crm sql --shard 1/4</c> keeps exactly the customers <see cref="ShardSpec"/>(1, 4) selects from the native run.</summary>
    [Test]
    public void Sql_PostgresDialectShardOnCdnow_SelectsTheCustomersOfShardSpec()
    {
        var cluster = PostgresServer.Cluster;
        var customers = new List<string>();
        using (var duck = new DuckDBConnection("Data Source=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"SELECT customer_id FROM read_csv('{Path.Combine(Native, "customers.csv")}', header = true, all_varchar = true)";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                customers.Add(reader.GetString(0));
            }
        }

        var shards = Enumerable.Range(0, 4).Select(index =>
        {
            var sql = Crm.RunOn(RunDate, "sql", "--dialect", "postgres", "--preset", "cdnow", "--as-of", "1998-07-01", "--source-table", "cdnow", "--shard", $"{index}/4");
            Assert.That(sql.ExitCode, Is.EqualTo(0), sql.ToString());
            using var connection = new NpgsqlConnection(cluster.ConnectionString);
            connection.Open();
            using var export = connection.BeginTextExport($"COPY (SELECT DISTINCT customer_id FROM ({sql.Output}) AS s WHERE customer_id IS NOT NULL) TO STDOUT");
            return export.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }).ToArray();

        Assert.That(customers, Has.Count.GreaterThan(20000));
        Assert.That(shards[1], Is.EquivalentTo(customers.Where(new ShardSpec(1, 4).Contains)));
        Assert.That(shards.SelectMany(s => s), Is.EquivalentTo(customers), "the shards partition the customers");
    }

    [Test]
    public void Score_PostgresUnreachable_Exit9NothingPublished()
    {
        const string variable = "CRM_PG_CLI_TESTS_UNREACHABLE";
        Environment.SetEnvironmentVariable(variable, $"Host=127.0.0.1;Port={PostgresCluster.FreePort()};Username=crm;Password=secret-pw;Database=shop;Timeout=5");
        try
        {
            var run = Crm.RunOn(RunDate, ["score", "--engine", "postgres", "--source-table", "cdnow", "--pg-connection-env", variable, "--out", _temp["out"], .. Settings]);

            Assert.That(run.ExitCode, Is.EqualTo(9), run.ToString());
            Assert.That(run.Error, Does.Contain("cannot connect to PostgreSQL at 127.0.0.1").And.Not.Contain("secret-pw"));
            Assert.That(Directory.Exists(_temp["out"]), Is.False);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Test]
    public void Score_PostgresQueryWithWrongColumns_Exit3NamingColumnsFound()
    {
        _ = PostgresServer.Cluster;

        var run = Crm.RunOn(RunDate, ["score", "--engine", "postgres", "--source-query", "SELECT customer_id AS cust, date, dollar_value FROM cdnow",
            "--pg-connection-env", PostgresServer.ConnectionVariable, "--out", _temp["out"], .. Settings]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("customer_id").And.Contain("'cust', 'date', 'dollar_value'"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Validate_EnginePostgresOnCdnow_AccountsForEveryRowAsNatively()
    {
        _ = PostgresServer.Cluster;

        var native = Crm.RunOn(RunDate, "validate", DatasetPaths.File("cdnow", "CDNOW_master.txt"), "--preset", "cdnow");
        var pg = Crm.RunOn(RunDate, "validate", "--engine", "postgres", "--source-table", "cdnow", "--pg-connection-env", PostgresServer.ConnectionVariable, "--preset", "cdnow");

        Assert.That(pg.ExitCode, Is.EqualTo(native.ExitCode), pg.ToString());
        Assert.That(Counts(pg.Output), Is.EqualTo(Counts(native.Output)).And.Not.Empty);

        static string[] Counts(string output) => [.. output.Split('\n').Where(l => l.Contains("rows", StringComparison.Ordinal) || l.Contains("accepted", StringComparison.Ordinal)).Select(l => l.Replace("CDNOW_master.txt", "cdnow", StringComparison.Ordinal))];
    }

    [TestCase("--source-table", "cdnow", "--engine postgres")]
    [TestCase("--pg-connection-env", "X", "--engine postgres")]
    public void Score_PostgresOptionWithoutEngine_Exit2(string option, string value, string message)
    {
        var run = Crm.RunOn(RunDate, "score", Crm.SampleTransactions, option, value, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(message));
    }

    [Test]
    public void Score_EnginePostgresWithUnsetVariable_Exit2NamingIt()
    {
        var run = Crm.RunOn(RunDate, "score", "--engine", "postgres", "--source-table", "cdnow", "--pg-connection-env", "CRM_PG_SURELY_UNSET", "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("CRM_PG_SURELY_UNSET").And.Contain("not set"));
    }

    [Test]
    public void Score_EnginePostgresWithAnExportToo_Exit2()
    {
        var run = Crm.RunOn(RunDate, "score", Crm.SampleTransactions, "--engine", "postgres", "--source-table", "cdnow", "--pg-connection-env", "PATH", "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("Give one input"));
    }

    /// <summary>customers.csv byte for byte and the row accounting of summary.json equal the native run's.</summary>
    private void AssertSameRun(string folder, string engine)
    {
        Assert.That(File.ReadAllText(Path.Combine(folder, "customers.csv")), Is.EqualTo(File.ReadAllText(Path.Combine(Native, "customers.csv"))));
        using var a = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Native, "summary.json")));
        using var b = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "summary.json")));
        foreach (var field in new[] { "rows_read", "rows_accepted", "rows_rejected", "rows_malformed", "rejects_by_reason" })
        {
            Assert.That(b.RootElement.GetProperty("inputs")[0].GetProperty(field).GetRawText(), Is.EqualTo(a.RootElement.GetProperty("inputs")[0].GetProperty(field).GetRawText()), field);
        }

        Assert.That(b.RootElement.GetProperty("parameters").GetProperty("engine").GetString(), Is.EqualTo(engine));
    }
}
