using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CrmAnalytics.IO.Input;

/// <summary>Culture-explicit parsing of dates and numbers straight from UTF-8 bytes.</summary>
internal sealed class FieldParsers
{
    private readonly string? _dateFormat;
    private readonly NumberFormatInfo _numbers;
    private readonly bool _fastPath;
    private readonly NumberStyles _styles;

    /// <param name="thousandsSeparator">Digit-group separator numbers may carry (<c>1,234.50</c>, <c>1.234,50</c>), or null for none.</param>
    public FieldParsers(string? dateFormat, char decimalSeparator, char? thousandsSeparator = null)
    {
        _dateFormat = dateFormat;
        _fastPath = decimalSeparator == '.' && thousandsSeparator is null;
        _styles = thousandsSeparator is null ? NumberStyles.Float : NumberStyles.Float | NumberStyles.AllowThousands;
        _numbers = new NumberFormatInfo
        {
            NumberDecimalSeparator = decimalSeparator.ToString(),
            NumberGroupSeparator = thousandsSeparator?.ToString() ?? NumberFormatInfo.InvariantInfo.NumberGroupSeparator,
            NegativeSign = "-",
            PositiveSign = "+",
        };
    }

    public bool TryParseDate(ReadOnlySpan<byte> utf8, out DateOnly date)
    {
        utf8 = utf8.Trim((byte)' ');
        if (_dateFormat is null)
        {
            return TryParseIsoDate(utf8, out date);
        }

        if (_dateFormat == "yyyyMMdd")
        {
            return TryParseCompactDate(utf8, out date);
        }

        Span<char> chars = stackalloc char[64];
        if (utf8.Length > chars.Length || !Encoding.UTF8.TryGetChars(utf8, chars, out var n))
        {
            date = default;
            return false;
        }

        return TryParseDate(chars[..n], out date);
    }

    public bool TryParseDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        text = text.Trim();
        if (_dateFormat is null)
        {
            Span<byte> bytes = stackalloc byte[64];
            if (text.Length > bytes.Length || !Encoding.UTF8.TryGetBytes(text, bytes, out var n))
            {
                date = default;
                return false;
            }

            return TryParseIsoDate(bytes[..n], out date);
        }

        if (DateTime.TryParseExact(text, _dateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dt))
        {
            date = DateOnly.FromDateTime(dt);
            return true;
        }

        date = default;
        return false;
    }

    public bool TryParseNumber(ReadOnlySpan<byte> utf8, out double value)
    {
        utf8 = utf8.Trim((byte)' ');
        if (utf8.IsEmpty)
        {
            value = 0;
            return false;
        }

        if (_fastPath && Utf8Parser.TryParse(utf8, out value, out var consumed) && consumed == utf8.Length)
        {
            return true;
        }

        return double.TryParse(utf8, _styles, _numbers, out value);
    }

    public bool TryParseNumber(ReadOnlySpan<char> text, out double value) =>
        double.TryParse(text.Trim(), _styles, _numbers, out value);

    /// <summary>yyyy-MM-dd, optionally followed by ' ' or 'T' and a time that is not used.</summary>
    internal static bool TryParseIsoDate(ReadOnlySpan<byte> s, out DateOnly date)
    {
        date = default;
        if (s.Length < 10 || s[4] != (byte)'-' || s[7] != (byte)'-')
        {
            return false;
        }

        if (s.Length > 10 && s[10] is not ((byte)' ' or (byte)'T'))
        {
            return false;
        }

        return TryDigits(s[..4], out var y) && TryDigits(s.Slice(5, 2), out var m) && TryDigits(s.Slice(8, 2), out var d)
            && TryMake(y, m, d, out date);
    }

    internal static bool TryParseCompactDate(ReadOnlySpan<byte> s, out DateOnly date)
    {
        date = default;
        return s.Length == 8 && TryDigits(s[..4], out var y) && TryDigits(s.Slice(4, 2), out var m) && TryDigits(s.Slice(6, 2), out var d)
            && TryMake(y, m, d, out date);
    }

    private static bool TryMake(int y, int m, int d, out DateOnly date)
    {
        date = default;
        if (y < 1 || m < 1 || m > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        date = new DateOnly(y, m, d);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            var digit = b - (byte)'0';
            if ((uint)digit > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }
}
