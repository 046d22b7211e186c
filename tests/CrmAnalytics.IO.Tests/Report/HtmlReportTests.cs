using System.Globalization;
using CrmAnalytics.IO.Output;
using CrmAnalytics.IO.Report;
using CrmAnalytics.IO.Report.Sections;

namespace CrmAnalytics.IO.Tests.Report;

public sealed class HtmlReportTests
{
    private const string Hostile = "<script>alert(1)</script> & \"Champions\"";

    private static ReportData Data(NpsSummary? nps = null) => new(
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
            ExitCode = 0,
        },
        [new ReportCustomer(Hostile, "active", 5, 5, 1000, null), new ReportCustomer(Hostile, "active", 5, 4, 234.5, null), new ReportCustomer("Lost", "active", 1, 1, 100, null)],
        null,
        "out & <about>");

    [Test]
    public void Render_WithoutClvAndNps_OmitsThoseSections()
    {
        var html = HtmlReport.Render(Data());

        Assert.That(html, Does.Contain("<section id=\"segments\">").And.Contain("<section id=\"pareto\">").And.Contain("<section id=\"run\">"));
        Assert.That(html, Does.Not.Contain("id=\"clv\"").And.Not.Contain("id=\"nps\"").And.Not.Contain("href=\"#nps\""));
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
    public void ParetoCurve_ThreeCustomers_CumulativeSharesLargestFirst()
    {
        var curve = ParetoSection.Curve([20, 50, 30]);

        Assert.That(curve, Is.EqualTo(new (double, double)[] { (0, 0), (1 / 3.0, 0.5), (2 / 3.0, 0.8), (1, 1) }));
        Assert.That(ParetoSection.Curve([]), Is.Null);
        Assert.That(ParetoSection.Curve([-5, 5]), Is.Null, "no positive net revenue, no curve");
    }

    [Test]
    public void RecencyFrequencyGrid_MeansPerCell_RowZeroIsRFive()
    {
        var (mean, count) = SegmentsSection.RecencyFrequencyGrid(Data().Customers);

        Assert.That((mean[0, 4], mean[0, 3], mean[4, 0], mean[2, 2]), Is.EqualTo(((double?)1000, (double?)234.5, (double?)100, (double?)null)));
        Assert.That(count[0, 4] + count[0, 3] + count[4, 0], Is.EqualTo(3));
    }
}
