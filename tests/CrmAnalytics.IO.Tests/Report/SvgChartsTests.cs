using System.Globalization;
using System.Xml.Linq;
using CrmAnalytics.IO.Report.Svg;

namespace CrmAnalytics.IO.Tests.Report;

public sealed class SvgChartsTests
{
    private static readonly XNamespace S = "http://www.w3.org/2000/svg";

    private static XElement Parse(string svg) => XElement.Parse(svg);

    private static IEnumerable<XElement> Elements(XElement svg, string name, string cssClass) =>
        svg.Descendants(S + name).Where(e => ((string?)e.Attribute("class") ?? string.Empty).Split(' ').Contains(cssClass));

    private static double A(XElement e, string name) => double.Parse((string)e.Attribute(name)!, CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    [Test]
    public void Bars_ThreeBars_WidthsProportionalNegativeLeftOfZeroLabelsEscaped()
    {
        const string hostile = "<b>&\"Champions\"</b>";
        var svg = SvgCharts.Bars("t", [new(hostile, 10), new("b", 5), new("c", -5)], F);
        var xml = Parse(svg);
        var bars = Elements(xml, "rect", "bar").ToArray();

        Assert.That(bars, Has.Length.EqualTo(3));
        // Scale: min −5, max 10, plot width 640 − 170 − 90 = 380 → 25.33 px per unit; zero at 170 + 5 × 25.33 = 296.67.
        Assert.That(A(bars[0], "width"), Is.EqualTo(253.33).Within(0.01));
        Assert.That(A(bars[1], "width"), Is.EqualTo(126.67).Within(0.01));
        Assert.That(A(bars[2], "x"), Is.EqualTo(170).Within(0.01));
        Assert.That((string?)bars[2].Attribute("class"), Is.EqualTo("bar neg"));
        Assert.That(A(bars[0], "x"), Is.EqualTo(296.67).Within(0.01));
        Assert.That(svg, Does.Not.Contain("<b>"));
        Assert.That(xml.Descendants(S + "text").Select(t => t.Value), Does.Contain(hostile), "the escaped label reads back as the original text");
    }

    [Test]
    public void Heatmap_GridWithEmptyCell_ShadesByValueAndMarksEmpty()
    {
        var values = new double?[,] { { 1, 2, null }, { 3, 4, 5 } };
        var xml = Parse(SvgCharts.Heatmap("t", ["R2", "R1"], ["F1", "F2", "F3"], values, F, "R", "F"));
        var cells = Elements(xml, "rect", "cell").ToArray();

        Assert.That(cells, Has.Length.EqualTo(6));
        Assert.That(cells.Count(c => ((string)c.Attribute("class")!).Contains("empty", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That((string?)cells[0].Attribute("class"), Is.EqualTo("cell q0"), "the smallest value is the lightest shade");
        Assert.That((string?)cells[5].Attribute("class"), Is.EqualTo("cell q4"), "the largest value is the darkest shade");
        // Cell (row 1, column 2) at x = 70 + 2 × 64, y = 10 + 64.
        Assert.That((A(cells[5], "x"), A(cells[5], "y")), Is.EqualTo((198.0, 74.0)));
        Assert.That(() => SvgCharts.Heatmap("t", ["a"], ["b"], values, F, "R", "F"), Throws.ArgumentException);
    }

    [Test]
    public void Curve_ThreePoints_MarksInterpolatedValueAtTwentyPercent()
    {
        (double, double)[] points = [(0, 0), (0.5, 0.8), (1, 1)];
        var xml = Parse(SvgCharts.Curve("t", points, 0.2, v => v.ToString("P0", CultureInfo.InvariantCulture), "customers", "revenue"));
        var mark = Elements(xml, "circle", "mark-point").Single();
        var polyline = Elements(xml, "polyline", "curve").Single();

        // y(0.2) = 0.8 × 0.2 / 0.5 = 0.32; plot 564 × 260 at (56, 28): cx = 56 + 0.2 × 564 = 168.8, cy = 28 + 0.68 × 260 = 204.8.
        Assert.That(SvgCharts.Interpolate(points, 0.2), Is.EqualTo(0.32).Within(1e-12));
        Assert.That((A(mark, "cx"), A(mark, "cy")), Is.EqualTo((168.8, 204.8)));
        Assert.That(((string)polyline.Attribute("points")!).Split(' '), Is.EqualTo(new[] { "56,288", "338,80", "620,28" }));
    }

    [Test]
    public void HistogramBins_ValuesWithOutlier_CountsPerEqualWidthBinLastBinClosed()
    {
        var (min, width, counts) = SvgCharts.HistogramBins([0, 1, 2, 3, 4, 10], 5);

        Assert.That((min, width), Is.EqualTo((0.0, 2.0)));
        Assert.That(counts, Is.EqualTo(new[] { 2, 2, 1, 0, 1 }));
    }

    [Test]
    public void Histogram_TallestBinFillsPlotHeight()
    {
        var xml = Parse(SvgCharts.Histogram("t", [0, 1, 2, 3, 4, 10], 5, F, "x"));
        var bars = Elements(xml, "rect", "bar").ToArray();

        Assert.That(bars, Has.Length.EqualTo(5));
        Assert.That(bars.Select(b => A(b, "height")), Is.EqualTo(new[] { 220.0, 220.0, 110.0, 0.0, 110.0 }));
    }

    [Test]
    public void ErrorBars_TwoGroups_PointsAndWhiskersOnFixedScaleMutedFaded()
    {
        var xml = Parse(SvgCharts.ErrorBars("t", [new("A", 20, 10, false), new("B & <C>", -50, 30, true)], -100, 100, F));
        var points = Elements(xml, "circle", "point").ToArray();
        var whiskers = Elements(xml, "line", "whisker").ToArray();

        // Plot 380 px for 200 points from x = 170: X(v) = 170 + 1.9 (v + 100).
        Assert.That(points.Select(p => A(p, "cx")), Is.EqualTo(new[] { 398.0, 265.0 }));
        Assert.That((A(whiskers[0], "x1"), A(whiskers[0], "x2")), Is.EqualTo((379.0, 417.0)));
        Assert.That(whiskers, Has.Length.EqualTo(6));
        Assert.That(Elements(xml, "circle", "muted").Count(), Is.EqualTo(1));
        Assert.That(xml.Descendants(S + "text").Select(t => t.Value), Does.Contain("B & <C>"));
    }

    [Test]
    public void Lines_TwoSeries_ScaledToLargestValueWithSplitGuideAndLegend()
    {
        var xml = Parse(SvgCharts.Lines("t", [new("actual", [0, 5, 10]), new("predicted <m>", [0, 4, 8], Dashed: true)], ["w1", "w2", "w3"], 2, "holdout", F));
        var lines = Elements(xml, "polyline", "series").ToArray();
        var split = Elements(xml, "line", "mark").Single();

        // Plot 556 × 240 at (64, 28), x index 0..2, y 0..10: (1, 5) → (342, 148); (2, 8) → (620, 76).
        Assert.That(((string)lines[0].Attribute("points")!).Split(' '), Is.EqualTo(new[] { "64,268", "342,148", "620,28" }));
        Assert.That(((string)lines[1].Attribute("points")!).Split(' ')[2], Is.EqualTo("620,76"));
        Assert.That((string?)lines[1].Attribute("class"), Does.Contain("dashed"));
        Assert.That(A(split, "x1"), Is.EqualTo(481.0), "the guide sits half a step before the first holdout index");
        Assert.That(xml.Descendants(S + "text").Select(t => t.Value), Does.Contain("predicted <m>").And.Contain("w3"));
    }
}
