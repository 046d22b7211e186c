using System.Text;
using CrmAnalytics.IO.Output;
using CrmAnalytics.IO.Report.Svg;

namespace CrmAnalytics.IO.Report.Sections;

/// <summary>
/// When CLV was fitted: the distribution of the CLV column, CLV by segment, and both models' parameters with standard
/// errors. The holdout tracking chart needs a calibration/holdout split, which <c>crm score</c> does not make (it fits
/// on the whole history); it is left out here and drawn by <c>crm clv evaluate</c>'s tracking files instead.
/// </summary>
internal sealed class ClvSection : IReportSection
{
    public string Id => "clv";

    public string Title => "Customer lifetime value";

    public string? Render(ReportData data, HumanFormat format)
    {
        if (data.Summary.Clv is not { } clv)
        {
            return null;
        }

        var name = data.ClvColumn ?? "clv";
        var values = data.Customers.Where(c => c.Clv is not null).Select(c => c.Clv!.Value).ToArray();
        var sb = new StringBuilder();
        if (values.Length > 0)
        {
            Array.Sort(values);
            // The top percentile is cut from the histogram (not from the numbers) so that a few whales do not squash it.
            var p99 = values[(int)Math.Floor(0.99 * (values.Length - 1))];
            var shown = values.Where(v => v <= p99).ToArray();
            sb.Append(Html.Panel(
                $"Distribution of {name}",
                SvgCharts.Histogram($"Distribution of {name} (up to the 99th percentile)", shown, 30, format.Money, name),
                Html.Table(["statistic", name],
                [
                    ["customers", format.Count(values.Length)],
                    ["total", format.Money(clv.TotalClv)],
                    ["mean", format.Money(clv.MeanClv)],
                    ["median", format.Money(values[values.Length / 2])],
                    ["99th percentile", format.Money(p99)],
                    ["maximum", format.Money(values[^1])],
                    ["mean P(alive)", format.Percent(clv.MeanProbabilityAlive)],
                ]),
                $"The histogram leaves out the {format.Count(values.Length - shown.Length)} customers above the 99th percentile."));

            var bySegment = data.Customers.Where(c => c.Clv is not null).GroupBy(c => c.Segment)
                .Select(g => (Segment: g.Key, Total: g.Sum(c => c.Clv!.Value), Customers: g.Count()))
                .OrderByDescending(g => g.Total).ToArray();
            sb.Append(Html.Panel(
                $"{name} by segment",
                SvgCharts.Bars($"Total {name} per RFM segment", [.. bySegment.Select(g => new ChartBar(g.Segment, g.Total))], format.Money),
                Html.Table(["segment", "customers", "total", "mean"], bySegment.Select(g => (IReadOnlyList<string>)[g.Segment, format.Count(g.Customers), format.Money(g.Total), format.Money(g.Total / g.Customers)]))));
        }

        sb.Append("<h3>Model parameters</h3>");
        foreach (var fit in new[] { clv.Purchase, clv.Spend })
        {
            sb.Append(Html.Table(
                [$"{fit.Model} parameter", "estimate", "standard error"],
                fit.Parameters.Select(p => (IReadOnlyList<string>)[p.Key, format.Parameter(p.Value), fit.StandardErrors.GetValueOrDefault(p.Key) is { } se ? format.Parameter(se) : "—"])));
            sb.Append("<p class=\"note\">").Append(Html.Escape(FitNote(fit, format))).Append("</p>");
        }

        sb.Append("<p class=\"note\">Holdout tracking (actual vs predicted cumulative repeat purchases) is not drawn: crm score fits on the whole history. Run crm clv evaluate --calibration-end for it.</p>");
        return sb.ToString();
    }

    private static string FitNote(ModelFitSummary fit, HumanFormat format) =>
        $"log-likelihood {format.Number(fit.LogLikelihood, 2)}, {fit.Optimizer}, {format.Count(fit.Iterations)} iterations, {format.Count(fit.Customers)} customers in {format.Count(fit.Patterns)} patterns, {fit.ExitCondition}.";
}
