using System.Text.Json.Nodes;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;
using DuckDB.NET.Data;

namespace CrmAnalytics.Cli.Tests.Merge;

/// <summary>
/// Issue 13, "Fit once, score in shards": one bundle fitted on CDNOW, four shard runs with it, and <c>crm merge</c> of
/// them give the unsharded run with the same bundle, file by file, customer by customer and column by column; and every
/// set of folders that is not one complete set of shards of one run is refused with exit 3, publishing nothing.
/// </summary>
[TestFixture]
public sealed class MergeCommandTests
{
    private static readonly string Cdnow = DatasetPaths.File("cdnow", "CDNOW_master.txt");

    private TempFolder _temp = null!;

    private string All => _temp["all"];

    private string Shard(int i) => _temp[$"shard-{i}"];

    [OneTimeSetUp]
    public void ScoreInShards()
    {
        _temp = new TempFolder();
        var fit = Crm.Run("fit", Cdnow, "--preset", "cdnow", "--out", _temp["bundle"]);
        Assert.That(fit.ExitCode, Is.Zero, fit.ToString());
        var all = Crm.Run("score", Cdnow, "--preset", "cdnow", "--models", _temp["bundle"], "--out", All);
        Assert.That(all.ExitCode, Is.Zero, all.ToString());
        for (var i = 0; i < 4; i++)
        {
            var shard = Crm.Run("score", Cdnow, "--preset", "cdnow", "--models", _temp["bundle"], "--shard", $"{i}/4", "--out", Shard(i));
            Assert.That(shard.ExitCode, Is.Zero, shard.ToString());
        }
    }

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Merge_FourShardsOfOneBundle_EqualsTheUnshardedRunInEveryFileAndColumn()
    {
        var merged = _temp["merged"];

        // Any order of the folders: the merge orders by shard index, and the rows by customer id.
        var run = Crm.Run("merge", Shard(2), Shard(0), Shard(3), Shard(1), "--out", merged);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var segmentFiles = Directory.GetFiles(Path.Combine(All, "segments")).Select(Path.GetFileName).Order().ToArray();
        Assert.That(Directory.GetFiles(Path.Combine(merged, "segments")).Select(Path.GetFileName).Order(), Is.EqualTo(segmentFiles));
        Assert.That(segmentFiles, Does.Contain("churn-warning.csv").And.Contain("champions.csv"));
        foreach (var file in new[] { "customers.csv", "rejects.csv" }.Concat(segmentFiles.Select(f => "segments/" + f)))
        {
            // Byte for byte: every customer, every column, the order, and the warning list re-ranked and capped.
            Assert.That(File.ReadAllBytes(Path.Combine(merged, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(All, file))), file);
        }

        Assert.That(SimpleCsv.ParseFile(Path.Combine(merged, "segments", "churn-warning.csv")).Count - 1, Is.GreaterThan(400), "a list from every shard");
        AssertSameParquet(Path.Combine(All, "customers.parquet"), Path.Combine(merged, "customers.parquet"), 23570);
        AssertSameSummaryCounts(merged);
        Assert.That(File.Exists(Path.Combine(merged, "report.html")), Is.True);
        Assert.That(File.Exists(Path.Combine(merged, ".crm-output")), Is.True, "published as crm's own output");
    }

