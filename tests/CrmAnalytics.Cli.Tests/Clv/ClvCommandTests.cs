using System.Globalization;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Clv;

/// <summary><c>crm clv fit|evaluate</c> and the CLV columns of <c>crm score</c>, end to end on the CDNOW files.</summary>
[TestFixture]
[Category("Integration")]
public sealed class ClvCommandTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Fit_CdnowSample_PrintsPublishedBgNbdAndGammaGammaEstimates()
    {
        // From the raw 1/10 sample through our own summary: Fader, Hardie & Lee (2005) BG/NBD r=0.2426, α=4.4136,
        // a=0.7929, b=2.4259, LL −9582.43; Fader, Hardie & Lee "RFM and CLV" Gamma-Gamma p=6.2488, q=3.7446, v=15.4477.
        var run = Crm.Run("clv", "fit", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--as-of", "1997-10-01");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var values = Parameters(run.Output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Output, Does.Contain("customers: 2357"));
            Assert.That(values["bgnbd.r"], Is.EqualTo(0.2426).Within(0.0001));
            Assert.That(values["bgnbd.alpha"], Is.EqualTo(4.4136).Within(0.0005));
            Assert.That(values["bgnbd.a"], Is.EqualTo(0.7929).Within(0.0001));
            Assert.That(values["bgnbd.b"], Is.EqualTo(2.4259).Within(0.0005));
            Assert.That(values["bgnbd.LL"], Is.EqualTo(-9582.43).Within(0.01));
            Assert.That(values["gammagamma.p"], Is.EqualTo(6.2488).Within(0.0063));
            Assert.That(values["gammagamma.q"], Is.EqualTo(3.7446).Within(0.0038));
            Assert.That(values["gammagamma.v"], Is.EqualTo(15.4477).Within(0.0155));
            Assert.That(values["gammagamma.LL"], Is.EqualTo(-4055.92).Within(0.01));
        }
    }

    [Test]
    public void Fit_OnlineRetailParetoNbd_StopsAtTheNbdLimitWithThePreviousEstimates()
    {
        // UCI Online Retail shows no dropout: the maximum is s → 0, β → ∞ (the NBD limit). Before the boundary rule BFGS
        // crawled there in 213 likelihood evaluations (12.8–19 s) and ended at r = 0.827559, α = 9.870364,
        // s = 3.8e-7, β = 1.9e6, LL −37645.6573; the rule stops it after 58 evaluations and fits the limit in closed form.
        var run = Crm.Run("clv", "fit", DatasetPaths.File("online_retail", "online_retail.csv"), "--preset", "online-retail", "--clv-model", "paretonbd");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var values = Parameters(run.Output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(run.Output, Does.Contain("SToZeroNbdLimit"));
            Assert.That(values["paretonbd.r"], Is.EqualTo(0.827559).Within(0.0000015));
            Assert.That(values["paretonbd.alpha"], Is.EqualTo(9.870364).Within(0.000015));
            Assert.That(values["paretonbd.s"], Is.LessThan(1e-6));
            Assert.That(values["paretonbd.LL"], Is.EqualTo(-37645.6573).Within(0.0001));
        }
    }

    [Test]
    public void Fit_All_FitsEveryPurchaseModel()
    {
        var run = Crm.Run("clv", "fit", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--as-of", "1997-10-01", "--all");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var values = Parameters(run.Output);
        using (Assert.EnterMultipleScope())
        {
            // CLVTools' Pareto/NBD LL −9594.976 and BTYDplus' MBG/NBD LL −9582.13 on the same 2,357 customers.
            Assert.That(values["paretonbd.LL"], Is.EqualTo(-9594.976).Within(0.01));
            Assert.That(values["mbgnbd.LL"], Is.EqualTo(-9582.13).Within(0.01));
            Assert.That(values["paretonbd.r"], Is.EqualTo(0.55315).Within(0.55315 * 1e-3));
            Assert.That(values["mbgnbd.r"], Is.EqualTo(0.525).Within(0.0005));
        }
    }

    [Test]
    public void Evaluate_CdnowMaster_PublishesEvaluationWhoseActualsMatchAnIndependentCount()
    {
        var outDir = _temp["eval"];
        var path = DatasetPaths.File("cdnow", "CDNOW_master.txt");

        var run = Crm.Run("clv", "evaluate", path, "--preset", "cdnow", "--calibration-end", "1997-10-01", "--as-of", "1998-07-01", "--all", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var holdout = CountHoldoutOccasions(path, new DateOnly(1997, 10, 1), new DateOnly(1998, 7, 1));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "evaluation.json")));
        var models = doc.RootElement.GetProperty("models").EnumerateArray().ToArray();
        Assert.That(models.Select(m => m.GetProperty("model").GetString()), Is.EqualTo(new[] { "bgnbd", "paretonbd", "mbgnbd" }));
        foreach (var m in models)
        {
            var name = m.GetProperty("model").GetString();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(m.GetProperty("customers").GetInt32(), Is.EqualTo(23_570), name);
                Assert.That(m.GetProperty("total_actual").GetDouble(), Is.EqualTo(holdout), name);
                Assert.That(m.GetProperty("holdout_length_units").GetDouble(), Is.EqualTo(273 / 7.0).Within(1e-12), name);

                // A model that learned anything predicts the holdout total within 25% (FHL 2005 fig. 2 shows a close
                // aggregate fit) and beats predicting zero for everyone (MAE = mean actual).
                var bias = m.GetProperty("bias").GetDouble();
                Assert.That(Math.Abs(bias), Is.LessThan(0.25), name);
                Assert.That(m.GetProperty("mae").GetDouble(), Is.LessThan(holdout / 23_570.0), name);
            }

            var tracking = SimpleCsv.ParseFile(Path.Combine(outDir, $"tracking-{name}.csv"));
            var deciles = SimpleCsv.ParseFile(Path.Combine(outDir, $"deciles-{name}.csv"));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(tracking[0], Is.EqualTo(new[] { "week", "week_end", "holdout", "actual_repeat", "predicted_repeat", "actual_cumulative", "predicted_cumulative" }));
                Assert.That(tracking, Has.Count.EqualTo(78 + 1), "1997-01-01 to 1998-06-30 is 546 days = 78 weeks");
                Assert.That(deciles, Has.Count.EqualTo(11));
                Assert.That(deciles.Skip(1).Sum(r => int.Parse(r[1], CultureInfo.InvariantCulture)), Is.EqualTo(23_570));
            }
        }
    }

    [Test]
    public void Evaluate_CalibrationEndAfterData_FailsWithExit2()
    {
        var run = Crm.Run("clv", "evaluate", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--calibration-end", "1999-01-01");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--calibration-end"));
    }

    [Test]
    public void Score_CdnowSample_WritesClvColumnsAndFitToSummary()
    {
        var outDir = _temp["out"];

        // BG/NBD named (the default is auto), so that the published estimates apply.
        var run = Crm.Run("score", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--as-of", "1997-10-01", "--clv-model", "bgnbd", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var rows = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
        var header = rows[0];
        var columns = new[] { "p_alive", "expected_purchases_90d", "expected_purchases_365d", "expected_avg_spend", "clv_12m" };
        Assert.That(header[^20..^5], Is.EqualTo(columns.SelectMany(c => new[] { c, c + "_lo", c + "_hi" })), "the CLV columns each with its bounds, then the churn columns");
        Assert.That(header[^5..], Is.EqualTo(new[] { "churn_probability", "churn_risk", "churn_reason_1", "churn_reason_2", "churn_reason_3" }));
        var byId = rows.Skip(1).ToDictionary(r => r[0]);
        double Cell(string id, string column) => double.Parse(byId[id][Array.IndexOf(header, column)], CultureInfo.InvariantCulture);

        using (Assert.EnterMultipleScope())
        {
            // lifetimes docs (GammaGammaFitter.conditional_expected_average_profit on the CDNOW sample): customer 1
            // (x=2, z̄=22.35) 24.65; customer 2 (x=1, z̄=11.77) 18.91; customer 3 (x=0) the population mean 35.17.
            Assert.That(Cell("0001", "expected_avg_spend"), Is.EqualTo(24.65).Within(0.005));
            Assert.That(Cell("0002", "expected_avg_spend"), Is.EqualTo(18.91).Within(0.005));
            Assert.That(Cell("0003", "expected_avg_spend"), Is.EqualTo(35.17).Within(0.005));

            // Every CLV cell is a finite non-negative number and P(alive) a probability.
            foreach (var r in rows.Skip(1))
            {
                foreach (var c in columns)
                {
                    var v = double.Parse(r[Array.IndexOf(header, c)], CultureInfo.InvariantCulture);
                    Assert.That(double.IsFinite(v) && v >= 0, Is.True, $"{c} of {r[0]}");
                }

                Assert.That(double.Parse(r[Array.IndexOf(header, "p_alive")], CultureInfo.InvariantCulture), Is.LessThanOrEqualTo(1));
            }
        }

        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var clv = summary.RootElement.GetProperty("clv");
        var purchase = clv.GetProperty("purchase");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(clv.GetProperty("model").GetString(), Is.EqualTo("bgnbd"));
            Assert.That(purchase.GetProperty("parameters").GetProperty("r").GetDouble(), Is.EqualTo(0.2426).Within(0.0001));
            Assert.That(purchase.GetProperty("log_likelihood").GetDouble(), Is.EqualTo(-9582.43).Within(0.01));
            Assert.That(purchase.GetProperty("standard_errors").GetProperty("alpha").GetDouble(), Is.GreaterThan(0));
            Assert.That(purchase.GetProperty("optimizer").GetString(), Is.EqualTo("BFGS"));
            Assert.That(clv.GetProperty("spend").GetProperty("parameters").GetProperty("p").GetDouble(), Is.EqualTo(6.2488).Within(0.0063));
            Assert.That(clv.GetProperty("horizon_months").GetInt32(), Is.EqualTo(12));
        }
    }

    [Test]
    public void Score_ClvModelNone_LeavesOutClvColumns()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--clv-model", "none", "--churn-trainer", "none", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var header = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"))[0];
        Assert.That(header, Does.Not.Contain("p_alive"));
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        Assert.That(summary.RootElement.TryGetProperty("clv", out var clv) && clv.ValueKind != JsonValueKind.Null, Is.False);
    }

    [Test]
    public void Score_NoRepeatBuyers_FailsWithExit5AndPublishesNothing()
    {
        // Gamma-Gamma needs repeat buyers; a required model that cannot be fitted is exit 5, never a column of NaN.
        var input = _temp.Write("one-time.csv", "customer_id,date,amount\na,2024-01-02,10\nb,2024-01-03,12\nc,2024-02-01,9\n");
        var outDir = _temp["out"];

        var run = Crm.Run("score", input, "--out", outDir, "--require", "clv");

        Assert.That(run.ExitCode, Is.EqualTo(5), run.ToString());
        Assert.That(Directory.Exists(outDir), Is.False);
        Assert.That(run.Error, Does.Contain("gammagamma").IgnoreCase);
    }

    [Test]
    public void Score_HorizonOption_NamesTheColumn()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", "--clv-horizon-months", "24", "--format", "csv", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"))[0][^8..^5], Is.EqualTo(new[] { "clv_24m", "clv_24m_lo", "clv_24m_hi" }), "the last CLV column and its bounds, before the five churn columns");
    }

    [TestCase("--clv-horizon-months", "0")]
    [TestCase("--discount-rate", "-0.1")]
    [TestCase("--margin", "0")]
    [TestCase("--clv-model", "cox")]
    [TestCase("--penalizer", "-1")]
    public void Score_BadClvOption_FailsWithExit2(string option, string value)
    {
        var run = Crm.Run("score", DatasetPaths.File("cdnow", "CDNOW_sample.txt"), "--preset", "cdnow-sample", option, value, "--out", _temp["out"]);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
    }

    /// <summary>"model.param" → estimate and "model.LL" from the fit printout.</summary>
    private static Dictionary<string, double> Parameters(string output)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        string? model = null;
        foreach (var line in output.Split('\n'))
        {
            if (!line.StartsWith(' ') && line.Contains(": LL ", StringComparison.Ordinal))
            {
                model = line[..line.IndexOf(':', StringComparison.Ordinal)];
                var ll = line[(line.IndexOf(": LL ", StringComparison.Ordinal) + 5)..].Split(';')[0];
                values[model + ".LL"] = double.Parse(ll, CultureInfo.InvariantCulture);
            }
            else if (model is not null && line.StartsWith("  ", StringComparison.Ordinal) && line.Contains("(se", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                values[model + "." + parts[0]] = double.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }

        return values;
    }

    /// <summary>Independent count: distinct (customer, day) pairs of CDNOW_master.txt in [from, to).</summary>
    private static int CountHoldoutOccasions(string path, DateOnly from, DateOnly to)
    {
        var lo = from.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var hi = to.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        return File.ReadLines(path)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 4 && string.CompareOrdinal(f[1], lo) >= 0 && string.CompareOrdinal(f[1], hi) < 0)
            .Select(f => (f[0], f[1]))
            .Distinct()
            .Count();
    }
}
