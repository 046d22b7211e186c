using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Clv;

/// <summary><c>crm score --clv-covariates</c>: the covariate fit in summary.json and the report, and its errors.</summary>
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
            Assert.That(File.ReadAllText(Path.Combine(outDir, "report.html")), Does.Contain("Covariates (--clv-covariates)").And.Contain("plan=gold"));
        });
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
