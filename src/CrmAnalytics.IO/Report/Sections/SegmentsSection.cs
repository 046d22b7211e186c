using System.Text;
using CrmAnalytics.IO.Report.Svg;

namespace CrmAnalytics.IO.Report.Sections;

/// <summary>Customers and revenue per RFM segment, the R×F heatmap of average monetary value, and lifecycle stages.</summary>
internal sealed class SegmentsSection : IReportSection
{
    public string Id => "segments";

    public string Title => "Segments";

    public string? Render(ReportData data, HumanFormat format)
    {
        var segments = data.Summary.Segments;
        if (segments.Count == 0)
        {
            return null;
        }

        var sb = new StringBuilder();
        var table = Html.Table(
            ["segment", "customers", "% customers", "revenue", "% revenue"],
            segments.Select(g => (IReadOnlyList<string>)[g.Name, format.Count(g.Customers), format.Percent(g.CustomerShare), format.Money(g.Revenue), format.Percent(g.RevenueShare)]));
        sb.Append(Html.Panel("Customers per segment", SvgCharts.Bars("Customers per RFM segment", [.. segments.Select(g => new ChartBar(g.Name, g.Customers))], format.Count), table));
        sb.Append(Html.Panel("Revenue per segment", SvgCharts.Bars("Net revenue per RFM segment", [.. segments.Select(g => new ChartBar(g.Name, g.Revenue))], format.Money), string.Empty));

        if (data.Customers.Count > 0)
        {
            var (grid, counts) = RecencyFrequencyGrid(data.Customers);
            var labels = new[] { "5", "4", "3", "2", "1" };
            var cells = new List<IReadOnlyList<string>>();
            for (var r = 0; r < 5; r++)
            {
                cells.Add([$"R{labels[r]}", .. Enumerable.Range(0, 5).Select(f => grid[r, f] is { } v ? $"{format.Money(v)} ({format.Count(counts[r, f])})" : "—")]);
            }

            sb.Append(Html.Panel(
                "R × F: average monetary value",
                SvgCharts.Heatmap("Average monetary value by recency and frequency score", labels, ["1", "2", "3", "4", "5"], grid, format.Money, "R", "F score"),
                Html.Table(["", "F1", "F2", "F3", "F4", "F5"], cells),
                "Cells: mean monetary_total (customers). A tied frequency dimension skips scores, so some columns may be empty."));
        }

        var stages = data.Summary.Lifecycle;
        if (stages.Count > 0)
        {
            sb.Append(Html.Panel(
                "Lifecycle stages",
                SvgCharts.Bars("Customers per lifecycle stage", [.. stages.Select(g => new ChartBar(g.Stage, g.Customers))], format.Count),
                Html.Table(["stage", "customers", "revenue"], stages.Select(g => (IReadOnlyList<string>)[g.Stage, format.Count(g.Customers), format.Money(g.Revenue)]))));
        }

        return sb.ToString();
    }

    /// <summary>Mean monetary value and count per (R, F) cell; row 0 is R = 5, column 0 is F = 1.</summary>
    internal static (double?[,] Mean, int[,] Count) RecencyFrequencyGrid(IReadOnlyList<ReportCustomer> customers)
    {
        var sum = new double[5, 5];
        var count = new int[5, 5];
        foreach (var c in customers)
        {
            if (c.R is >= 1 and <= 5 && c.F is >= 1 and <= 5)
            {
                sum[5 - c.R, c.F - 1] += c.Monetary;
                count[5 - c.R, c.F - 1]++;
            }
        }

        var mean = new double?[5, 5];
        for (var r = 0; r < 5; r++)
        {
            for (var f = 0; f < 5; f++)
            {
                mean[r, f] = count[r, f] == 0 ? null : sum[r, f] / count[r, f];
            }
        }

        return (mean, count);
    }
}
