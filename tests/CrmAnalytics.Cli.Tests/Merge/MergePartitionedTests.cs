using System.Text.Json.Nodes;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;
using DuckDB.NET.Data;

namespace CrmAnalytics.Cli.Tests.Merge;

/// <summary>
/// Issue 13, a warehouse that pre-partitions: CDNOW reduced by <c>crm sql --dialect duckdb --shard i/4</c> (executed in
/// DuckDB) into one occasions table per shard, each scored on its own with one bundle, and merged, gives the run of the
/// whole occasions table with that bundle; an input holding another shard's customer is refused at the merge.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class MergePartitionedTests
{
    private const string AsOf = "1998-07-01";

    private TempFolder _temp = null!;

    private string All => _temp["all"];

    private static string Shard(int i) => $"shard-{i}";

    private string Occasions(string name) => _temp[name + ".parquet"];

    [OneTimeSetUp]
    public void ScoreEachShardOnItsOwnInput()
    {
        _temp = new TempFolder();
        var csv = CdnowCsv.Write(_temp);
        var fit = Crm.Run("fit", DatasetPaths.File("cdnow", "CDNOW_master.txt"), "--preset", "cdnow", "--as-of", AsOf, "--out", _temp["bundle"]);
        Assert.That(fit.ExitCode, Is.Zero, fit.ToString());
        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        // CDNOW has no rejected line: three are added, so that the reject rows are accounted for too.
        Execute(duck, $"CREATE VIEW transactions AS SELECT * FROM read_csv('{csv}', header = true, all_varchar = true) UNION ALL " +
            "FROM (VALUES (NULL, '19970101', '1', '5.00'), ('00001', '19971345', '1', '3.00'), ('00002', '19970105', '1', 'abc')) v(customer_id, date, number_of_cds, dollar_value)");
        foreach (var (name, shard) in new[] { ("whole", (string?)null) }.Concat(Enumerable.Range(0, 4).Select(i => (Shard(i), (string?)$"{i}/4"))))
        {
            var sql = Crm.Run(["sql", "--dialect", "duckdb", "--preset", "cdnow", "--as-of", AsOf, .. shard is null ? Array.Empty<string>() : ["--shard", shard]]);
            Assert.That(sql.ExitCode, Is.Zero, sql.ToString());
            Execute(duck, $"COPY ({sql.Output}) TO '{Occasions(name)}' (FORMAT parquet)");
        }

        // The same lines as exports in CDNOW's format, one per shard, partitioned by the documented key in DuckDB (the line
        // without a customer id, wrong_column_count there, in shard 0), and the whole, each in the lines' order.
        foreach (var (name, where) in new[] { ("export-whole", "true") }.Concat(Enumerable.Range(0, 4).Select(i =>
            ($"export-{i}", $"coalesce(CAST(('0x' || SUBSTR(md5(customer_id), 1, 15)) AS BIGINT) % 4, 0) = {i}"))))
        {
            Execute(duck, $"COPY (FROM transactions WHERE {where}) TO '{_temp[name + ".csv"]}' (HEADER, DELIMITER ' ')");
        }

        // Shard 0's table with one customer of shard 1 added: a wrongly partitioned input.
        Execute(duck, $"COPY (FROM '{Occasions(Shard(0))}' UNION ALL (FROM '{Occasions(Shard(1))}' WHERE customer_id = (SELECT min(customer_id) FROM '{Occasions(Shard(1))}'))) TO '{Occasions("wrong-0")}' (FORMAT parquet)");
        Score(["--from-occasions", Occasions("whole")], null, All);
        Score([_temp["export-whole.csv"], .. ExportReading], null, _temp["all-export"]);
        for (var i = 0; i < 4; i++)
        {
            Score(["--from-occasions", Occasions(Shard(i))], $"{i}/4", _temp[Shard(i)]);
            Score([_temp[$"export-{i}.csv"], .. ExportReading], $"{i}/4", _temp[$"export-{i}"]);
        }

        Score(["--from-occasions", Occasions("wrong-0")], "0/4", _temp["wrong-0"]);
    }

    private static string[] ExportReading => ["--preset", "cdnow"];

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Merge_ShardsOfTheirOwnPartitionedInputs_EqualsTheWholeRunAndTheCountsAddUp()
    {
        var merged = _temp["merged"];

        var run = Crm.Run("merge", _temp[Shard(3)], _temp[Shard(1)], _temp[Shard(0)], _temp[Shard(2)], "--out", merged);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        MergeCommandTests.AssertSameParquet(Path.Combine(All, "customers.parquet"), Path.Combine(merged, "customers.parquet"), 23570);
        foreach (var file in new[] { "customers.csv", "segments/champions.csv", "segments/churn-warning.csv" })
        {
            Assert.That(File.ReadAllBytes(Path.Combine(merged, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(All, file))), file);
        }

        var whole = Summary(All);
        var summary = Summary(merged);
        var inputs = summary["inputs"]!.AsArray();
        Assert.That(inputs.Select(i => Path.GetFileName((string)i!["path"]!)), Is.EqualTo(Enumerable.Range(0, 4).Select(i => $"shard-{i}.parquet")), "every shard's input, in shard order");
        foreach (var count in new[] { "rows_read", "rows_accepted", "rows_rejected", "rows_malformed" })
        {
            Assert.That(inputs.Sum(i => (long)i![count]!), Is.EqualTo((long)whole["inputs"]![0]![count]!), count);
        }

        var byReason = whole["inputs"]![0]!["rejects_by_reason"]!.AsObject();
        Assert.That(byReason.Select(r => r.Key), Is.EquivalentTo(new[] { "missing_customer_id", "unparseable_amount", "unparseable_date" }));
        foreach (var (reason, rows) in byReason)
        {
            Assert.That(inputs.Sum(i => (long?)i!["rejects_by_reason"]![reason] ?? 0), Is.EqualTo((long)rows!), reason);
        }

        Assert.That(SimpleCsv.ParseFile(Path.Combine(merged, "rejects.csv")).Count, Is.EqualTo(SimpleCsv.ParseFile(Path.Combine(All, "rejects.csv")).Count), "every shard's rejects.csv");
        foreach (var path in new[] { "customers.count", "customers.without_purchases", "kpis.customers", "kpis.revenue", "kpis.prior_year_customers", "kpis.retained_customers",
            "churn.warning_listed", "churn.risk_bands.high", "clv.total_clv", "segments.0.customers", "segments.0.customer_share", "segments.0.revenue_share", "lifecycle.0.customers" })
        {
            Assert.That(MergeCommandTests.At(summary, path)?.ToJsonString(), Is.EqualTo(MergeCommandTests.At(whole, path)?.ToJsonString()).And.Not.Null, path);
        }

        Assert.That(MergeCommandTests.At(summary, "customers.outside_shard"), Is.Null, "the merged output is not a shard");
        Assert.That(Enumerable.Range(0, 4).Select(i => (long)MergeCommandTests.At(Summary(_temp[Shard(i)]), "customers.outside_shard")!), Is.All.Zero);
    }

    /// <summary>Shards of CSV exports partitioned by the key: each shard's rejected lines are its own, and rejects.csv lists them all.</summary>
    [Test]
    public void Merge_ShardsOfTheirOwnExports_EqualsTheWholeExportRunWithEveryRejectedLine()
    {
        var merged = _temp["merged-export"];

        var run = Crm.Run("merge", _temp["export-0"], _temp["export-1"], _temp["export-2"], _temp["export-3"], "--out", merged);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var whole = _temp["all-export"];
        Assert.That(File.ReadAllBytes(Path.Combine(merged, "customers.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(whole, "customers.csv"))));
        var inputs = Summary(merged)["inputs"]!.AsArray();
        Assert.That(inputs.Select(i => (long)i!["rows_rejected"]!), Has.Some.Zero.And.Some.Positive, "the bad lines are in some shards only");
        Assert.That(inputs.Sum(i => (long)i!["rows_read"]!), Is.EqualTo((long)Summary(whole)["inputs"]![0]!["rows_read"]!));
        var rejects = SimpleCsv.ParseFile(Path.Combine(merged, "rejects.csv"));
        Assert.That(rejects.Skip(1).Select(r => r[3]).Order().ToArray(), Is.EqualTo(SimpleCsv.ParseFile(Path.Combine(whole, "rejects.csv")).Skip(1).Select(r => r[3]).Order()).And.Length.EqualTo(3),
            "every shard's rejected lines, once");
        Assert.That(rejects.Skip(1).Select(r => Path.GetFileName(r[0])), Has.All.Matches<string>(f => f is "export-0.csv" or "export-1.csv" or "export-2.csv" or "export-3.csv"), "named by the shard's file");
    }

    [Test]
    public void Merge_ShardInputWithAnotherShardsCustomer_Exits3NamingTheFolderAndTheCount()
    {
        Assert.That((long)MergeCommandTests.At(Summary(_temp["wrong-0"]), "customers.outside_shard")!, Is.EqualTo(1), "the shard run records the foreign customer");

        var run = Crm.Run("merge", _temp["wrong-0"], _temp[Shard(1)], _temp[Shard(2)], _temp[Shard(3)], "--out", _temp["wrong-merged"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("wrong-0: 1 customer(s) of ").And.Contain("wrong-0.parquet hash to other shards than 0/4").And.Contain("wrongly partitioned"));
        Assert.That(Directory.Exists(_temp["wrong-merged"]), Is.False, "nothing published");
    }

    [Test]
    public void Merge_ShardOfOwnInputWithoutOutsideShardCount_Exits3()
    {
        var unrecorded = MergeCommandTests.CopyWithSummary(_temp, _temp[Shard(2)], "unrecorded", s => s["customers"]!.AsObject().Remove("outside_shard"));

        var run = Crm.Run("merge", _temp[Shard(0)], _temp[Shard(1)], unrecorded, _temp[Shard(3)], "--out", _temp["unrecorded-merged"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("unrecorded: the shards read different inputs, and summary.json records no customers.outside_shard"));
        Assert.That(Directory.Exists(_temp["unrecorded-merged"]), Is.False, "nothing published");
    }

    [Test]
    public void Merge_PartitionedShardTwice_Exits3()
    {
        var run = Crm.Run("merge", _temp[Shard(0)], _temp[Shard(1)], _temp[Shard(1)], _temp[Shard(2)], _temp[Shard(3)], "--out", _temp["twice"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("shard 1/4 is given twice").And.Contain("read the same input, and the other shards read others"));
        Assert.That(Directory.Exists(_temp["twice"]), Is.False, "nothing published");
    }

    private void Score(string[] input, string? shard, string output)
    {
        var run = Crm.Run(["score", .. input, "--models", _temp["bundle"], "--as-of", AsOf, "--out", output, .. shard is null ? Array.Empty<string>() : ["--shard", shard]]);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    private static JsonNode Summary(string folder) => JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")))!;

    private static void Execute(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
