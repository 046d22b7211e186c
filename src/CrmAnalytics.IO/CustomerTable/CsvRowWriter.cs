using System.Buffers;
using System.Globalization;
using System.Text.Unicode;

namespace CrmAnalytics.IO.CustomerTable;

/// <summary>
/// Formats the cells of one row as UTF-8 into one reused buffer, each value once, so that the same cells can go to
/// <c>customers.csv</c> and to a segment file without a string per cell. The bytes are those of CsvHelper's writer with
/// <see cref="CsvOutput.For"/>'s options and <see cref="CsvOutput.WriteText"/> (the tests compare the two).
/// </summary>
internal sealed class CsvRowWriter
{
    /// <summary>What CsvHelper's <c>CsvInjection.Escape</c> treats as the start of a formula (OWASP): = + - @, tab, CR.</summary>
    private static readonly SearchValues<char> FormulaStarts = SearchValues.Create("=+-@\t\r");

    private readonly SearchValues<char> _needsQuotes;
    private readonly IFormatProvider _format;
    private readonly byte[] _negativeSign;
    private readonly byte[] _decimalSeparator;
    private byte[] _bytes = new byte[4096];
    private int[] _ends;
    private int _cells;

    public CsvRowWriter(CsvDialect dialect, int cells)
    {
        var options = CsvOutput.For(dialect);
        Separator = (byte)options.Separator;
        _format = options.FormatProvider ?? CultureInfo.InvariantCulture;
        _needsQuotes = SearchValues.Create([options.Separator, '"', '\r', '\n']);
        ByteOrderMark = options.WriteByteOrderMark;
        _ends = new int[Math.Max(1, cells)];
        var numbers = NumberFormatInfo.GetInstance(_format);
        _negativeSign = System.Text.Encoding.UTF8.GetBytes(numbers.NegativeSign);
        _decimalSeparator = System.Text.Encoding.UTF8.GetBytes(numbers.NumberDecimalSeparator);
    }

    public byte Separator { get; }

    /// <summary>Whether files of this dialect start with a UTF-8 byte order mark.</summary>
    public bool ByteOrderMark { get; }

    /// <summary>The cells formatted since the last <see cref="Clear"/>.</summary>
    public int Count => _cells;

    /// <summary>Starts a new row.</summary>
    public void Clear() => _cells = 0;

    /// <summary>The UTF-8 bytes of cell <paramref name="index"/> of this row, quoted as needed.</summary>
    public ReadOnlySpan<byte> Cell(int index) => _bytes.AsSpan(index == 0 ? 0 : _ends[index - 1], _ends[index] - (index == 0 ? 0 : _ends[index - 1]));

    /// <summary>An empty cell: null.</summary>
    public void Null() => End(Start());

    /// <summary>
    /// A text cell: a leading <c>'</c> is doubled and a formula start gets one (<see cref="CsvOutput.WriteText"/>), and
    /// the cell is quoted, with quotes doubled, when it holds the separator, a quote, CR or LF, or was a formula.
    /// </summary>
    public void Text(string? value)
    {
        var text = value.AsSpan();
        var formula = text.Length > 0 && FormulaStarts.Contains(text[0]);
        var prefixed = formula || (text.Length > 0 && text[0] == CsvOutput.Neutraliser);
        var quoted = formula || text.ContainsAny(_needsQuotes);
        var at = Start();
        Ensure(at, 3 + (3 * text.Length)); // 3 UTF-8 bytes per UTF-16 unit at most; a doubled quote takes 2.
        if (quoted)
        {
            _bytes[at++] = (byte)'"';
        }

        if (prefixed)
        {
            _bytes[at++] = (byte)CsvOutput.Neutraliser;
        }

        Utf8.FromUtf16(text, _bytes.AsSpan(at), out _, out var written, replaceInvalidSequences: true);
        if (quoted)
        {
            var quotes = _bytes.AsSpan(at, written).Count((byte)'"');
            for (int from = written - 1, to = written - 1 + quotes; to > from; from--)
            {
                var b = _bytes[at + from];
                _bytes[at + to--] = b;
                if (b == '"')
                {
                    _bytes[at + to--] = b;
                }
            }

            at += written + quotes;
            _bytes[at++] = (byte)'"';
        }
        else
        {
            at += written;
        }

        End(at);
    }

