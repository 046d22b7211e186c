using System.Globalization;
using CsvHelper;

namespace CrmAnalytics.IO.Output;

/// <summary>The one CSV dialect of every file the engine writes.</summary>
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
}
