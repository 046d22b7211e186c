using System.Globalization;
using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.IO.Report;
using CrmAnalytics.IO.Report.Sections;
using CrmAnalytics.IO.Summary;

namespace CrmAnalytics.IO.Tests.Report;

public sealed class HtmlReportTests
{
    private const string Hostile = "<script>alert(1)</script> & \"Champions\"";

    private static ReportData Data(NpsSummary? nps = null, ChurnSummary? churn = null) => new(
        new RunSummary
        {
            ToolVersion = "0.1.0",
            CommandLine = ["score"],
            AsOf = new DateOnly(2024, 1, 1),
            Inputs = [new InputSummary("in<put>.csv", "csv", "ab", 10, 10, 9, 1, 0, 0, new Dictionary<string, long> { ["zero_amount"] = 1 })],
            Customers = new CustomerCountSummary(3, 0),
            Segments = [new SegmentSummary(Hostile, "champions", 2, 1234.5, 2 / 3.0, 0.9), new SegmentSummary("Lost", "lost", 1, 100, 1 / 3.0, 0.1)],
            Lifecycle = [new LifecycleSummary("active", 3, 1334.5)],
            Nps = nps,
            Churn = ModelSection.Of(churn),
            ExitCode = 0,
        },
        [new ReportCustomer(Hostile, 5, 5, 1000, null), new ReportCustomer(Hostile, 5, 4, 234.5, null), new ReportCustomer("Lost", 1, 1, 100, null)],
        null,
        "out & <about>");

    [Test]
    public void Render_WithoutClvAndNps_OmitsThoseSections()
    {
        var html = HtmlReport.Render(Data());

        Assert.That(html, Does.Contain("<section id=\"segments\">").And.Contain("<section id=\"pareto\">").And.Contain("<section id=\"run\">"));
        Assert.That(html, Does.Not.Contain("id=\"clv\"").And.Not.Contain("id=\"nps\"").And.Not.Contain("href=\"#nps\"").And.Not.Contain("id=\"churn\""));
    }

    [Test]
    public void Render_SkippedClvAndChurn_ShowTheirSectionsWithTheEscapedReason()
    {
        var data = Data();
        data = data with { Summary = data.Summary with { Clv = ModelSection.Skip<ClvSummary>("gammagamma: q < 1 & <singular>"), Churn = ModelSection.Skip<ChurnSummary>("no churners") } };

        var html = HtmlReport.Render(data);

        Assert.That(html, Does.Contain("<section id=\"clv\">").And.Contain("<section id=\"churn\">"));
        Assert.That(html, Does.Contain("<strong>Skipped:</strong> gammagamma: q &lt; 1 &amp; &lt;singular&gt;").And.Contain("<strong>Skipped:</strong> no churners"));
    }

