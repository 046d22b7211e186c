using System.Text;
using CrmAnalytics.Core.Parallelism;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Report.Sections;

namespace CrmAnalytics.IO.Report;

/// <summary>
/// Renders report.html: one self-contained file (inline CSS and SVG, no scripts, no fonts, no network requests; a
/// Content-Security-Policy of <c>default-src 'none'</c> makes the browser refuse any that slipped in), so it opens from
/// a USB stick. Sections whose data is absent are left out.
/// </summary>
public static class HtmlReport
{
    /// <summary>The sections, in page order. A new section (e.g. churn) is one <see cref="IReportSection"/> added here.</summary>
    public static IReadOnlyList<IReportSection> DefaultSections { get; } =
    [
        new RunFactsSection(),
        new SegmentsSection(),
        new ParetoSection(),
        new ClvSection(),
        new ChurnSection(),
        new NpsSection(),
    ];

    internal const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    public static string Render(ReportData data, ReportOptions? options = null, IReadOnlyList<IReportSection>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var format = new HumanFormat(options ?? new ReportOptions());
        // The sections read the same data and nothing else, so they render side by side (the customer-level ones sort
        // millions of values); the page keeps their order.
        var list = sections ?? DefaultSections;
        var pages = new string?[list.Count];
        SideBySide.Run([.. list.Select((section, i) => (Action)(() => pages[i] = section.Render(data, format)))]);
        var rendered = list.Select((s, i) => (Section: s, Html: pages[i])).Where(s => s.Html is not null).ToArray();
        var title = $"CrmAnalytics report — {data.Title}";
        var sb = new StringBuilder(64 * 1024);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Html.Escape(title)).Append("</title><style>").Append(Css).Append("</style></head><body>\n");
        sb.Append("<header><h1>").Append(Html.Escape(title)).Append("</h1><p class=\"note\">As of ")
            .Append(data.Summary.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Append(" · ")
            .Append(Html.Escape(format.Count(data.Summary.Customers.Count))).Append(" customers</p><nav>");
        foreach (var (section, _) in rendered)
        {
            sb.Append("<a href=\"#").Append(section.Id).Append("\">").Append(Html.Escape(section.Title)).Append("</a>");
        }

        sb.Append("</nav>").Append(Headline(data, format)).Append("</header>\n");
        foreach (var (section, html) in rendered)
        {
            sb.Append("<section id=\"").Append(section.Id).Append("\"><h2>").Append(Html.Escape(section.Title)).Append("</h2>")
                .Append(html).Append("</section>\n");
        }

        return sb.Append("</body></html>\n").ToString();
    }

    /// <summary>The key numbers of the run, at the top of the first screen; a figure whose data is absent is left out.</summary>
    private static string Headline(ReportData data, HumanFormat format)
    {
        var s = data.Summary;
        var tiles = new List<(string Value, string Label)> { (format.Count(s.Customers.Count), "customers") };
        if (s.Kpis is { } k)
        {
            tiles.Add((format.Money(k.Revenue), "net revenue"));
            tiles.Add((format.Percent(k.TopTierRevenueShare), $"of revenue held by the top {format.Percent(k.TopTierShareOfCustomers)}"));
            tiles.Add((format.Percent(k.RepurchaseRate), "repurchase rate"));
        }

        if (s.Clv?.Result is { } clv)
        {
            tiles.Add((format.Money(clv.TotalClv), $"{data.ClvColumn ?? "CLV"} total"));
        }

        if (s.Nps is { } nps)
        {
            tiles.Add(($"{format.Number(nps.Overall.Nps)} ± {format.Number(nps.Overall.MarginOfError)}", $"NPS ({format.Count(nps.Overall.Responses)} responses)"));
        }

        var sb = new StringBuilder("<div class=\"tiles\">");
        foreach (var (value, label) in tiles)
        {
            sb.Append("<div class=\"tile\"><div class=\"tile-value\">").Append(Html.Escape(value)).Append("</div><div class=\"tile-label\">")
                .Append(Html.Escape(label)).Append("</div></div>");
        }

        return sb.Append("</div>").ToString();
    }

    /// <summary>Creates (or replaces) <paramref name="path"/> with the report, UTF-8 without BOM.</summary>
    /// <exception cref="Core.OutputException">The file cannot be written.</exception>
    public static void WriteFile(string path, ReportData data, ReportOptions? options = null)
    {
        var bytes = new UTF8Encoding(false).GetBytes(Render(data, options));
        OutputFiles.Write(path, stream => stream.Write(bytes));
    }

    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:1280px;padding:0 24px 48px;color:#1d2430;background:#fff}
        header{border-bottom:1px solid #d9dee7;padding:16px 0 8px}h1{font-size:22px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 8px;border-bottom:2px solid #3b6ea5;padding-bottom:4px}
        h3{font-size:15px;margin:18px 0 6px}nav a{margin-right:16px;color:#3b6ea5;text-decoration:none;font-size:14px}
        .panel{margin:8px 0 20px}.pair{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}figure{margin:0}
        .numbers{flex:1;min-width:280px}table{border-collapse:collapse;font-size:13px;margin:4px 0}th,td{padding:3px 10px;border-bottom:1px solid #e6e9ef;text-align:left}
        th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}.note{color:#5b6575;font-size:12px}.warning{color:#9c2b23;font-weight:600;font-size:13px}
        dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 16px;font-size:14px}dt{color:#5b6575}dd{margin:0}
        .headline{font-size:18px}.big{font-size:40px;font-weight:600;color:#3b6ea5}
        svg.chart{display:block;max-width:100%;height:auto;font-size:12px}svg .label{fill:#1d2430}svg .value{fill:#5b6575}
        svg .bar{fill:#3b6ea5}svg .bar.neg{fill:#c0504d}svg .axis{stroke:#8a94a6;stroke-width:1}svg .grid{stroke:#e6e9ef}
        svg .diagonal{stroke:#b8c0cc;stroke-dasharray:4 4}svg .curve{fill:none;stroke:#3b6ea5;stroke-width:2.5}
        svg .mark{stroke:#c0504d;stroke-dasharray:3 3}svg .mark-point{fill:#c0504d}svg .mark-label{fill:#c0504d;font-weight:600}
        svg .axis-title{fill:#5b6575;font-size:12px}svg .whisker{stroke:#3b6ea5;stroke-width:2}svg .point{fill:#3b6ea5}
        svg .muted{opacity:.35}svg .cell.empty{fill:#f4f5f8}svg .q0{fill:#dbe6f3}svg .q1{fill:#b3cbe6}svg .q2{fill:#84a9d4}svg .q3{fill:#5583bd}svg .q4{fill:#2f5f96}
        svg .cell-text{fill:#1d2430;font-size:11px}svg .cell-text.light{fill:#fff}
        svg .series{fill:none;stroke-width:2.5}svg .s0{stroke:#3b6ea5}svg .s1{stroke:#c0504d}svg .dashed{stroke-dasharray:6 4}
        .tiles{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0 4px}.tile{border:1px solid #d9dee7;border-radius:6px;padding:8px 14px;min-width:140px}
        .tile-value{font-size:22px;font-weight:600;color:#3b6ea5}.tile-label{font-size:12px;color:#5b6575}
        """;
}
