namespace CrmAnalytics.IO.Report.Svg;

/// <summary>One bar: a label and a value (negative values draw to the left of zero).</summary>
internal readonly record struct ChartBar(string Label, double Value);

/// <summary>A point estimate with a symmetric error (e.g. NPS ± its 95% margin); muted points are drawn faded (too few responses).</summary>
internal readonly record struct ChartInterval(string Label, double Value, double Error, bool Muted);

/// <summary>A named line: y values at x = 0, 1, 2, …; dashed lines are drawn with the "dashed" class.</summary>
internal sealed record ChartSeries(string Name, IReadOnlyList<double> Values, bool Dashed = false);

/// <summary>
/// Small SVG chart builders for report.html. Each returns one <c>&lt;svg class="chart"&gt;</c> element; every text is
/// escaped, so labels such as segment names or file names cannot inject markup.
/// </summary>
internal static class SvgCharts
{
    public const double Width = 640;
    private const double RowHeight = 22;
    private const double Top = 8;
    private const double LabelWidth = 170;
    private const double ValueWidth = 90;

    /// <summary>Horizontal bars, one row each, scaled to the largest magnitude; the formatted value follows each bar.</summary>
    public static string Bars(string title, IReadOnlyList<ChartBar> bars, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(bars);
        ArgumentNullException.ThrowIfNull(format);
        var svg = new SvgDocument(Width, (2 * Top) + (RowHeight * Math.Max(1, bars.Count)), title);
        var min = Math.Min(0, bars.Count == 0 ? 0 : bars.Min(b => b.Value));
        var max = Math.Max(0, bars.Count == 0 ? 0 : bars.Max(b => b.Value));
        var span = max - min > 0 ? max - min : 1;
        var plot = Width - LabelWidth - ValueWidth;
        double X(double v) => LabelWidth + (plot * (v - min) / span);
        for (var i = 0; i < bars.Count; i++)
        {
            var y = Top + (i * RowHeight);
            var (label, value) = bars[i];
            svg.Text(LabelWidth - 6, y + 15, label, "end");
            var x0 = X(Math.Min(0, value));
            svg.Rect(x0, y + 3, X(Math.Max(0, value)) - x0, RowHeight - 6, value < 0 ? "bar neg" : "bar", $"{label}: {format(value)}");
            svg.Text(X(Math.Max(0, value)) + 4, y + 15, format(value), "start", "value");
        }

        svg.Line(X(0), Top, X(0), svg.Height - Top, "axis");
        return svg.ToString();
    }

    /// <summary>
    /// A grid of cells shaded by value (darker = larger); a null cell is empty. Rows are drawn top to bottom in the
    /// order given, so pass the highest score first for the conventional R×F layout.
    /// </summary>
    public static string Heatmap(string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, double?[,] values,
        Func<double, string> format, string rowAxis, string columnAxis)
    {
        ArgumentNullException.ThrowIfNull(rowLabels);
        ArgumentNullException.ThrowIfNull(columnLabels);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(format);
        if (values.GetLength(0) != rowLabels.Count || values.GetLength(1) != columnLabels.Count)
        {
            throw new ArgumentException("The value grid must have one row per row label and one column per column label.", nameof(values));
        }

        const double cell = 64;
        const double left = 70;
        const double top = 10;
        var svg = new SvgDocument(left + (cell * columnLabels.Count) + 10, top + (cell * rowLabels.Count) + 44, title);
        var present = values.Cast<double?>().Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        var lo = present.Length == 0 ? 0 : present.Min();
        var hi = present.Length == 0 ? 1 : present.Max();
        for (var r = 0; r < rowLabels.Count; r++)
        {
            svg.Text(left - 8, top + (r * cell) + (cell / 2) + 4, rowLabels[r], "end");
            for (var c = 0; c < columnLabels.Count; c++)
            {
                var x = left + (c * cell);
                var y = top + (r * cell);
                if (values[r, c] is not { } v)
                {
                    svg.Rect(x, y, cell - 2, cell - 2, "cell empty", $"{rowAxis} {rowLabels[r]}, {columnAxis} {columnLabels[c]}: none");
                    continue;
                }

                // Five shades, so the legend-less grid still reads; the exact value is printed in the cell.
                var level = hi > lo ? (int)Math.Min(4, Math.Floor(5 * (v - lo) / (hi - lo))) : 2;
                svg.Rect(x, y, cell - 2, cell - 2, $"cell q{level}", $"{rowAxis} {rowLabels[r]}, {columnAxis} {columnLabels[c]}: {format(v)}");
                svg.Text(x + ((cell - 2) / 2), y + (cell / 2) + 4, format(v), "middle", level >= 3 ? "cell-text light" : "cell-text");
            }
        }

        for (var c = 0; c < columnLabels.Count; c++)
        {
            svg.Text(left + (c * cell) + (cell / 2), top + (rowLabels.Count * cell) + 16, columnLabels[c], "middle");
        }

        svg.Text(left + (cell * columnLabels.Count / 2), top + (rowLabels.Count * cell) + 36, columnAxis, "middle", "axis-title");
        svg.Text(4, top + 12, rowAxis, "start", "axis-title");
        return svg.ToString();
    }