    [Test]
    public void Render_HostileNames_AreEscapedEverywhere()
    {
        var html = HtmlReport.Render(Data());

        Assert.That(html, Does.Not.Contain("<script"));
        Assert.That(html, Does.Not.Contain("<put>").And.Not.Contain("<about>"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Champions&quot;"));
    }

    [Test]
    public void Render_SelfContained_NoExternalReferencesAndStrictPolicy()
    {
        var html = HtmlReport.Render(Data());

        Assert.That(html, Does.Contain("content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\""));
        Assert.That(html.Replace("http://www.w3.org/2000/svg", string.Empty, StringComparison.Ordinal), Does.Not.Contain("http:").And.Not.Contain("https:").And.Not.Contain("<link").And.Not.Contain("src="));
    }

    [Test]
    public void Render_CurrencyAndThousands_FormattedForPeople()
    {
        var html = HtmlReport.Render(Data(), new ReportOptions { CurrencySymbol = "€" });

        Assert.That(html, Does.Contain("€1,234").And.Contain("€100.00").And.Contain("66.7%"));
    }

    [Test]
    public void Render_UnderGermanCulture_SameBytes()
    {
        var invariant = HtmlReport.Render(Data(), new ReportOptions { CurrencySymbol = "$" });
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.That(HtmlReport.Render(Data(), new ReportOptions { CurrencySymbol = "$" }), Is.EqualTo(invariant));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Test]
    public void Render_WithNps_ShowsOverallAndFlagsSmallGroups()
    {
        var input = new InputSummary("s.csv", "csv", "ab", 1, 100, 100, 0, 0, 0, new Dictionary<string, long>());
        var overall = new NpsGroupSummary("all", 100, 50, 30, 20, 30, 15.308, false);
        var nps = new NpsSummary(input, 30, 0.95, NpsSummary.Formula, overall, 0, 0, 3, 0,
            [new NpsGroupSummary("2024-01", 12, 6, 3, 3, 25, 40, true)], [], [], [], []);

        var html = HtmlReport.Render(Data(nps));

        Assert.That(html, Does.Contain("<section id=\"nps\">").And.Contain("<span class=\"big\">30.0</span> ± 15.3").And.Contain("2024-01 *"));
    }

    [Test]
    public void Render_WithChurn_ShowsAucAgainstBaselinesCalibrationLiftAndBands()
    {
        // Two probabilities in two calibration bins; deciles of a 10-customer test set; 3 high, 5 medium, 2 low.
        var deciles = Enumerable.Range(1, 10).Select(d => new Core.Churn.DecileRow(d, 1, d <= 4 ? 1 : 0, d <= 4 ? 1 : 0, d <= 4 ? 2.5 : 0, Math.Min(d, 4) / 4.0)).ToArray();
        var calibration = Enumerable.Range(0, 10).Select(b => new Core.Churn.CalibrationBin(b + 1, b / 10.0, (b + 1) / 10.0, b is 2 or 8 ? 5 : 0, b / 10.0 + 0.05, b == 8 ? 0.8 : b == 2 ? 0 : 0)).ToArray();
        var model = new Core.Churn.ChurnMetrics("lightgbm", 10, 4, 0.91, 0.85, 0.31, 0.09, 2.5, 0.25, deciles, calibration);
        var recency = model with { Name = "recency", Auc = 0.8, LogLoss = null, Brier = null, Calibration = null };
        var bgnbd = model with { Name = "bgnbd_1_minus_p_alive", Auc = 0.35 };
        var evaluation = new ChurnEvaluationResult(new DateOnly(2023, 4, 6), new DateOnly(2023, 7, 5), new DateOnly(2023, 10, 3), 90, 365, 8, 3, 8, model, [recency, bgnbd],
            new Core.Churn.ChurnPopulationMetrics(model with { Count = 14, Auc = 0.95 }, [recency, bgnbd]));
        var churn = new ChurnSummary("trained_in_run", "lightgbm", 90, Core.Churn.ChurnHorizon.Fixed(90), new DateOnly(2024, 1, 1), new DateOnly(2023, 7, 5), new DateOnly(2023, 10, 3), 10, 10, 4, ["recency_days"], "platt", 1, 0,
            365, 10, 4, "rank", 0.1, 0.2, 0.81, 0.52, new Dictionary<string, int> { ["high"] = 3, ["medium"] = 5, ["low"] = 2, ["lapsed"] = 4 }, 0.55, 3, 1000, 1234.5, evaluation, 100, 10);

        var html = HtmlReport.Render(Data(churn: churn));
        var section = html[html.IndexOf("<section id=\"churn\">", StringComparison.Ordinal)..];
        section = section[..(section.IndexOf("</section>", StringComparison.Ordinal) + 10)];

        Assert.That(section, Does.Contain("AUC against the baselines").And.Contain("0.910").And.Contain("0.800").And.Contain("0.350"));
        Assert.That(section, Does.Contain("Calibration").And.Contain("20.0%–30.0%").And.Contain("80.0%–90.0%").And.Not.Contain("0.0%–10.0%"), "empty bins are left out");
        Assert.That(section, Does.Contain("Lift by decile").And.Contain("Risk bands").And.Contain("together 1,234."));
        Assert.That(section, Does.Contain("segments/churn-warning.csv").And.Contain("lapsed").And.Contain("0.950").And.Contain("top 10.0% of the active base"));
        Assert.That(section.Split("<svg").Length - 1, Is.EqualTo(4), "one chart each: AUC, calibration, lift, bands");
    }

    /// <summary>The report's stats of customers with these monetary totals, in this table order.</summary>
    private static ReportCustomerStats Spend(params double[] monetary) =>
        new(Array.ConvertAll(monetary, m => new ReportCustomer("A", 1, 1, m, null)));

    [Test]
    public void ParetoCurve_ThreeCustomers_CumulativeSharesLargestFirst()
    {
        var curve = ParetoSection.Curve(Spend(20, 50, 30));

        Assert.That(curve, Is.EqualTo(new (double, double)[] { (0, 0), (1 / 3.0, 0.5), (2 / 3.0, 0.8), (1, 1) }));
        Assert.That(ParetoSection.Curve(Spend()), Is.Null);
        Assert.That(ParetoSection.Curve(Spend(-5, 5)), Is.Null, "no positive net revenue, no curve");
    }

    [Test]
    public void ParetoCurve_TiesAndUnsortedInput_SameAsSortingLargestFirst()
    {
        // Hand-worked: total 100; largest first 40, 25, 25, 10 → cumulative shares 0.4, 0.65, 0.9, 1.
        var curve = ParetoSection.Curve(Spend(25, 10, 40, 25));

        Assert.That(curve, Is.EqualTo(new[] { (0.0, 0.0), (0.25, 0.4), (0.5, 0.65), (0.75, 0.9), (1.0, 1.0) }));
    }

    [Test]
    public void ClvBySegment_SkipsCustomersWithoutClv_TotalsLargestFirst_TiesInOrderOfAppearance()
    {
        ReportCustomer[] customers =
        [
            new("A", 1, 1, 0, 10), new("B", 1, 1, 0, null), new("B", 1, 1, 0, 30), new("A", 1, 1, 0, 5), new("C", 1, 1, 0, 30),
        ];

        var (values, bySegment) = ClvSection.ClvBySegment(customers);

        Assert.That(values, Is.EqualTo(new[] { 10.0, 30, 5, 30 }));
        Assert.That(bySegment, Is.EqualTo(new[] { ("B", 30.0, 1), ("C", 30.0, 1), ("A", 15.0, 2) }));
    }

    [Test]
    public void Stats_AscendingValuesAndTableOrderTotals_PreparedOrReadLazily_RenderTheSameReport()
    {
        ReportCustomer[] customers =
        [
            new("A", 5, 5, 25, 10), new("B", 1, 1, 10, null), new("B", 3, 2, 40, 30), new("A", 2, 4, 25, 5),
        ];
        var data = Data() with { Customers = customers, ClvColumn = "clv_12m" };
        var copiedBeforeRead = data with { };
        var stats = new ReportCustomerStats(customers);

        Assert.That(stats.Monetary, Is.EqualTo((new[] { 10.0, 25, 25, 40 }, 100.0)));
        Assert.That(stats.Clv.Ascending, Is.EqualTo(new[] { 5.0, 10, 30 }));
        Assert.That(stats.Clv.BySegment, Is.EqualTo(ClvSection.ClvBySegment(customers).BySegment));
        // crm score prepares the stats while summary.json is written; crm report reads them when a section asks.
        Assert.That(
            HtmlReport.Render(data with { Stats = new ReportCustomerStats(customers).Prepare() }),
            Is.EqualTo(HtmlReport.Render(data)).And.Contain("<section id=\"pareto\">"));
        // A copy with other customers does not keep the stats of the rows it was copied from.
        Assert.That(data.Stats.Customers, Is.SameAs(customers));
        Assert.That((Data() with { Customers = customers }).Stats.Monetary.Total, Is.EqualTo(100.0));
        // Reading the stats does not change what the data equals.
        Assert.That(data, Is.EqualTo(copiedBeforeRead));
    }

    [Test]
    public void RecencyFrequencyGrid_MeansPerCell_RowZeroIsRFive()
    {
        var (mean, count) = SegmentsSection.RecencyFrequencyGrid(Data().Customers);

        Assert.That((mean[0, 4], mean[0, 3], mean[4, 0], mean[2, 2]), Is.EqualTo(((double?)1000, (double?)234.5, (double?)100, (double?)null)));
        Assert.That(count[0, 4] + count[0, 3] + count[4, 0], Is.EqualTo(3));
    }
}
