using System.Globalization;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Clv;

/// <summary><c>crm score --clv-covariates</c>: the covariate fit in summary.json and the report, the customer columns under it, and its errors.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ClvCovariateTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static string[] SampleCustomers() =>
        SimpleCsv.ParseFile(Crm.SampleTransactions).Skip(1).Select(r => r[1]).Where(id => id.Length > 0).Distinct().Order(StringComparer.Ordinal).ToArray();

    private string Attributes(Func<int, string> row, int skipLast = 0)
    {
        var customers = SampleCustomers();
        var lines = new List<string> { "customer_id,plan,age" };
        lines.AddRange(customers.Take(customers.Length - skipLast).Select((id, i) => $"{id},{row(i)}"));
        return _temp.Write("attributes.csv", string.Join("\n", lines) + "\n");
    }

    private static string[] Args(string attributes, string outDir, params string[] extra) =>
        ["score", Crm.SampleTransactions, "--preset", "sample", "--customers", attributes, "--out", outDir, "--clv-model", "bgnbd", .. extra];

    [Test]
    public void Score_ClvCovariates_SummaryAndReportHaveCoefficientsAndLikelihoodRatio()
    {
        var attributes = Attributes(i => $"{(i % 3 == 0 ? "gold" : "basic")},{20 + (i % 50)}");
        var outDir = _temp["out"];
        var run = Crm.Run(Args(attributes, outDir, "--clv-covariates", "plan,age", "--clv-covariates-dropout", "plan"));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());

        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var clv = summary.RootElement.GetProperty("clv");
        var covariates = clv.GetProperty("covariates");
        var coefficients = covariates.GetProperty("coefficients").EnumerateArray().ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(covariates.GetProperty("model").GetString(), Is.EqualTo("bgnbd"));
            Assert.That(coefficients.Select(c => $"{c.GetProperty("process").GetString()}:{c.GetProperty("name").GetString()}"),
                Is.EqualTo(new[] { "purchase:plan=gold", "purchase:age", "dropout:plan=gold" }));
            Assert.That(coefficients.Select(c => c.GetProperty("standard_error").GetDouble()), Is.All.GreaterThan(0));
            Assert.That(covariates.GetProperty("columns")[0].GetProperty("reference").GetString(), Is.EqualTo("basic"));
            Assert.That(covariates.GetProperty("columns")[1].GetProperty("kind").GetString(), Is.EqualTo("numeric"));
            Assert.That(covariates.GetProperty("likelihood_ratio").GetProperty("degrees_of_freedom").GetInt32(), Is.EqualTo(3));
            Assert.That(covariates.GetProperty("likelihood_ratio").GetProperty("p_value").GetDouble(), Is.InRange(0.0, 1.0));
            Assert.That(covariates.GetProperty("log_likelihood_without").GetDouble(), Is.EqualTo(clv.GetProperty("purchase").GetProperty("log_likelihood").GetDouble()),
                "the test is against the run's own fit without covariates");
            Assert.That(File.ReadAllText(Path.Combine(outDir, "report.html")), Does.Contain("Covariates (--clv-covariates)").And.Contain("plan=gold").And.Contain("come from this model"));
        });
    }

    [Test]
    [Category("Integration")]
    public void Score_CdnowMasterFirstPurchaseHighLow_CustomerColumnsComeFromTheCovariateModel()
    {
        // CDNOW master to 1997-10-01, Pareto/NBD with "first purchase day above the median dollar value" on both
        // processes: γ_purchase 0.303 > 0 and γ_dropout −0.468 < 0 (the Core test of the fit), so big first spenders
        // buy more often and stay longer. The columns under the covariate model must move the two groups apart
        // compared with the run without covariates, which sees only each customer's history.
        var ids = CdnowFirstPurchase.Dollars().Keys.Order(StringComparer.Ordinal).ToArray();
        var high = CdnowFirstPurchase.High(ids);
        var attributes = _temp.Write("first.csv", "customer_id,first_purchase\n" + string.Concat(ids.Select((id, i) => $"{id},{(high[i] ? "high" : "low")}\n")));
        string[] common = ["score", DatasetPaths.File("cdnow", "CDNOW_master.txt"), "--preset", "cdnow", "--as-of", "1997-10-01", "--clv-model", "paretonbd", "--customers", attributes];
        var plain = Crm.Run([.. common, "--out", _temp["plain"]]);
        var covariates = Crm.Run([.. common, "--out", _temp["covariates"], "--clv-covariates", "first_purchase", "--clv-covariates-dropout", "first_purchase"]);
        Assert.That(plain.ExitCode, Is.EqualTo(0), plain.ToString());
        Assert.That(covariates.ExitCode, Is.EqualTo(0), covariates.ToString());

        var isHigh = ids.Select((id, i) => (id, high[i])).ToDictionary(p => p.id, p => p.Item2, StringComparer.Ordinal);
        Dictionary<string, double> Means(string folder, string column)
        {
            var rows = SimpleCsv.ParseFile(Path.Combine(folder, "customers.csv"));
            var (id, value) = (Array.IndexOf(rows[0], "customer_id"), Array.IndexOf(rows[0], column));
            Assert.That(rows.Skip(1).Select(r => r[value]), Has.All.Not.Empty, column);
            return rows.Skip(1).GroupBy(r => isHigh[r[id]] ? "high" : "low")
                .ToDictionary(g => g.Key, g => g.Average(r => double.Parse(r[value], CultureInfo.InvariantCulture)), StringComparer.Ordinal);
        }

        foreach (var column in new[] { "expected_purchases_365d", "clv_12m", "p_alive" })
        {
            var (without, with) = (Means(_temp["plain"], column), Means(_temp["covariates"], column));
            TestContext.Out.WriteLine(FormattableString.Invariant(
                $"{column} mean high/low: without {without["high"]:G5}/{without["low"]:G5}, with {with["high"]:G5}/{with["low"]:G5}"));
            Assert.That(with["high"] / with["low"], Is.GreaterThan(without["high"] / without["low"]), column);
        }

        Assert.That(SimpleCsv.ParseFile(Path.Combine(_temp["covariates"], "customers.csv"))[0], Does.Contain("clv_12m_lo").And.Contain("p_alive_hi"));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp["covariates"], "summary.json")));
        var clv = summary.RootElement.GetProperty("clv");
        Assert.That(clv.GetProperty("covariates").GetProperty("customer_groups").GetInt32(), Is.EqualTo(2));
        Assert.That(clv.GetProperty("intervals").ValueKind, Is.EqualTo(JsonValueKind.Object));
    }

    [Test]
    public void Score_ClvCovariateMissingForSomeCustomers_ExitsThreeSayingHowMany()
    {
        var attributes = Attributes(i => $"{(i % 3 == 0 ? "gold" : "basic")},{20 + (i % 50)}", skipLast: 5);
        var outDir = _temp["out"];
        var run = Crm.Run(Args(attributes, outDir, "--clv-covariates", "plan"));
        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain($"5 of {SampleCustomers().Length:N0} customers have no value for the purchase covariate 'plan'"));
        Assert.That(Directory.Exists(outDir), Is.False);
    }

    [Test]
    public void Score_ConstantClvCovariate_ExitsTwo()
    {
        var attributes = Attributes(i => $"gold,{20 + (i % 50)}");
        var run = Crm.Run(Args(attributes, _temp["out"], "--clv-covariates-dropout", "plan"));
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("'plan' has one value for every customer"));
    }

    [Test]
    public void Score_ClvCovariatesWithAutoModel_ExitsTwoBeforeReading()
    {
        var attributes = Attributes(i => $"gold,{i}");
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--customers", attributes, "--out", _temp["out"], "--clv-covariates", "age");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("need --clv-model bgnbd or paretonbd"));
    }

    [Test]
    public void Score_WithAndWithoutClvCovariates_TimingsNameTheCovariateStageOnlyWhenItRan()
    {
        var attributes = Attributes(i => $"{(i % 3 == 0 ? "gold" : "basic")},{20 + (i % 50)}");
        var without = Crm.Run(Args(attributes, _temp["plain"]));
        var with = Crm.Run(Args(attributes, _temp["covariates"], "--clv-covariates", "plan"));
        Assert.That(without.ExitCode, Is.EqualTo(0), without.ToString());
        Assert.That(with.ExitCode, Is.EqualTo(0), with.ToString());

        static bool Timed(string folder)
        {
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "summary.json")));
            return summary.RootElement.GetProperty("timings_ms").TryGetProperty("clv_covariates", out _);
        }

        Assert.That(Timed(_temp["plain"]), Is.False);
        Assert.That(Timed(_temp["covariates"]), Is.True);
    }
}
