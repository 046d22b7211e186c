using System.Net;
using System.Text;

namespace CrmAnalytics.IO.Report;

/// <summary>Small HTML fragments for the report sections; every text value is escaped here.</summary>
internal static class Html
{
    public static string Escape(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>A table; cells are text (escaped). Columns after the first are right-aligned numbers unless <paramref name="textColumns"/> says otherwise.</summary>
    /// <summary>The body of a model's section when the model was skipped: why, and what the customer table holds instead.</summary>
    public static string Skipped(string? reason, string columns) =>
        "<p class=\"note skipped\"><strong>Skipped:</strong> " + Escape(reason) + "</p><p class=\"note\">" + Escape(columns) + "</p>";

    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, int textColumns = 1)
    {
        var sb = new StringBuilder("<table><thead><tr>");
        for (var i = 0; i < headers.Count; i++)
        {
            sb.Append(i < textColumns ? "<th>" : "<th class=\"num\">").Append(Escape(headers[i])).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Count; i++)
            {
                sb.Append(i < textColumns ? "<td>" : "<td class=\"num\">").Append(Escape(row[i])).Append("</td>");
            }

            sb.Append("</tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>A chart with its numbers beside it.</summary>
    public static string Panel(string heading, string svg, string numbers, string? note = null) =>
        new StringBuilder("<div class=\"panel\"><h3>").Append(Escape(heading)).Append("</h3><div class=\"pair\"><figure>").Append(svg)
            .Append("</figure><div class=\"numbers\">").Append(numbers).Append("</div></div>")
            .Append(note is null ? string.Empty : "<p class=\"note\">" + Escape(note) + "</p>").Append("</div>").ToString();

    /// <summary>A definition list of facts.</summary>
    public static string Facts(IEnumerable<(string Name, string Value)> facts)
    {
        var sb = new StringBuilder("<dl class=\"facts\">");
        foreach (var (name, value) in facts)
        {
            sb.Append("<dt>").Append(Escape(name)).Append("</dt><dd>").Append(Escape(value)).Append("</dd>");
        }

        return sb.Append("</dl>").ToString();
    }
}
