using System.Globalization;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Clv;

/// <summary>The CLV columns' <c>_lo</c>/<c>_hi</c> bounds (<c>--clv-interval-level</c>) and Gamma-Gamma's independence check, end to end.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ClvIntervalColumnsTests
{
    private static readonly string[] Bounded = ["p_alive", "expected_purchases_90d", "expected_purchases_365d", "expected_avg_spend", "clv_12m"];

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_DefaultLevel_EveryBoundBracketsItsColumnAndIsRoundedLikeIt()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--as-of", "1997-10-01", "--churn-trainer", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var rows = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
        var header = rows[0];
        foreach (var row in rows.Skip(1))
        {
            foreach (var column in Bounded)
            {
                string Cell(string name) => row[Array.IndexOf(header, name)];
                double Value(string name) => double.Parse(Cell(name), CultureInfo.InvariantCulture);
                Assert.That(Value(column + "_lo"), Is.LessThanOrEqualTo(Value(column)).And.GreaterThanOrEqualTo(0), $"{column}_lo of {row[0]}");
                Assert.That(Value(column + "_hi"), Is.GreaterThanOrEqualTo(Value(column)), $"{column}_hi of {row[0]}");
                if (column is "expected_avg_spend" or "clv_12m")
                {
                    Assert.That(Cell(column + "_lo").Split('.').ElementAtOrDefault(1)?.Length ?? 0, Is.LessThanOrEqualTo(2), "cents");
                }
            }
        }

        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var intervals = summary.RootElement.GetProperty("clv").GetProperty("intervals");
        Assert.That(intervals.GetProperty("level").GetDouble(), Is.EqualTo(0.9));
        Assert.That(intervals.GetProperty("method").GetString(), Is.EqualTo("parameter_uncertainty_delta_log"));
        Assert.That(summary.RootElement.GetProperty("parameters").GetProperty("clv_interval_level").GetDouble(), Is.EqualTo(0.9));
    }

    [Test]
    public void Score_HigherLevel_WiderBounds()
    {
        double Width(string outDir, string level)
        {
            var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--clv-model", "bgnbd", "--clv-interval-level", level, "--churn-trainer", "none", "--format", "csv", "--out", outDir);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
            var rows = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
            var (lo, hi) = (Array.IndexOf(rows[0], "clv_12m_lo"), Array.IndexOf(rows[0], "clv_12m_hi"));
            return rows.Skip(1).Sum(r => double.Parse(r[hi], CultureInfo.InvariantCulture) - double.Parse(r[lo], CultureInfo.InvariantCulture));
        }

        Assert.That(Width(_temp["b"], "0.99"), Is.GreaterThan(Width(_temp["a"], "0.8")));
    }

    [TestCase("none")]
    [TestCase("0")]
    public void Score_LevelNone_NoBoundColumnsAndNoIntervalsSection(string level)
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--clv-interval-level", level, "--churn-trainer", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var header = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"))[0];
        Assert.That(header, Does.Contain("clv_12m"));
        Assert.That(header.Where(h => h.EndsWith("_lo", StringComparison.Ordinal) || h.EndsWith("_hi", StringComparison.Ordinal)), Is.Empty);
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("clv").GetProperty("intervals").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [TestCase("1")]
    [TestCase("-0.5")]
    [TestCase("ninety")]
    public void Score_LevelOutOfRange_ExitsTwoNamingTheOption(string level)
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--clv-interval-level", level, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("interval level").Or.Contain("--clv-interval-level"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Score_CdnowSample_ReportsFaderHardiesFrequencySpendCorrelationWithoutAWarning()
    {
        // Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value", §2: on the 946 repeat buyers of the CDNOW
        // sample (calibration to 1997-09-30) the correlation of frequency and average transaction value is 0.11;
        // lifetimes' documentation (returning_customers_summary[['monetary_value', 'frequency']].corr()) prints 0.113884.
        var outDir = _temp["out"];

        var run = Crm.Run("score", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--as-of", "1997-10-01", "--churn-trainer", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var check = summary.RootElement.GetProperty("clv").GetProperty("spend_independence");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(check.GetProperty("repeat_buyers").GetDouble(), Is.EqualTo(946));
            Assert.That(check.GetProperty("correlation").GetDouble(), Is.EqualTo(0.113884).Within(1e-5));
            Assert.That(check.GetProperty("threshold").GetDouble(), Is.EqualTo(0.3));
            Assert.That(check.GetProperty("warning").GetBoolean(), Is.False);
            Assert.That(run.Error, Does.Not.Contain("correlated"));
            Assert.That(File.ReadAllText(Path.Combine(outDir, "report.html")), Does.Contain("the correlation of repeat_frequency and mean_repeat_value is 0.114").And.Not.Contain("class=\"warning\""));
        }
    }

    [Test]
    public void Score_SpendRisingWithFrequency_WarnsOnStderrAndInTheReport()
    {
        // 300 customers with 2–7 purchase days; each purchase is 10 × (purchase days) × a factor from 0.5 to 1.4, so
        // the mean spend per purchase grows with frequency (r = 0.88).
        var lines = new List<string> { "customer_id,date,amount" };
        for (var c = 0; c < 300; c++)
        {
            var days = 2 + (c % 6);
            for (var d = 0; d < days; d++)
            {
                var date = new DateOnly(2024, 1, 1).AddDays((c % 50) + (d * (20 + (c % 7))));
                var amount = 10 * days * (0.5 + ((((c * 37) + (d * 11)) % 10) / 10.0));
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"C{c},{date:yyyy-MM-dd},{amount:F2}"));
            }
        }

        var input = _temp.Write("t.csv", string.Join("\n", lines) + "\n");
        var outDir = _temp["out"];

        var run = Crm.Run("score", input, "--format", "csv", "--clv-model", "bgnbd", "--churn-trainer", "none", "--as-of", "2024-12-01", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var check = summary.RootElement.GetProperty("clv").GetProperty("spend_independence");
        Assert.That(check.GetProperty("correlation").GetDouble(), Is.EqualTo(0.881).Within(0.001));
        Assert.That(check.GetProperty("warning").GetBoolean(), Is.True);
        Assert.That(run.Error, Does.Contain("crm: warn: [clv] frequency and mean spend are correlated (r = 0.881 over 300 repeat buyers"));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "report.html")), Does.Contain("<p class=\"warning\">Warning: Gamma-Gamma assumes"));
    }
}
