using System.Text.Json;
using System.Text.Json.Nodes;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Fit;

/// <summary>
/// Issue 13, "Fit once, score in shards": one bundle fitted on CDNOW; four shard runs with it give, customer by customer
/// and column by column, the unsharded run with it, and that run gives the plain <c>crm score</c>'s RFM and CLV columns.
/// </summary>
[TestFixture]
public sealed class FitShardTests
{
    private static readonly string Cdnow = DatasetPaths.File("cdnow", "CDNOW_master.txt");

    private TempFolder _temp = null!;

    private string Bundle => _temp["bundle"];

    [OneTimeSetUp]
    public void FitOnce()
    {
        _temp = new TempFolder();
        var fit = Crm.Run("fit", Cdnow, "--preset", "cdnow", "--out", Bundle);
        Assert.That(fit.ExitCode, Is.Zero, fit.ToString());
        var all = Crm.Run("score", Cdnow, "--preset", "cdnow", "--format", "csv", "--models", Bundle, "--out", _temp["all"]);
        Assert.That(all.ExitCode, Is.Zero, all.ToString());
    }

    [OneTimeTearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Fit_Cdnow_WritesTheBundleWithEveryPopulationWidePart()
    {
        var bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(Bundle, "bundle.json")))!;

        Assert.That((string?)bundle["schema"], Is.EqualTo("crm-model-bundle"));
        Assert.That((int?)bundle["schema_version"], Is.EqualTo(1));
        Assert.That((int?)bundle["customers"], Is.EqualTo(23570), "CDNOW's customers");
        Assert.That((int?)bundle["fitted_on"], Is.EqualTo(23570));
        Assert.That(bundle["rfm"]!["orders"]!.AsArray(), Has.Count.EqualTo(4));
        // --clv-model auto (the default) picks on the holdout as crm score does; on CDNOW master at the default as-of
        // that is MBG/NBD, and the bundle keeps the pick, not "auto".
        Assert.That((string?)bundle["clv"]!["model"], Is.EqualTo("mbgnbd"));
        Assert.That(bundle["clv"]!["purchase"]!["estimates"]!.AsArray(), Has.Count.EqualTo(4));
        Assert.That(bundle["value_tier_cut"]!["customer_id"], Is.Not.Null);
        Assert.That((int?)bundle["lifecycle"]!["inactive_after_days"], Is.EqualTo(180));
        Assert.That(File.Exists(Path.Combine(Bundle, (string)bundle["churn"]!["model_file"]!)), Is.True);
        Assert.That(File.Exists(Path.Combine(Bundle, "churn-model.json")), Is.True, "the churn model's sidecar");
        Assert.That(File.Exists(Path.Combine(Bundle, ".crm-output")), Is.True, "published as crm's own output");
    }

    [Test]
    public void Score_FourShardsOfOneBundle_UnionEqualsTheUnshardedRunInEveryColumn()
    {
        var all = SimpleCsv.ParseFile(Path.Combine(_temp["all"], "customers.csv"));
        var union = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < 4; i++)
        {
            var outDir = _temp[$"shard{i}"];
            var run = Crm.Run("score", Cdnow, "--preset", "cdnow", "--format", "csv", "--models", Bundle, "--shard", $"{i}/4", "--out", outDir);
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            var rows = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
            Assert.That(rows[0], Is.EqualTo(all[0]), "same columns");
            Assert.That(rows.Count - 1, Is.GreaterThan(all.Count / 8), $"shard {i} holds about a quarter");
            foreach (var row in rows.Skip(1))
            {
                Assert.That(union.TryAdd(row[0], row), Is.True, $"customer in two shards (shard {i})");
            }
        }

        Assert.That(union, Has.Count.EqualTo(all.Count - 1), "every customer in exactly one shard");
        foreach (var row in all.Skip(1))
        {
            var shardRow = union[row[0]];
            for (var c = 0; c < row.Length; c++)
            {
                Assert.That(shardRow[c], Is.EqualTo(row[c]), $"customer {row[0]}, column {all[0][c]}");
            }
        }
    }

    [Test]
    public void Score_ModelsFittedOnTheSameData_EqualsThePlainRunOutsideChurn()
    {
        var plain = Crm.Run("score", Cdnow, "--preset", "cdnow", "--format", "csv", "--out", _temp["plain"]);
        Assert.That(plain.ExitCode, Is.Zero, plain.ToString());
        var expected = SimpleCsv.ParseFile(Path.Combine(_temp["plain"], "customers.csv"));
        var actual = SimpleCsv.ParseFile(Path.Combine(_temp["all"], "customers.csv"));

        Assert.That(actual[0], Is.EqualTo(expected[0]));
        Assert.That(actual, Has.Count.EqualTo(expected.Count));
        var columns = Enumerable.Range(0, expected[0].Length).Where(c => !expected[0][c].StartsWith("churn", StringComparison.Ordinal)).ToArray();
        Assert.That(columns.Select(c => expected[0][c]), Does.Contain("p_alive").And.Contain("clv_12m").And.Contain("rfm_code").And.Contain("value_tier"));
        for (var r = 1; r < expected.Count; r++)
        {
            foreach (var c in columns)
            {
                Assert.That(actual[r][c], Is.EqualTo(expected[r][c]), $"row {r} ({expected[r][0]}), column {expected[0][c]}");
            }
        }
    }

    [TestCase("tool_version", "\"0.0.0-other\"", "fitted by crm 0.0.0-other")]
    [TestCase("schema_version", "99", "version 99")]
    [TestCase("schema", "\"crm-model-bundle-2\"", "schema 'crm-model-bundle-2'")]
    public void Score_BundleFromAnotherVersion_Exits3AndPublishesNothing(string field, string value, string message)
    {
        var other = _temp[$"other-{field}"];
        Directory.CreateDirectory(other);
        var bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(Bundle, "bundle.json")))!;
        bundle[field] = JsonNode.Parse(value);
        File.WriteAllText(Path.Combine(other, "bundle.json"), bundle.ToJsonString());

        var run = Crm.Run("score", Cdnow, "--preset", "cdnow", "--models", other, "--out", _temp[$"out-{field}"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain(message).And.Contain("crm fit"));
        Assert.That(Directory.Exists(_temp[$"out-{field}"]), Is.False);
    }

    [Test]
    public void Score_ShardWithoutModels_Exits2()
    {
        var run = Crm.Run("score", Cdnow, "--preset", "cdnow", "--shard", "0/4", "--out", _temp["no-models"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--shard needs --models"));
    }

    [TestCase("4/4")]
    [TestCase("1/0")]
    [TestCase("x")]
    public void Score_BadShard_Exits2(string shard)
    {
        var run = Crm.Run("score", Cdnow, "--preset", "cdnow", "--models", Bundle, "--shard", shard, "--out", _temp["bad-shard"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--shard '" + shard + "'"));
    }

    [TestCase("--keep", "3")]
    [TestCase("--fail-on-drift", "0.25")]
    public void Fit_ScoreOnlyOption_Exits2AndPublishesNothing(string option, string value)
    {
        var run = Crm.Run("fit", Cdnow, "--preset", "cdnow", option, value, "--out", _temp["score-only"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(option + " is an option of 'crm score'"));
        Assert.That(Directory.Exists(_temp["score-only"]), Is.False);
    }

    [Test]
    public void Fit_FitSample_FitsOnTheSeededSampleAndRecordsIt()
    {
        var run = Crm.Run("fit", Cdnow, "--preset", "cdnow", "--churn-trainer", "none", "--fit-sample", "2000", "--fit-seed", "7", "--out", _temp["sampled"]);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using var bundle = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp["sampled"], "bundle.json")));
        var root = bundle.RootElement;
        Assert.That(root.GetProperty("customers").GetInt32(), Is.EqualTo(23570));
        Assert.That(root.GetProperty("fitted_on").GetInt32(), Is.EqualTo(2000));
        Assert.That((root.GetProperty("fit_sample").GetInt32(), root.GetProperty("fit_seed").GetInt32()), Is.EqualTo((2000, 7)));
        Assert.That(root.GetProperty("clv").GetProperty("purchase").GetProperty("customers").GetDouble(), Is.EqualTo(2000));
        Assert.That(root.GetProperty("churn").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }
}