    /// <summary>
    /// A curve on the unit square (e.g. cumulative revenue share by customer rank share), with a guide at
    /// <paramref name="markX"/> and the curve's value there marked and labelled.
    /// </summary>
    public static string Curve(string title, IReadOnlyList<(double X, double Y)> points, double markX, Func<double, string> format, string xAxis, string yAxis)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(format);
        const double left = 56;
        const double top = 28;
        const double plotW = Width - left - 20;
        const double plotH = 260;
        var svg = new SvgDocument(Width, top + plotH + 44, title);
        double X(double x) => left + (plotW * Math.Clamp(x, 0, 1));
        double Y(double y) => top + (plotH * (1 - Math.Clamp(y, 0, 1)));
        for (var t = 0; t <= 4; t++)
        {
            var v = t / 4.0;
            svg.Line(left, Y(v), left + plotW, Y(v), "grid");
            svg.Text(left - 6, Y(v) + 4, format(v), "end");
            svg.Text(X(v), top + plotH + 16, format(v), "middle");
        }

        svg.Line(X(0), Y(0), X(1), Y(1), "diagonal");
        svg.Polyline(points.Select(p => (X(p.X), Y(p.Y))), "curve");
        var markY = Interpolate(points, markX);
        svg.Line(X(markX), Y(0), X(markX), Y(markY), "mark");
        svg.Line(X(0), Y(markY), X(markX), Y(markY), "mark");
        svg.Circle(X(markX), Y(markY), 4, "mark-point", $"{format(markX)} of {xAxis}: {format(markY)} of {yAxis}");
        svg.Text(X(markX) + 8, Y(markY) + 16, $"{format(markX)} hold {format(markY)}", "start", "mark-label");
        svg.Text(left + (plotW / 2), top + plotH + 36, xAxis, "middle", "axis-title");
        svg.Text(4, 12, yAxis, "start", "axis-title");
        return svg.ToString();
    }

    /// <summary>Linear interpolation of a curve sorted by X; 0 for an empty curve.</summary>
    public static double Interpolate(IReadOnlyList<(double X, double Y)> points, double x)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            return 0;
        }

        if (x <= points[0].X)
        {
            return points[0].Y;
        }

        for (var i = 1; i < points.Count; i++)
        {
            if (x <= points[i].X)
            {
                var (x0, y0) = points[i - 1];
                var (x1, y1) = points[i];
                return x1 == x0 ? y1 : y0 + ((y1 - y0) * (x - x0) / (x1 - x0));
            }
        }

        return points[^1].Y;
    }

    /// <summary>Counts of <paramref name="values"/> in <paramref name="bins"/> equal-width bins over [min, max]; the last bin includes max.</summary>
    public static (double Min, double Width, int[] Counts) HistogramBins(IReadOnlyList<double> values, int bins)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var counts = new int[bins];
        if (values.Count == 0)
        {
            return (0, 1, counts);
        }

        var min = values.Min();
        var max = values.Max();
        var width = max > min ? (max - min) / bins : 1;
        foreach (var v in values)
        {
            counts[Math.Min(bins - 1, (int)((v - min) / width))]++;
        }

        return (min, width, counts);
    }

    /// <summary>A histogram: vertical bars of counts per equal-width bin, with the bin edges labelled at both ends and the middle.</summary>
    public static string Histogram(string title, IReadOnlyList<double> values, int bins, Func<double, string> format, string xAxis)
    {
        ArgumentNullException.ThrowIfNull(format);
        var (min, width, counts) = HistogramBins(values, bins);
        const double left = 56;
        const double top = 12;
        const double plotW = Width - left - 20;
        const double plotH = 220;
        var svg = new SvgDocument(Width, top + plotH + 44, title);
        var maxCount = Math.Max(1, counts.Max());
        var barW = plotW / bins;
        for (var i = 0; i < bins; i++)
        {
            var h = plotH * counts[i] / maxCount;
            svg.Rect(left + (i * barW) + 1, top + plotH - h, barW - 2, h, "bar",
                $"{format(min + (i * width))} – {format(min + ((i + 1) * width))}: {counts[i]:N0}");
        }

        svg.Line(left, top + plotH, left + plotW, top + plotH, "axis");
        svg.Text(left - 6, top + 10, maxCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), "end");
        svg.Text(left - 6, top + plotH, "0", "end");
        foreach (var i in new[] { 0, bins / 2, bins })
        {
            svg.Text(left + (i * barW), top + plotH + 16, format(min + (i * width)), "middle");
        }

        svg.Text(left + (plotW / 2), top + plotH + 36, xAxis, "middle", "axis-title");
        return svg.ToString();
    }

    /// <summary>Points with horizontal error bars on a fixed scale [<paramref name="min"/>, <paramref name="max"/>], one row each, with a zero line.</summary>
    public static string ErrorBars(string title, IReadOnlyList<ChartInterval> items, double min, double max, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(format);
        if (!(max > min))
        {
            throw new ArgumentException("max must exceed min.", nameof(max));
        }

        var svg = new SvgDocument(Width, (2 * Top) + (RowHeight * Math.Max(1, items.Count)) + 20, title);
        var plot = Width - LabelWidth - ValueWidth;
        double X(double v) => LabelWidth + (plot * (Math.Clamp(v, min, max) - min) / (max - min));
        for (var i = 0; i < items.Count; i++)
        {
            var (label, value, error, muted) = items[i];
            var y = Top + (i * RowHeight) + (RowHeight / 2);
            var cls = muted ? " muted" : string.Empty;
            svg.Text(LabelWidth - 6, y + 4, label, "end");
            svg.Line(X(value - error), y, X(value + error), y, "whisker" + cls);
            svg.Line(X(value - error), y - 5, X(value - error), y + 5, "whisker" + cls);
            svg.Line(X(value + error), y - 5, X(value + error), y + 5, "whisker" + cls);
            svg.Circle(X(value), y, 4, "point" + cls, $"{label}: {format(value)} ± {format(error)}");
            svg.Text(Width - ValueWidth + 6, y + 4, $"{format(value)} ± {format(error)}", "start", "value");
        }

        var bottom = Top + (RowHeight * Math.Max(1, items.Count));
        svg.Line(X(0), Top, X(0), bottom, "axis");
        foreach (var t in new[] { min, (min + max) / 2, max })
        {
            svg.Text(X(t), bottom + 14, format(t), "middle");
        }

        return svg.ToString();
    }

    /// <summary>
    /// Lines over a shared x index (e.g. weeks), y from 0 to the largest value, with a vertical guide before index
    /// <paramref name="splitIndex"/> (e.g. the calibration end) and a legend.
    /// </summary>
    public static string Lines(string title, IReadOnlyList<ChartSeries> series, IReadOnlyList<string> xLabels, int? splitIndex, string splitLabel, Func<double, string> format)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(xLabels);
        ArgumentNullException.ThrowIfNull(format);
        const double left = 64;
        const double top = 28;
        const double plotW = Width - left - 20;
        const double plotH = 240;
        var svg = new SvgDocument(Width, top + plotH + 30, title);
        var n = Math.Max(2, series.Count == 0 ? 0 : series.Max(s => s.Values.Count));
        var max = series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max();
        max = max > 0 ? max : 1;
        double X(double i) => left + (plotW * i / (n - 1));
        double Y(double v) => top + (plotH * (1 - (v / max)));
        for (var t = 0; t <= 4; t++)
        {
            svg.Line(left, Y(max * t / 4), left + plotW, Y(max * t / 4), "grid");
            svg.Text(left - 6, Y(max * t / 4) + 4, format(max * t / 4), "end");
        }

        if (xLabels.Count > 0)
        {
            svg.Text(X(0), top + plotH + 16, xLabels[0], "start");
            svg.Text(X((xLabels.Count - 1) / 2), top + plotH + 16, xLabels[(xLabels.Count - 1) / 2], "middle");
            svg.Text(X(xLabels.Count - 1), top + plotH + 16, xLabels[^1], "end");
        }

        if (splitIndex is { } split)
        {
            svg.Line(X(split - 0.5), top, X(split - 0.5), top + plotH, "mark");
            svg.Text(X(split - 0.5) + 4, top + 12, splitLabel, "start", "mark-label");
        }

        for (var k = 0; k < series.Count; k++)
        {
            var s = series[k];
            svg.Polyline(s.Values.Select((v, i) => (X(i), Y(v))), s.Dashed ? $"series s{k} dashed" : $"series s{k}");
            svg.Line(left + (k * 150), 10, left + (k * 150) + 24, 10, s.Dashed ? $"series s{k} dashed" : $"series s{k}");
            svg.Text(left + (k * 150) + 30, 14, s.Name);
        }

        return svg.ToString();
    }
}