    /// <summary>A number in the dialect's culture, doubles as the shortest text that round-trips.</summary>
    public void Number<T>(T value)
        where T : IUtf8SpanFormattable
    {
        var start = Start();
        int written;
        while (!value.TryFormat(_bytes.AsSpan(start), out written, default, _format))
        {
            Array.Resize(ref _bytes, _bytes.Length * 2);
        }

        End(start + written);
    }

    /// <summary>
    /// A double rounded for people by <paramref name="rounding"/>: the bytes of
    /// <c>Number(CustomerCsvWriter.Round(value, rounding))</c>, without formatting the rounded double where that is not
    /// needed (the tests compare the two over many values).
    /// </summary>
    public void Rounded(double value, CsvRounding? rounding)
    {
        var done = rounding switch
        {
            CsvRounding.Cents => TryCents(value),
            CsvRounding.SignificantDigits6 => TrySignificantDigits6(value),
            _ => false,
        };
        if (!done)
        {
            Number(CustomerCsvWriter.Round(value, rounding));
        }
    }

    /// <summary>
    /// The ISO date yyyy-MM-dd in the Gregorian calendar, whatever the dialect's number format or the process culture:
    /// formatted through a provider without a calendar (the Excel dialect's numbers), DateOnly fell back to the current
    /// culture's, and a Thai locale wrote the Buddhist year (2567-03-10 for 2024-03-10).
    /// </summary>
    public void Date(DateOnly value)
    {
        var start = Start();
        Ensure(start, 10);
        value.Deconstruct(out var year, out var month, out var day);
        var bytes = _bytes.AsSpan(start, 10);
        bytes[0] = (byte)('0' + year / 1000);
        bytes[1] = (byte)('0' + year / 100 % 10);
        bytes[2] = (byte)('0' + year / 10 % 10);
        bytes[3] = (byte)('0' + year % 10);
        bytes[4] = (byte)'-';
        bytes[5] = (byte)('0' + month / 10);
        bytes[6] = (byte)('0' + month % 10);
        bytes[7] = (byte)'-';
        bytes[8] = (byte)('0' + day / 10);
        bytes[9] = (byte)('0' + day % 10);
        End(start + 10);
    }

    /// <summary>
    /// Money to cents, written from the whole number of cents. When <c>c / 100.0</c> is the rounded double and |c| &lt;
    /// 10^15, the rounded double is the one nearest the decimal c/100, which has at most 15 significant digits; no other
    /// decimal of 15 digits or fewer is nearer to it, so its shortest round-trip text is that decimal, without trailing
    /// zeros (12.5, 100), with the sign of the double (-0 included). Otherwise (NaN, ±∞, 10^13 and above) false.
    /// </summary>
    private bool TryCents(double value)
    {
        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        var cents = Math.Round(rounded * 100);
        if (!(Math.Abs(cents) < 1e15) || cents / 100 != rounded)
        {
            return false;
        }

        var at = Start();
        Ensure(at, 16 + _negativeSign.Length + _decimalSeparator.Length);
        if (double.IsNegative(rounded))
        {
            _negativeSign.CopyTo(_bytes, at);
            at += _negativeSign.Length;
        }

        var (whole, fraction) = Math.DivRem((ulong)Math.Abs(cents), 100UL);
        whole.TryFormat(_bytes.AsSpan(at), out var written, default, CultureInfo.InvariantCulture);
        at += written;
        if (fraction != 0)
        {
            _decimalSeparator.CopyTo(_bytes, at);
            at += _decimalSeparator.Length;
            _bytes[at++] = (byte)('0' + (fraction / 10));
            if (fraction % 10 != 0)
            {
                _bytes[at++] = (byte)('0' + (fraction % 10));
            }
        }

        End(at);
        return true;
    }

    /// <summary>
    /// Six significant digits, written as the "G6" text itself when that has no exponent: the double nearest that text
    /// (at most 6 digits) has it as its shortest round-trip text, laid out the same (fixed-point from 10^-5 up to 10^6
    /// in both). With an exponent (below 10^-4, from 10^6 up, NaN and ±∞ are left out first) false.
    /// </summary>
    private bool TrySignificantDigits6(double value)
    {
        if (!double.IsFinite(value))
        {
            return false;
        }

        if (TryFixedSignificantDigits6(value))
        {
            return true;
        }

        var at = Start();
        Ensure(at, 64);
        if (!value.TryFormat(_bytes.AsSpan(at), out var written, "G6", _format) || _bytes.AsSpan(at, written).Contains((byte)'E'))
        {
            return false;
        }

        End(at + written);
        return true;
    }

