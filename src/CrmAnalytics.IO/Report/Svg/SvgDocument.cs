using System.Globalization;
using System.Net;
using System.Text;

namespace CrmAnalytics.IO.Report.Svg;

/// <summary>
/// Writes one inline SVG element: well-formed XML (so it also parses as XHTML), every text HTML-escaped, coordinates
/// rounded to 0.01 in the invariant culture.
/// </summary>
internal sealed class SvgDocument(double width, double height, string title)
{
    private readonly StringBuilder _body = new();

    public double Width => width;

    public double Height => height;

    public static string Num(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    public void Rect(double x, double y, double w, double h, string cssClass, string? tooltip = null)
    {
        _body.Append("<rect class=\"").Append(cssClass).Append("\" x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(y))
            .Append("\" width=\"").Append(Num(Math.Max(0, w))).Append("\" height=\"").Append(Num(Math.Max(0, h))).Append('"');
        Close(tooltip, "rect");
    }

    public void Line(double x1, double y1, double x2, double y2, string cssClass) =>
        _body.Append("<line class=\"").Append(cssClass).Append("\" x1=\"").Append(Num(x1)).Append("\" y1=\"").Append(Num(y1))
            .Append("\" x2=\"").Append(Num(x2)).Append("\" y2=\"").Append(Num(y2)).Append("\"/>");

    public void Circle(double cx, double cy, double r, string cssClass, string? tooltip = null)
    {
        _body.Append("<circle class=\"").Append(cssClass).Append("\" cx=\"").Append(Num(cx)).Append("\" cy=\"").Append(Num(cy))
            .Append("\" r=\"").Append(Num(r)).Append('"');
        Close(tooltip, "circle");
    }

    public void Polyline(IEnumerable<(double X, double Y)> points, string cssClass)
    {
        _body.Append("<polyline class=\"").Append(cssClass).Append("\" points=\"");
        var first = true;
        foreach (var (x, y) in points)
        {
            _body.Append(first ? string.Empty : " ").Append(Num(x)).Append(',').Append(Num(y));
            first = false;
        }

        _body.Append("\"/>");
    }

    /// <param name="anchor">start, middle or end.</param>
    public void Text(double x, double y, string text, string anchor = "start", string cssClass = "label") =>
        _body.Append("<text class=\"").Append(cssClass).Append("\" x=\"").Append(Num(x)).Append("\" y=\"").Append(Num(y))
            .Append("\" text-anchor=\"").Append(anchor).Append("\">").Append(Escape(text)).Append("</text>");

    public override string ToString() =>
        new StringBuilder()
            .Append("<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Append(Num(width)).Append(' ').Append(Num(height))
            .Append("\" width=\"").Append(Num(width)).Append("\" height=\"").Append(Num(height)).Append("\" role=\"img\" aria-label=\"")
            .Append(Escape(title)).Append("\"><title>").Append(Escape(title)).Append("</title>")
            .Append(_body).Append("</svg>").ToString();

    private void Close(string? tooltip, string element)
    {
        if (tooltip is null)
        {
            _body.Append("/>");
            return;
        }

        _body.Append("><title>").Append(Escape(tooltip)).Append("</title></").Append(element).Append('>');
    }
}
