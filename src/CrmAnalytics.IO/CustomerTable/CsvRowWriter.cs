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

    /// <summary>A date as <c>yyyy-MM-dd</c>.</summary>
    public void Date(DateOnly value)
    {
        var start = Start();
        Ensure(start, 16);
        value.TryFormat(_bytes.AsSpan(start), out var written, "yyyy-MM-dd", _format);
        End(start + written);
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

        var at = Start();
        Ensure(at, 64);
        if (!value.TryFormat(_bytes.AsSpan(at), out var written, "G6", _format) || _bytes.AsSpan(at, written).Contains((byte)'E'))
        {
            return false;
        }

        End(at + written);
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
