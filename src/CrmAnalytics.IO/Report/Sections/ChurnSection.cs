using System.Globalization;
using System.Text;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.IO.Report.Svg;

namespace CrmAnalytics.IO.Report.Sections;

/// <summary>
/// When churn was scored: the model's AUC against the recency and BG/NBD baselines, the calibration plot, lift and
/// capture by decile from the time-split evaluation, and the run's risk-band counts.
/// </summary>
internal sealed class ChurnSection : IReportSection
{
    public string Id => "churn";

    public string Title => "Churn risk";

    public string? Render(ReportData data, HumanFormat format)
    {
        if (data.Summary.Churn is not { } section)
        {
            return null;
        }

        if (section.Result is not { } churn)
        {
            return Html.Skipped(section.Reason, "The churn columns are empty for every customer and there is no warning list; the rest of the run is published as usual.");
        }

        var e = churn.Evaluation;
        var scores = new[] { e.Model }.Concat(e.Baselines).ToArray();
        var sb = new StringBuilder();
        sb.Append("<p class=\"note\">").Append(Html.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Model: {churn.Trainer} ({(churn.Source == "trained_in_run" ? "trained in this run" : churn.Source)}), horizon {churn.HorizonDays} days ({churn.Horizon.Rule}). Churn is predicted for the {format.Count(churn.ActiveCustomers)} customers who bought in the {churn.ActiveDays} days before the as-of date; {format.Count(churn.LapsedCustomers)} lapsed customers belong to win-back. Evaluated on a time split: trained at {e.TrainCutoff:yyyy-MM-dd}, tested on the {format.Count(e.Model.Count)} active customers of {e.TestCutoff:yyyy-MM-dd} over the next {e.HorizonDays} days ({format.Count(e.Model.Churned)} churned); on all {format.Count(e.All.Model.Count)} customers of that date the model's AUC is {format.Number(e.All.Model.Auc, 3)}.")))
            .Append("</p>");

        sb.Append(Html.Panel(
            "AUC against the baselines",
            SvgCharts.Bars("Test AUC of the model and the baselines", [.. scores.Select(m => new ChartBar(m.Name, m.Auc))], v => format.Number(v, 3)),
            Html.Table(["score", "AUC", "PR-AUC", "log-loss", "Brier", "top-10% lift", "top-10% capture"], scores.Select(m => (IReadOnlyList<string>)
            [
                m.Name, format.Number(m.Auc, 3), format.Number(m.PrAuc, 3), Optional(m.LogLoss), Optional(m.Brier),
                format.Number(m.TopDecileLift, 2), format.Percent(m.TopDecileCapture),
            ])),
            "Recency is a ranking, not a probability: it has no log-loss or Brier score."));

        var bins = (e.Model.Calibration ?? []).Where(b => b.Count > 0).ToArray();
        if (bins.Length > 0)
        {
            sb.Append(Html.Panel(
                "Calibration",
                SvgCharts.Lines("Observed churn rate against the predicted probability, per bin",
                    [new ChartSeries("observed", [.. bins.Select(b => b.ObservedRate)]), new ChartSeries("predicted", [.. bins.Select(b => b.MeanPredicted)], Dashed: true)],
                    [.. bins.Select(b => BinLabel(b, format))], null, string.Empty, format.Percent),
                Html.Table(["bin", "customers", "predicted", "observed"], bins.Select(b => (IReadOnlyList<string>)
                    [BinLabel(b, format), format.Count(b.Count), format.Percent(b.MeanPredicted), format.Percent(b.ObservedRate)])),
                "A calibrated model's observed line lies on its predicted line: 70% predicted means about 70% churned."));
        }

        sb.Append(Html.Panel(
            "Lift by decile",
            SvgCharts.Bars("Churn rate in each decile over the overall rate (decile 1 = riskiest tenth)", [.. e.Model.Deciles.Select(d => new ChartBar("decile " + d.Decile.ToString(CultureInfo.InvariantCulture), d.Lift))], v => format.Number(v, 2)),
            Html.Table(["decile", "customers", "churned", "rate", "lift", "cumulative capture"], e.Model.Deciles.Select(d => (IReadOnlyList<string>)
            [
                d.Decile.ToString(CultureInfo.InvariantCulture), format.Count(d.Count), format.Count(d.Churned), format.Percent(d.Rate), format.Number(d.Lift, 2), format.Percent(d.CumulativeCapture),
            ]))));

        var bands = new[] { "high", "medium", "low", "lapsed" }.Select(b => (Band: b, Count: churn.RiskBands.TryGetValue(b, out var n) ? n : 0)).ToArray();
        sb.Append(Html.Panel(
            "Risk bands",
            SvgCharts.Bars("Customers per churn risk band", [.. bands.Select(b => new ChartBar(b.Band, b.Count))], v => format.Count(v)),
            Html.Table(["band", "customers", "rule"],
            [
                ["high", format.Count(bands[0].Count), Rule(churn.HighShare, churn.HighCutoff, "top ")],
                ["medium", format.Count(bands[1].Count), Rule(churn.MediumShare, churn.MediumCutoff, "next ")],
                ["low", format.Count(bands[2].Count), "the rest of the active base"],
                ["lapsed", format.Count(bands[3].Count), "no purchase in the active window"],
            ]),
            churn.ExpectedValueAtRisk is { } atRisk
                ? $"segments/churn-warning.csv lists {format.Count(churn.WarningListed)} high-risk customers (at most {format.Count(churn.WarningListMax)}) by expected value lost, with a contact plan; together {format.Money(atRisk)}."
                : $"segments/churn-warning.csv lists {format.Count(churn.WarningListed)} high-risk customers (at most {format.Count(churn.WarningListMax)}) by churn probability, with a contact plan."));
        return sb.ToString();

        string Optional(double? value) => value is { } v ? format.Number(v, 3) : "–";

        string Rule(double? share, double? cutoff, string prefix) =>
            (share is { } s ? prefix + format.Percent(s) + " of the active base" : "") +
            (cutoff is { } c ? (share is null ? "" : ", ") + "p ≥ " + format.Number(c, 3) : "");
    }

    private static string BinLabel(CalibrationBin b, HumanFormat format) => format.Percent(b.Lower) + "–" + format.Percent(b.Upper);
}