    /// <summary>Powers of ten from 10^0 to 10^9, each exact in a double.</summary>
    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

    /// <summary>The doubles nearest 10^-4 … 10^5 (index e + 4).</summary>
    private static readonly double[] DecimalExponents = [1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4, 1e5];

    /// <summary>
    /// The "G6" text of a value from 10^-4 up to 10^6 (fixed-point in "G6"), without the general formatter: the value
    /// is scaled by an exact power of ten to [10^5, 10^6), where the one rounding of the product is at most 2^-34 off,
    /// and the integer nearest it is the six digits. A product within 10^-6 of a tie (x.5), where that error could
    /// decide, is left to the general formatter, as are 0, the values near the ends and those that round up to 10^6.
    /// </summary>
    private bool TryFixedSignificantDigits6(double value)
    {
        var magnitude = Math.Abs(value);
        if (!(magnitude >= 1e-4 && magnitude < 1e6))
        {
            return false;
        }

        // The decimal exponent e: 10^e <= magnitude < 10^(e+1), found on the doubles nearest the powers, then checked
        // on the scaled value.
        var exponent = 5;
        while (exponent > -4 && magnitude < DecimalExponents[exponent + 4])
        {
            exponent--;
        }

        var scaled = magnitude * PowersOfTen[5 - exponent];
        if (scaled < 1e5)
        {
            if (--exponent < -4)
            {
                return false;
            }

            scaled = magnitude * PowersOfTen[5 - exponent];
        }
        else if (scaled >= 1e6)
        {
            if (++exponent > 5)
            {
                return false;
            }

            scaled = magnitude * PowersOfTen[5 - exponent];
        }

        var whole = Math.Floor(scaled);
        var fraction = scaled - whole;
        if (Math.Abs(fraction - 0.5) < 1e-6 || !(scaled >= 1e5 && scaled < 1e6))
        {
            return false;
        }

        var digits = (int)whole + (fraction > 0.5 ? 1 : 0);
        if (digits == 1_000_000)
        {
            // 999999.5 and up round to 10^(e+1): one digit more before the point.
            if (++exponent > 5)
            {
                return false;
            }

            digits = 100_000;
        }

        Span<byte> text = stackalloc byte[6];
        for (var i = 5; i >= 0; i--)
        {
            (digits, var digit) = Math.DivRem(digits, 10);
            text[i] = (byte)('0' + digit);
        }

        var significant = 6;
        while (text[significant - 1] == '0')
        {
            significant--;
        }

        var at = Start();
        Ensure(at, 16 + _negativeSign.Length + _decimalSeparator.Length);
        if (value < 0)
        {
            _negativeSign.CopyTo(_bytes, at);
            at += _negativeSign.Length;
        }

        if (exponent >= 0)
        {
            // exponent + 1 digits before the point (zeros where the significant ones end), the rest after it.
            for (var i = 0; i <= exponent; i++)
            {
                _bytes[at++] = i < significant ? text[i] : (byte)'0';
            }

            if (significant > exponent + 1)
            {
                _decimalSeparator.CopyTo(_bytes, at);
                at += _decimalSeparator.Length;
                text[(exponent + 1)..significant].CopyTo(_bytes.AsSpan(at));
                at += significant - exponent - 1;
            }
        }
        else
        {
            _bytes[at++] = (byte)'0';
            _decimalSeparator.CopyTo(_bytes, at);
            at += _decimalSeparator.Length;
            for (var i = -1; i > exponent; i--)
            {
                _bytes[at++] = (byte)'0';
            }

            text[..significant].CopyTo(_bytes.AsSpan(at));
            at += significant;
        }

        End(at);
        return true;
    }

    private int Start()
    {
        if (_cells == _ends.Length)
        {
            Array.Resize(ref _ends, _ends.Length * 2);
        }

        return _cells == 0 ? 0 : _ends[_cells - 1];
    }

    private void End(int end) => _ends[_cells++] = end;

    private void Ensure(int at, int bytes)
    {
        if (at + bytes > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, at + bytes));
        }
    }
}
