using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>
/// Issue 14, graceful small data: a model that cannot be fitted on a small or flat export is skipped, the rest is
/// published with exit 0, and <c>--require</c> restores exit 5.
/// </summary>
[TestFixture]
public sealed class ScoreSmallDataTests
{
    private const string OneTimeBuyers = "customer_id,date,amount\na,2024-01-02,10\nb,2024-01-03,12\nc,2024-02-01,9\n";

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task Score_NoRepeatBuyers_PublishesWithExitZeroAndSkippedSections()
    {
        var input = _temp.Write("one-time.csv", OneTimeBuyers);
        var outDir = _temp["out"];

        var run = Crm.Run("score", input, "--out", outDir, "--log-format", "json");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var clv = summary.RootElement.GetProperty("clv");
        var churn = summary.RootElement.GetProperty("churn");
        var warnings = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.GetProperty("level").GetString() == "warn").Select(l => l.GetProperty("stage").GetString()).ToArray();
        var csv = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
        var clvColumn = Array.IndexOf(csv[0], "clv_12m");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clv.GetProperty("status").GetString(), Is.EqualTo("skipped"));
            Assert.That(clv.GetProperty("reason").GetString(), Does.Contain("gammagamma").And.Contain("no customers to fit"));
            Assert.That(churn.GetProperty("status").GetString(), Is.EqualTo("skipped"));
            Assert.That(churn.GetProperty("reason").GetString(), Does.Contain("churned"));
            Assert.That(summary.RootElement.GetProperty("exit_code").GetInt32(), Is.Zero);
            Assert.That(warnings, Is.EquivalentTo(new[] { "clv", "churn" }), "one JSON warning line per skipped model");
            Assert.That(File.ReadAllText(Path.Combine(outDir, "report.html")), Does.Contain("<strong>Skipped:</strong> gammagamma: no customers to fit"));
            Assert.That(File.Exists(Path.Combine(outDir, "segments", "churn-warning.csv")), Is.False, "no warning list without a churn model");
            Assert.That(clvColumn, Is.GreaterThan(0), "the CLV columns stay, so the table's columns do not depend on the fit");
            Assert.That(csv.Skip(1).Select(r => r[clvColumn]), Is.All.Empty);
            Assert.That(csv, Has.Count.EqualTo(4));
        }

        await using var parquet = File.OpenRead(Path.Combine(outDir, "customers.parquet"));
        await using var reader = await Parquet.ParquetReader.CreateAsync(parquet);
        var field = reader.Schema.DataFields.Single(f => f.Name == "clv_12m");
        Assert.That((field.ClrType, field.IsNullable), Is.EqualTo((typeof(double), true)), "customers.parquet keeps the column typed: a nullable double");
    }

    [Test]
    public void Score_NoRepeatBuyersWithRequireClv_ExitsFiveAndPublishesNothing()
    {
        var input = _temp.Write("one-time.csv", OneTimeBuyers);
        var outDir = _temp["out"];

        var run = Crm.Run("score", input, "--out", outDir, "--require", "clv", "--churn-trainer", "none");

        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        Assert.That(Directory.Exists(outDir), Is.False);
        Assert.That(run.Error, Does.Contain("gammagamma"));
    }

    [Test]
    public void Run_JobFileRequiresClvAndChurn_ExitsFive()
    {
        var input = _temp.Write("one-time.csv", OneTimeBuyers);
        var job = _temp.Write("job.json", $$"""{ "transactions": {{JsonSerializer.Serialize(input)}}, "out": "out", "require": "clv,churn" }""");

        var run = Crm.Run("run", job);

        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [TestCase("clv,nps", "--require 'nps' is unknown")]
    [TestCase("clv", "--require clv needs a purchase model")]
    public void Score_RequireAnUnknownOrSwitchedOffModel_ExitsTwo(string require, string message)
    {
        var input = _temp.Write("one-time.csv", OneTimeBuyers);

        var run = Crm.Run("score", input, "--out", _temp["out"], "--require", require, "--clv-model", require == "clv" ? "none" : "bgnbd");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(message));
    }

    [Test]
    public void Score_SingularGammaGamma_SkipsClvWithTheReason()
    {
        // Every repeat buyer has exactly one repeat purchase worth 25: one Gamma-Gamma pattern, whose information matrix
        // is singular, while BG/NBD still fits the purchase timing.
        var rows = new StringBuilder("customer_id,date,amount\n");
        var occasions = new Dictionary<string, int>(StringComparer.Ordinal);
        var days = new HashSet<(string, string)>();
        var sample = SimpleCsv.ParseFile(Crm.Sample600(_temp["sample"]));
        foreach (var row in sample.Skip(1).Where(r => !r[0].StartsWith('C') && r[1].Length > 0))
        {
            var (customer, day) = (row[1], row[2][..10]);
            if (days.Add((customer, day)) && occasions.GetValueOrDefault(customer) < 2)
            {
                occasions[customer] = occasions.GetValueOrDefault(customer) + 1;
                rows.Append(CultureInfo.InvariantCulture, $"{customer},{day},25\n");
            }
        }

        var outDir = _temp["out"];
        var run = Crm.Run("score", _temp.Write("two-occasions.csv", rows.ToString()), "--out", outDir, "--churn-trainer", "none");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var clv = summary.RootElement.GetProperty("clv");
        Assert.That(clv.GetProperty("status").GetString(), Is.EqualTo("skipped"));
        Assert.That(clv.GetProperty("reason").GetString(), Does.Contain("gammagamma: the likelihood has no proper maximum"));
        Assert.That(run.Error, Does.Contain("clv skipped"));
    }

    [Test]
    public void Score_InfiniteMeanSpend_SkipsClvAndTheWarningListUsesTheProbability()
    {
        // Order values with a Pareto tail of index 0.5 (infinite mean): Gamma-Gamma's q ends below 1. Churn still trains,
        // without the CLV features, and ranks its warning list by probability, with no expected value lost.
        var random = new Random(1);
        var factors = new Dictionary<string, double>(StringComparer.Ordinal);
        var sample = SimpleCsv.ParseFile(Crm.Sample600(_temp["sample"]));
        var rows = new StringBuilder(string.Join(',', sample[0]) + "\n");
        foreach (var row in sample.Skip(1))
        {
            var factor = factors.TryGetValue(row[0], out var f) ? f : factors[row[0]] = Math.Pow(1 / (1 - random.NextDouble()), 2);
            var price = double.Parse(row[5], CultureInfo.InvariantCulture) * factor;
            rows.Append(CultureInfo.InvariantCulture, $"{row[0]},{row[1]},{row[2]},{row[3]},{row[4]},{price:F2}\n");
        }

        var outDir = _temp["out"];
        var run = Crm.Run("score", _temp.Write("heavy.csv", rows.ToString()), "--preset", "sample", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var clv = summary.RootElement.GetProperty("clv");
        var churn = summary.RootElement.GetProperty("churn");
        var warnings = SimpleCsv.ParseFile(Path.Combine(outDir, "segments", "churn-warning.csv"));
        var probability = Array.IndexOf(warnings[0], "churn_probability");
        var probabilities = warnings.Skip(1).Select(r => double.Parse(r[probability], CultureInfo.InvariantCulture)).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clv.GetProperty("status").GetString(), Is.EqualTo("skipped"));
            Assert.That(clv.GetProperty("reason").GetString(), Does.Contain("infinite"));
            Assert.That(churn.GetProperty("status").GetString(), Is.EqualTo("fitted"));
            Assert.That(churn.GetProperty("features").EnumerateArray().Select(f => f.GetString()), Does.Not.Contain("p_alive"));
            Assert.That(churn.GetProperty("expected_value_at_risk").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(probabilities, Is.Not.Empty.And.Ordered.Descending);
            Assert.That(warnings.Skip(1).Select(r => r[Array.IndexOf(warnings[0], "expected_value_lost")]), Is.All.Empty);
        }
    }

    [Test]
    public void Score_TooFewRowsForATree_SkipsChurnAndKeepsTheRest()
    {
        // 20 customers buying every 14 days; the odd ones stop during the year, so every cut-off has churners and
        // stayers, but 20 rows cannot give a tree two leaves of 50 rows (ML.NET used to fail with an internal error).
        var rows = new StringBuilder("customer_id,date,amount\n");
        var start = new DateOnly(2023, 1, 1);
        for (var c = 0; c < 20; c++)
        {
            var stop = c % 2 == 0 ? 364 : 100 + (10 * c);
            for (var day = c % 7; day < stop; day += 14)
            {
                rows.Append(CultureInfo.InvariantCulture, $"c{c},{start.AddDays(day):yyyy-MM-dd},{10 + c}\n");
            }
        }

        var outDir = _temp["out"];
        var run = Crm.Run("score", _temp.Write("tiny.csv", rows.ToString()), "--out", outDir, "--clv-model", "none", "--churn-horizon", "28");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var churn = summary.RootElement.GetProperty("churn");
        Assert.That(churn.GetProperty("status").GetString(), Is.EqualTo("skipped"));
        Assert.That(churn.GetProperty("reason").GetString(), Does.Contain("too few for a tree"));
        Assert.That(SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv")), Has.Count.EqualTo(21));
    }
}