    /// <summary>customers.parquet checked by an independent reader (DuckDB): the same typed columns, the same rows, in the same order.</summary>
    internal static void AssertSameParquet(string expected, string actual, int customers)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        List<string> Rows(string sql)
        {
            using var command = duck.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<string>();
            while (reader.Read())
            {
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i)?.ToString())));
            }

            return rows;
        }

        Assert.That(Rows($"DESCRIBE SELECT * FROM '{actual}'"), Is.EqualTo(Rows($"DESCRIBE SELECT * FROM '{expected}'")), "columns and types");
        Assert.That(Rows($"SELECT count(*) FROM '{actual}'"), Is.EqualTo(new[] { customers.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.That(Rows($"SELECT count(*) FROM ((FROM '{actual}' EXCEPT ALL FROM '{expected}') UNION ALL (FROM '{expected}' EXCEPT ALL FROM '{actual}'))"),
            Is.EqualTo(new[] { "0" }), "every customer with every column's exact value");
        Assert.That(Rows($"SELECT count(*) FROM read_parquet('{actual}', file_row_number = true) a JOIN read_parquet('{expected}', file_row_number = true) e USING (file_row_number) WHERE a.customer_id = e.customer_id"),
            Is.EqualTo(new[] { customers.ToString(System.Globalization.CultureInfo.InvariantCulture) }), "the same order");
    }

    private void AssertSameSummaryCounts(string merged)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(All, "summary.json")))!;
        var actual = JsonNode.Parse(File.ReadAllText(Path.Combine(merged, "summary.json")))!;
        string[] counts =
        [
            "customers.count", "customers.without_purchases", "kpis.customers", "kpis.repeat_customers", "kpis.prior_year_customers",
            "kpis.retained_customers", "clv.spend_excluded", "clv.spend_independence.repeat_buyers", "churn.active_customers",
            "churn.lapsed_customers", "churn.risk_bands.high", "churn.risk_bands.medium", "churn.risk_bands.low", "churn.risk_bands.lapsed",
            "churn.warning_listed", "inputs.0.rows_read", "inputs.0.rows_accepted",
            // Money is written in cents, and the merge adds the customers in the unsharded run's order: equal too.
            "kpis.revenue", "kpis.average_order_value", "kpis.simple_clv", "clv.total_clv", "clv.mean_clv", "churn.expected_value_at_risk", "as_of",
        ];
        foreach (var path in counts)
        {
            Assert.That(At(actual, path)?.ToJsonString(), Is.EqualTo(At(expected, path)?.ToJsonString()).And.Not.Null, path);
        }

        for (var s = 0; s < expected["segments"]!.AsArray().Count; s++)
        {
            foreach (var field in new[] { "slug", "customers", "revenue" })
            {
                Assert.That(At(actual, $"segments.{s}.{field}")!.ToJsonString(), Is.EqualTo(At(expected, $"segments.{s}.{field}")!.ToJsonString()), $"segments.{s}.{field}");
            }

            foreach (var share in new[] { "customer_share", "revenue_share" })
            {
                Assert.That((double)At(actual, $"segments.{s}.{share}")!, Is.EqualTo((double)At(expected, $"segments.{s}.{share}")!).Within(1e-12), $"segments.{s}.{share}");
            }
        }

        for (var s = 0; s < expected["lifecycle"]!.AsArray().Count; s++)
        {
            Assert.That(At(actual, $"lifecycle.{s}")!.ToJsonString(), Is.EqualTo(At(expected, $"lifecycle.{s}")!.ToJsonString()));
        }

        foreach (var rate in new[] { "kpis.repurchase_rate", "kpis.retention_rate", "kpis.purchase_frequency", "kpis.top_tier_share_of_customers",
            "kpis.top_tier_revenue_share", "clv.mean_probability_alive", "clv.expected_purchases_365d_total", "churn.mean_probability", "clv.spend_independence.correlation" })
        {
            Assert.That((double)At(actual, rate)!, Is.EqualTo((double)At(expected, rate)!).Within(1e-9).Percent, rate);
        }

        Assert.That(At(actual, "parameters.shard"), Is.Null);
        Assert.That((int)At(actual, "parameters.merged_shards")!, Is.EqualTo(4));
        Assert.That((string)At(actual, "command_line.0")!, Is.EqualTo("merge"));
    }

    internal static JsonNode? At(JsonNode node, string path) =>
        path.Split('.').Aggregate((JsonNode?)node, (n, key) => n is JsonArray array ? array[int.Parse(key, System.Globalization.CultureInfo.InvariantCulture)] : n?[key]);

    [Test]
    public void Merge_SameShardTwice_Exits3AndPublishesNothing()
    {
        var run = Crm.Run("merge", Shard(0), Shard(1), Shard(2), Shard(3), Shard(1), "--out", _temp["twice"]);

        AssertRefused(run, "twice", "shard 1/4 is given twice");
    }

    [Test]
    public void Merge_MissingShard_Exits3AndNamesIt()
    {
        var run = Crm.Run("merge", Shard(0), Shard(1), Shard(3), "--out", _temp["missing"]);

        AssertRefused(run, "missing", "shard(s) 2/4 missing: give all 4 shard folders");
    }

    [Test]
    public void Merge_CustomerInTwoShards_Exits3()
    {
        // Shard 0's customers, labelled shard 1: every index is there once, but the customers overlap.
        var relabelled = CopyWithSummary(Shard(0), "relabelled", s => s["parameters"]!["shard"] = "1/4");

        var run = Crm.Run("merge", Shard(0), relabelled, Shard(2), Shard(3), "--out", _temp["overlap"]);

        AssertRefused(run, "overlap", "the shards overlap");
        Assert.That(run.Error, Does.Contain("customers.parquet"));
    }

    [TestCase("parameters.models_sha256", "\"0000\"", "differ in their model bundle")]
    [TestCase("as_of", "\"1998-06-30\"", "differ in their as-of date: 1998-06-30 and 1998-07-01")]
    [TestCase("tool_version", "\"0.0.0-other\"", "was written by crm 0.0.0-other")]
    [TestCase("inputs.0.sha256", "null", "summary.json records no transaction input (inputs[0].sha256)")]
    [TestCase("inputs.0.sha256", "\"00\"", "CDNOW_master.txt hash to other shards than 3/4 (customers.outside_shard), and the shards read different inputs")]
    public void Merge_ShardOfAnotherRun_Exits3AndSaysWhatDiffers(string field, string value, string message)
    {
        var keys = field.Split('.');
        var name = field + (value == "null" ? "-null" : string.Empty);
        var other = CopyWithSummary(Shard(3), "other-" + name, s =>
        {
            var parent = keys[..^1].Aggregate((JsonNode)s, (n, k) => n is JsonArray a ? a[int.Parse(k, System.Globalization.CultureInfo.InvariantCulture)]! : n[k]!);
            parent[keys[^1]] = JsonNode.Parse(value);
        });

        var run = Crm.Run("merge", Shard(0), Shard(1), Shard(2), other, "--out", _temp["of-" + name]);

        AssertRefused(run, "of-" + name, message);
    }

    [Test]
    public void Merge_FolderThatIsNotACrmOutput_Exits3()
    {
        var folder = Path.GetDirectoryName(_temp.Write("not-crm/notes.txt", "hello"))!;

        var run = Crm.Run("merge", Shard(0), folder, "--out", _temp["not-crm-out"]);

        AssertRefused(run, "not-crm-out", "not-crm: not a crm output (no summary.json)");
    }

    [Test]
    public void Merge_UnshardedOutput_Exits3()
    {
        var run = Crm.Run("merge", Shard(0), All, "--out", _temp["unsharded"]);

        AssertRefused(run, "unsharded", "not of a shard run");
    }

    [Test]
    public void Merge_OutIsAShardFolder_Exits6AndLeavesItAlone()
    {
        var before = File.ReadAllBytes(Path.Combine(Shard(1), "customers.csv"));

        var run = Crm.Run("merge", Shard(0), Shard(1), Shard(2), Shard(3), "--out", Shard(1));

        Assert.That(run.ExitCode, Is.EqualTo(6), run.ToString());
        Assert.That(run.Error, Does.Contain("shard-1"));
        Assert.That(File.ReadAllBytes(Path.Combine(Shard(1), "customers.csv")), Is.EqualTo(before));
    }

    private void AssertRefused(CliResult run, string output, string message)
    {
        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain(message));
        Assert.That(Directory.Exists(_temp[output]), Is.False, "nothing published");
    }

    private string CopyWithSummary(string source, string name, Action<JsonNode> edit) => CopyWithSummary(_temp, source, name, edit);

    /// <summary>A copy of a shard folder whose summary.json is edited by <paramref name="edit"/>.</summary>
    internal static string CopyWithSummary(TempFolder temp, string source, string name, Action<JsonNode> edit)
    {
        var target = temp[name];
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(target, "summary.json")))!;
        edit(summary);
        File.WriteAllText(Path.Combine(target, "summary.json"), summary.ToJsonString());
        return target;
    }
}
