using System.Globalization;
using System.Text;

namespace CrmAnalytics.IO.Input.Sniffing;

/// <summary>
/// A column's date format, decided from its values: the format (null = the reader's ISO 8601 default) that parses every
/// sampled value, and, when day and month could be swapped, the other reading.
/// </summary>
/// <param name="Format">The exact .NET format, or null for ISO 8601 (<c>yyyy-MM-dd</c>, any time after it ignored).</param>
/// <param name="Alternative">The swapped day/month format when no sampled value has a day above 12, else null.</param>
/// <param name="Why">How the choice was made, for the explanation.</param>
internal sealed record DateFormatGuess(string? Format, string? Alternative, string Why)
{
    /// <summary>Plausible years: an id column of 8 digits must not pass as yyyyMMdd.</summary>
    private const int MinYear = 1950, MaxYear = 2100;

    private static readonly string[] Times = ["", " HH:mm", " HH:mm:ss", " H:mm", " H:mm:ss", "THH:mm:ss", " h:mm tt", " h:mm:ss tt", " HH:mm:ss.fff"];

    /// <summary>
    /// The candidates in order of preference; a day-first format comes just before its month-first twin, so that the
    /// pair is tested together. Zero-padded forms come before the lax ones (<c>d</c> also reads <c>05</c>).
    /// </summary>
    private static readonly (string Format, string? Twin)[] Candidates = BuildCandidates();

    public static DateFormatGuess? Guess(IReadOnlyList<string> values)
    {
        var distinct = values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Take(5000).ToArray();
        if (distinct.Length == 0)
        {
            return null;
        }

        if (distinct.All(IsIso))
        {
            return new DateFormatGuess(null, null, "ISO 8601 yyyy-MM-dd" + (distinct.Any(v => v.Length > 10) ? " with a time, which is ignored" : string.Empty));
        }

        foreach (var (format, twin) in Candidates)
        {
            var dayFirst = distinct.All(v => Parses(v, format));
            var monthFirst = twin is not null && distinct.All(v => Parses(v, twin));
            if (dayFirst != monthFirst)
            {
                return new DateFormatGuess(dayFirst ? format : twin, null, twin is null ? "every sampled value fits" : "a day above 12 decides day and month");
            }

            if (!dayFirst)
            {
                continue;
            }

            // Every value reads both ways. In a time-ordered log the day changes more often than the month.
            var days = distinct.Select(v => Parse(v, format)).Select(d => d.Day).Distinct().Count();
            var months = distinct.Select(v => Parse(v, format)).Select(d => d.Month).Distinct().Count();
            return days >= months
                ? new DateFormatGuess(format, twin, $"ambiguous: no sampled day is above 12; {format} because its day position varies more ({days} values against {months})")
                : new DateFormatGuess(twin, format, $"ambiguous: no sampled day is above 12; {twin} because its day position varies more ({months} values against {days})");
        }

        return null;
    }

    private static bool IsIso(string value)
    {
        Span<byte> bytes = stackalloc byte[64];
        return value.Length <= 64 && Encoding.UTF8.TryGetBytes(value.Trim(), bytes, out var n) && FieldParsers.TryParseIsoDate(bytes[..n], out var d) && d.Year is >= MinYear and <= MaxYear;
    }

    private static bool Parses(string value, string format) =>
        DateTime.TryParseExact(value.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var d) && d.Year is >= MinYear and <= MaxYear;

    private static DateTime Parse(string value, string format) =>
        DateTime.ParseExact(value.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces);

    private static (string, string?)[] BuildCandidates()
    {
        var dates = new List<(string, string?)> { ("yyyyMMdd", null) };
        foreach (var s in new[] { "/", "." })
        {
            dates.Add(($"yyyy{s}MM{s}dd", null));
            dates.Add(($"yyyy{s}M{s}d", null));
        }

        foreach (var s in new[] { ".", "/", "-" })
        {
            foreach (var (d, m, y) in new[] { ("dd", "MM", "yyyy"), ("d", "M", "yyyy"), ("dd", "MM", "yy"), ("d", "M", "yy") })
            {
                dates.Add(($"{d}{s}{m}{s}{y}", $"{m}{s}{d}{s}{y}"));
            }
        }

        return [.. Times.SelectMany(t => dates.Select(p => (p.Item1 + t, p.Item2 is null ? null : p.Item2 + t)))];
    }
}
