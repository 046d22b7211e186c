using CrmAnalytics.IO.Report.Svg;

namespace CrmAnalytics.IO.Report.Sections;

/// <summary>Cumulative share of net revenue by customer rank (largest first), marking what the top 20% hold.</summary>
internal sealed class ParetoSection : IReportSection
{
    /// <summary>The curve is drawn through at most this many points (plus the ends), so the page stays small for millions of customers.</summary>
    internal const int MaxPoints = 200;

    public string Id => "pareto";

    public string Title => "Pareto curve";

    public string? Render(ReportData data, HumanFormat format)
    {
        var curve = Curve(data.Stats);
        if (curve is null)
        {
            return null;
        }

        var shares = new[] { 0.01, 0.05, 0.1, 0.2, 0.5 };
        var rows = shares.Select(x => (IReadOnlyList<string>)[$"top {format.Percent(x)}", format.Percent(SvgCharts.Interpolate(curve, x))]);
        return Html.Panel(
            "Cumulative revenue share by customer rank",
            SvgCharts.Curve("Cumulative share of net revenue by customer rank", curve, 0.2, format.Percent, "customers (largest first)", "net revenue"),
            Html.Table(["customers", "share of net revenue"], rows),
            "Customers ranked by monetary_total; the diagonal is an equal split.");
    }

    /// <summary>
    /// Points (share of customers, cumulative share of net revenue) from the largest spender down, thinned to about
    /// <see cref="MaxPoints"/>; null when there are no customers or net revenue is not positive.
    /// </summary>
    internal static IReadOnlyList<(double X, double Y)>? Curve(ReportCustomerStats stats)
    {
        var (monetary, total) = stats.Monetary;
        if (monetary.Length == 0 || !(total > 0))
        {
            return null;
        }

        // The spend is ascending: read from the end, the largest first without a comparison delegate (equal values add alike).
        var n = monetary.Length;
        var step = Math.Max(1, n / MaxPoints);
        var points = new List<(double, double)> { (0, 0) };
        var cumulative = 0.0;
        for (var i = 0; i < n; i++)
        {
            cumulative += monetary[n - 1 - i];
            if ((i + 1) % step == 0 || i == n - 1)
            {
                points.Add(((double)(i + 1) / n, cumulative / total));
            }
        }

        return points;
    }
}
