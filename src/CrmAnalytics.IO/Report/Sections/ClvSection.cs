using System.Text;
using CrmAnalytics.IO.Report.Svg;
using CrmAnalytics.IO.Summary;

namespace CrmAnalytics.IO.Report.Sections;

/// <summary>
/// When CLV was fitted: the distribution of the CLV column, CLV by segment, both models' parameters with standard
/// errors, the auto choice of the purchase model, Gamma-Gamma's independence check (a warning when it fails), and the
/// holdout tracking chart from the run's holdout check (<see cref="ClvHoldoutSummary"/>) when there is one.
/// </summary>
internal sealed class ClvSection : IReportSection
{
    public string Id => "clv";

    public string Title => "Customer lifetime value";

    public string? Render(ReportData data, HumanFormat format)
    {
        if (data.Summary.Clv is not { } section)
        {
            return null;
        }

        if (section.Result is not { } clv)
        {
            return Html.Skipped(section.Reason, "The CLV columns are empty for every customer; the rest of the run is published as usual.");
        }

        var name = data.ClvColumn ?? "clv";
        var (values, bySegment) = data.Stats.Clv;
        var sb = new StringBuilder();
        if (values.Length > 0)
        {
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

        if (clv.Selection is { } selection)
        {
            sb.Append(SelectionTable(selection, format));
        }

        if (clv.Covariates is { } covariates)
        {
            sb.Append(CovariateTable(covariates, format));
        }

        if (clv.SpendIndependence is { } check)
        {
            sb.Append(IndependenceNote(check, format));
        }

        if (clv.Intervals is { } intervals)
        {
            sb.Append("<p class=\"note\">").Append(Html.Escape(
                $"The _lo and _hi columns of p_alive, expected purchases, expected_avg_spend and {name} bound {format.Percent(intervals.Level)} prediction intervals from the uncertainty of the fitted parameters (not from the customers' own randomness)."))
                .Append("</p>");
        }

        if (clv.Holdout is { } holdout)
        {
            sb.Append(HoldoutPanel(holdout, format));
        }

        return sb.ToString();
    }

    /// <summary>
    /// The customers' CLV values (those that have one, in table order) and each segment's total and count, segments
    /// largest total first (equal totals in order of first appearance); each total sums in table order.
    /// </summary>
    internal static (double[] Values, (string Segment, double Total, int Customers)[] BySegment) ClvBySegment(IReadOnlyList<ReportCustomer> customers)
    {
        var values = new List<double>(customers.Count);
        var segments = new Dictionary<string, int>(StringComparer.Ordinal);
        var totals = new List<(string Segment, double Total, int Customers)>();
        foreach (var c in customers)
        {
            if (c.Clv is not { } clv)
            {
                continue;
            }

            values.Add(clv);
            if (!segments.TryGetValue(c.Segment, out var s))
            {
                segments.Add(c.Segment, s = totals.Count);
                totals.Add((c.Segment, 0, 0));
            }

            var (name, total, count) = totals[s];
            totals[s] = (name, total + clv, count + 1);
        }

        return ([.. values], [.. totals.OrderByDescending(g => g.Total)]);
    }

    private static string SelectionTable(ClvSelectionSummary selection, HumanFormat format) =>
        "<h3>Model choice (--clv-model auto)</h3>"
        + Html.Table(
            ["purchase model", "holdout MAE", "calibration log-likelihood", "status"],
            selection.Candidates.Select(c => (IReadOnlyList<string>)
            [
                c.Model,
                c.HoldoutMae is { } mae ? format.Number(mae, 4) : "—",
                c.LogLikelihood is { } ll ? format.Number(ll, 2) : "—",
                c.Error is not null ? "not fitted" : c.Model == selection.Chosen ? "chosen" : string.Empty,
            ]))
        + "<p class=\"note\">" + Html.Escape($"{selection.Chosen}: {selection.Reason}. Each model was fitted on the window before the holdout check's calibration end; the chosen one was then refitted on the whole window.") + "</p>";

    private static string CovariateTable(ClvCovariateSummary c, HumanFormat format)
    {
        var test = c.LikelihoodRatio;
        var references = c.Columns.Where(x => x.Reference is not null).Select(x => $"{x.Column}: {x.Reference}");
        return "<h3>Covariates (--clv-covariates)</h3>"
            + Html.Table(
                ["process", "covariate", "coefficient", "standard error", "multiplier exp(γ)"],
                c.Coefficients.Select(k => (IReadOnlyList<string>)
                [
                    k.Process, k.Name, format.Parameter(k.Estimate), k.StandardError is { } se ? format.Parameter(se) : "—", format.Number(k.Multiplier, 3),
                ]))
            + "<p class=\"note\">" + Html.Escape(
                $"{c.Model} with covariates: log-likelihood {format.Number(c.Fit.LogLikelihood, 2)} against {format.Number(c.LogLikelihoodWithout, 2)} without; likelihood-ratio statistic {format.Number(test.Statistic, 2)} on {test.DegreesOfFreedom} degrees of freedom, p = {test.PValue.ToString("G3", System.Globalization.CultureInfo.InvariantCulture)}. "
                + "A purchase multiplier is the factor on the expected purchase rate; a dropout multiplier the factor on the expected dropout rate (Pareto/NBD) or on the concentration a + b of the dropout probability, its mean unchanged (BG/NBD, as CLVTools). "
                + (references.Any() ? $"Reference levels: {string.Join(", ", references)}. " : string.Empty)
                + $"The customer columns (p_alive, expected purchases, CLV and their intervals) come from this model, at each customer's own covariates ({format.Count(c.CustomerGroups)} covariate groups).") + "</p>";
    }

    private static string IndependenceNote(SpendIndependenceSummary check, HumanFormat format)
    {
        var text = check.Correlation is { } r
            ? $"Gamma-Gamma assumes spend per purchase is independent of purchase frequency. Among the {format.Count(check.RepeatBuyers)} repeat buyers, the correlation of repeat_frequency and mean_repeat_value is {format.Number(r, 3)} (the report warns from |r| ≥ {format.Number(check.Threshold, 1)}; Fader & Hardie report 0.11 on CDNOW and call that reasonable)."
            : $"Gamma-Gamma's independence of spend and frequency could not be checked: the {format.Count(check.RepeatBuyers)} repeat buyers show no variation.";
        return check.Warning
            ? "<p class=\"warning\">" + Html.Escape("Warning: " + text + " The assumption is in doubt, so expected_avg_spend and the CLV are biased for the most and least frequent buyers.") + "</p>"
            : "<p class=\"note\">" + Html.Escape(text) + "</p>";
    }

    private static string HoldoutPanel(ClvHoldoutSummary h, HumanFormat format)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var split = h.Tracking.Count(t => !t.Holdout);
        var chart = SvgCharts.Lines(
            "Cumulative repeat purchases: actual vs predicted",
            [new ChartSeries("actual", [.. h.Tracking.Select(t => t.ActualCumulative)]), new ChartSeries($"predicted ({h.Model})", [.. h.Tracking.Select(t => t.PredictedCumulative)], Dashed: true)],
            [.. h.Tracking.Select(t => t.WeekEnd.ToString("yyyy-MM-dd", inv))],
            split,
            "holdout →",
            format.Count);
        var table = Html.Table(["holdout check", "value"],
        [
            ["calibration end", h.CalibrationEnd.ToString("yyyy-MM-dd", inv)],
            ["holdout end", h.HoldoutEnd.ToString("yyyy-MM-dd", inv)],
            ["customers", format.Count(h.Customers)],
            ["actual repeat purchases", format.Count(h.TotalActual)],
            ["predicted", format.Number(h.TotalPredicted)],
            ["bias", format.Percent(h.Bias)],
            ["MAE per customer", format.Number(h.MeanAbsoluteError, 3)],
            ["RMSE per customer", format.Number(h.RootMeanSquaredError, 3)],
        ]);
        return Html.Panel("Holdout tracking", chart, table,
            "The model refitted on the data before the calibration end (the last third of the window is held out, 4–52 weeks) predicts the weeks after it; the CLV columns come from the fit on the whole window.");
    }

    private static string FitNote(ModelFitSummary fit, HumanFormat format) =>
        $"log-likelihood {format.Number(fit.LogLikelihood, 2)}, {fit.Optimizer}, {format.Count(fit.Iterations)} iterations, {format.Count(fit.Customers)} customers in {format.Count(fit.Patterns)} patterns, {fit.ExitCondition}.";
}
