using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>Reads files whose fields are separated by runs of spaces or tabs, such as the CDNOW exports.</summary>
internal static class WhitespaceTransactionSource
{
    private const int MaxFields = 64;

    public static void Read(Stream stream, TransactionReadOptions options, TransactionRowHandler handler)
    {
        var encoding = TransactionReadOptions.TryGetEncoding(options.Encoding) ?? Encoding.UTF8;
        using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        var parsers = new FieldParsers(options.DateFormat, options.DecimalSeparator, options.ThousandsSeparator);
        Span<Range> ranges = stackalloc Range[MaxFields];
        long lineNumber = 0;
        ResolvedColumns? cols = null;
        var expectedFields = -1;
        if (!options.HasHeader)
        {
            cols = ResolvedColumns.Resolve(options.Mapping, null, handler.NeedsOrderId, handler.FileName);
        }

        byte[] rawBuffer = new byte[1024];
        while (text.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var span = line.AsSpan();
            var count = Split(span, ranges);
            if (cols is null)
            {
                var header = new string[count];
                for (var i = 0; i < count; i++)
                {
                    header[i] = span[ranges[i]].ToString();
                }

                cols = ResolvedColumns.Resolve(options.Mapping, header, handler.NeedsOrderId, handler.FileName);
                expectedFields = count;
                continue;
            }

            if (expectedFields < 0)
            {
                expectedFields = count;
            }

            var raw = Raw(line, ref rawBuffer);
            if (count != expectedFields || count <= cols.MaxIndex)
            {
                handler.Reject(lineNumber, string.Empty, RejectReason.WrongColumnCount, raw);
                continue;
            }

            if (!parsers.TryParseDate(span[ranges[cols.Date]], out var date))
            {
                handler.Reject(lineNumber, cols.Names.Date, RejectReason.UnparseableDate, raw);
                continue;
            }

            double amount;
            if (cols.Amount >= 0)
            {
                if (!parsers.TryParseNumber(span[ranges[cols.Amount]], out amount))
                {
                    handler.Reject(lineNumber, cols.Names.Amount, RejectReason.UnparseableAmount, raw);
                    continue;
                }
            }
            else
            {
                if (!parsers.TryParseNumber(span[ranges[cols.Quantity]], out var qty))
                {
                    handler.Reject(lineNumber, cols.Names.Quantity, RejectReason.UnparseableAmount, raw);
                    continue;
                }

                if (!parsers.TryParseNumber(span[ranges[cols.UnitPrice]], out var price))
                {
                    handler.Reject(lineNumber, cols.Names.UnitPrice, RejectReason.UnparseableAmount, raw);
                    continue;
                }

                amount = qty * price;
            }

            var order = cols.OrderId >= 0 ? span[ranges[cols.OrderId]] : default;
            handler.Handle(lineNumber, span[ranges[cols.CustomerId]], date, amount, order, cols.Names, raw);
        }

        if (cols is null)
        {
            throw new InputException($"{handler.FileName}: the file is empty (no header line).");
        }
    }

    private static ReadOnlySpan<byte> Raw(string line, ref byte[] buffer)
    {
        var max = Encoding.UTF8.GetMaxByteCount(line.Length);
        if (buffer.Length < max)
        {
            buffer = new byte[max];
        }

        var n = Encoding.UTF8.GetBytes(line, buffer);
        return buffer.AsSpan(0, n);
    }

    private static int Split(ReadOnlySpan<char> line, Span<Range> ranges)
    {
        var count = 0;
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            if (i == line.Length)
            {
                break;
            }

            var start = i;
            while (i < line.Length && line[i] is not (' ' or '\t'))
            {
                i++;
            }

            if (count == ranges.Length)
            {
                return count + 1;
            }

            ranges[count++] = new Range(start, i);
        }

        return count;
    }
}
