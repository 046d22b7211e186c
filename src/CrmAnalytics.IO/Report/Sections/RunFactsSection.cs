using System.Globalization;
using System.Text;
using CrmAnalytics.IO.Report.Svg;

namespace CrmAnalytics.IO.Report.Sections;

/// <summary>As-of date, inputs with their row accounting and reject reasons, and timings.</summary>
internal sealed class RunFactsSection : IReportSection
{
    public string Id => "run";

    public string Title => "Run facts";

    public string? Render(ReportData data, HumanFormat format)
    {
        var s = data.Summary;
        var sb = new StringBuilder();
        sb.Append(Html.Facts(
        [
            ("As of", s.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            ("Customers", format.Count(s.Customers.Count)),
            ("Tool version", s.ToolVersion),
            ("Started (UTC)", s.StartedAtUtc?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "—"),
            ("Total time", s.TimingsMs.TryGetValue("total", out var total) ? format.Count(total) + " ms" : "—"),
        ]));
        foreach (var input in s.Inputs)
        {
            var bars = new List<ChartBar> { new("accepted", input.RowsAccepted) };
            bars.AddRange(input.RejectsByReason.Select(kv => new ChartBar(kv.Key, kv.Value)));
            var rows = bars.Select(b => (IReadOnlyList<string>)[b.Label, format.Count(b.Value), format.Percent(input.RowsRead == 0 ? 0 : b.Value / input.RowsRead)]).ToList();
            rows.Add(["rows read", format.Count(input.RowsRead), format.Percent(1)]);
            sb.Append(Html.Panel(
                $"{Path.GetFileName(input.Path)} ({input.Format})",
                SvgCharts.Bars($"Rows of {Path.GetFileName(input.Path)} by outcome", bars, format.Count),
                Html.Table(["outcome", "rows", "share"], rows),
                string.Create(CultureInfo.InvariantCulture, $"sha256 {input.Sha256}; malformed {format.Percent(input.MalformedRate)} of rows read.")));
        }

        if (s.TimingsMs.Count > 0)
        {
            sb.Append("<p class=\"note\">Timings (ms): ")
                .Append(Html.Escape(string.Join(" · ", s.TimingsMs.Select(kv => $"{kv.Key} {format.Count(kv.Value)}")))).Append("</p>");
        }

        return sb.ToString();
    }
}
