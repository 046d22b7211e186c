using System.Globalization;
using CsvHelper;

namespace CrmAnalytics.IO.CustomerTable;

/// <summary>The CSV dialect of every file the engine writes, and the Excel dialect the customer lists may use instead.</summary>
internal static class CsvOutput
{
    /// <summary>
    /// RFC 4180 (comma, CRLF, quotes only when needed), UTF-8 without BOM, invariant culture, and text cells that start
    /// with = + - @, tab or CR prefixed with ' so spreadsheets show them as text (OWASP CSV injection). Numbers, dates and
    /// booleans are never prefixed, so -5.5 stays a number.
    /// </summary>
    public static CsvWriterOptions Options { get; } = new()
    {
        Separator = ',',
        NewLine = "\r\n",
        Quoting = CsvQuoting.WhenNeeded,
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
        WriteByteOrderMark = false,
        NullValue = string.Empty,
    };

    /// <summary>The invariant culture's number format with ',' as the decimal separator: what <see cref="CsvDialect.Excel"/> writes and reads.</summary>
    public static NumberFormatInfo ExcelNumbers { get; } = NumberFormatInfo.ReadOnly(new NumberFormatInfo
    {
        NumberDecimalSeparator = ",",
        NumberGroupSeparator = ".",
    });

    /// <summary>
    /// <see cref="Options"/> as Excel reads them in a decimal-comma locale (<see cref="CsvDialect.Excel"/>): a UTF-8 BOM, so
    /// non-ASCII text is not read as ANSI; ';', Excel's list separator there; and numbers with ',' as the decimal separator
    /// (still the shortest text that round-trips, no thousands separators). Dates, integers, quoting, line ends and the
    /// formula neutraliser are the same.
    /// </summary>
    public static CsvWriterOptions ExcelOptions { get; } = Options with
    {
        Separator = ';',
        FormatProvider = ExcelNumbers,
        WriteByteOrderMark = true,
    };

    /// <summary>The writer options of <paramref name="dialect"/>.</summary>
    public static CsvWriterOptions For(CsvDialect dialect) => dialect switch
    {
        CsvDialect.Rfc4180 => Options,
        CsvDialect.Excel => ExcelOptions,
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Unknown CSV dialect."),
    };

    /// <summary>The character <see cref="CsvInjection.Escape"/> puts in front of a text cell that starts like a formula.</summary>
    public const char Neutraliser = '\'';

    /// <summary>
    /// Writes a text cell so that the neutralising <c>'</c> is reversible: a cell that starts with = + - @, tab or CR gets
    /// a leading <c>'</c> (the writer's <see cref="Options"/>), and so does one that already starts with <c>'</c>
    /// (here, because the writer cannot treat <c>'</c> as a formula character). So <c>=x</c> is written <c>'=x</c>,
    /// <c>'=x</c> is written <c>''=x</c>, and every written cell that starts with <c>'</c> carries exactly one added
    /// <c>'</c>, which <see cref="ReadText"/> removes.
    /// </summary>
    public static void WriteText(CsvWriter csv, string? value)
    {
        if (value is { Length: > 0 } && value[0] == Neutraliser)
        {
            csv.WriteField(Neutraliser + value);
        }
        else
        {
            csv.WriteField(value ?? string.Empty);
        }
    }

    /// <summary>The text a cell of a CSV written by <see cref="WriteText"/> holds: one leading <c>'</c> removed.</summary>
    public static string ReadText(string cell) =>
        cell.Length > 0 && cell[0] == Neutraliser ? cell[1..] : cell;
}
