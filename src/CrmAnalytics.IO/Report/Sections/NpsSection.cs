using System.Text;
using CrmAnalytics.IO.Report.Svg;
using CrmAnalytics.IO.Summary;

namespace CrmAnalytics.IO.Report.Sections;

/// <summary>When surveys were given: NPS with its margin of error, by segment with error bars, by month, and the other groupings.</summary>
internal sealed class NpsSection : IReportSection
{
    public string Id => "nps";

    public string Title => "Net Promoter Score";

    public string? Render(ReportData data, HumanFormat format)
    {
        if (data.Summary.Nps is not { } nps)
        {
            return null;
        }

        var o = nps.Overall;
        var sb = new StringBuilder();
        sb.Append("<p class=\"headline\"><span class=\"big\">").Append(Html.Escape(format.Number(o.Nps))).Append("</span> ± ")
            .Append(Html.Escape(format.Number(o.MarginOfError))).Append(" <span class=\"note\">(95%, ").Append(Html.Escape(format.Count(o.Responses)))
            .Append(" responses: ").Append(Html.Escape($"{format.Count(o.Promoters)} promoters, {format.Count(o.Passives)} passives, {format.Count(o.Detractors)} detractors"))
            .Append(")</span></p>");
        var note = $"Groups under {format.Count(nps.MinResponses)} responses are faded and marked *: too small to read. Margin: {NpsSummary.Formula}.";
        Group(sb, "NPS by segment", nps.BySegment, format, note + " Segment, stage and tier groups count each customer's latest response.");
        Group(sb, "NPS by month", nps.ByMonth, format, note);
        Group(sb, "NPS by lifecycle stage", nps.ByLifecycle, format, null);
        Group(sb, "NPS by value tier", nps.ByValueTier, format, null);
        Group(sb, "NPS by channel", nps.ByChannel, format, null);
        return sb.ToString();
    }

    private static void Group(StringBuilder sb, string heading, IReadOnlyList<NpsGroupSummary> groups, HumanFormat format, string? note)
    {
        if (groups.Count == 0)
        {
            return;
        }

        var items = groups.Select(g => new ChartInterval(g.Group + (g.TooSmall ? " *" : string.Empty), g.Nps, g.MarginOfError, g.TooSmall)).ToArray();
        var rows = groups.Select(g => (IReadOnlyList<string>)[g.Group + (g.TooSmall ? " *" : string.Empty), format.Count(g.Responses), format.Number(g.Nps), format.Number(g.MarginOfError)]);
        sb.Append(Html.Panel(heading, SvgCharts.ErrorBars(heading, items, -100, 100, v => format.Number(v)), Html.Table(["group", "responses", "NPS", "± 95%"], rows), note));
    }
}
