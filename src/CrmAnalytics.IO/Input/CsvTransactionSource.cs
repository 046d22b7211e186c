using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CsvHelper;

namespace CrmAnalytics.IO.Input;

/// <summary>Reads delimited text with CsvHelper 34's span API: no string per field except customer ids.</summary>
internal static class CsvTransactionSource
{
    /// <summary>A record longer than this is an unterminated quote swallowing the file, not data.</summary>
    private const int MaxRecordBytes = 1 << 20;

    public static void Read(Stream stream, TransactionReadOptions options, TransactionRowHandler handler)
    {
        CsvMalformedReason? pending = null;
        var csvOptions = new CsvReaderOptions
        {
            Separator = options.Separator,
            HasHeader = options.HasHeader,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            MaxRecordSize = MaxRecordBytes,
            Encoding = TransactionReadOptions.TryGetEncoding(options.Encoding),
            IncludeValuesInExceptions = false,
            OnMalformedRecord = m => pending = m.Reason,
        };

        using var reader = CsvReader.Create(stream, csvOptions, leaveOpen: true);
        string[]? header;
        try
        {
            header = options.HasHeader ? reader.Headers.ToArray() : null;
        }
        catch (CsvFormatException ex)
        {
            throw new InputException($"{handler.FileName}: the header cannot be read ({ex.Message}).", ex);
        }

        if (header is { Length: 0 })
        {
            throw new InputException($"{handler.FileName}: the file is empty (no header line).");
        }

        var cols = ResolvedColumns.Resolve(options.Mapping, header, handler.NeedsOrderId, handler.FileName);
        var parsers = new FieldParsers(options.DateFormat, options.DecimalSeparator);
        var expectedFields = header?.Length ?? -1;
        Span<char> idBuffer = stackalloc char[256];
        Span<char> orderBuffer = stackalloc char[64];

        while (true)
        {
            try
            {
                if (!reader.Read())
                {
                    break;
                }
            }
            catch (CsvFormatException ex)
            {
                throw new InputException($"{handler.FileName}: line {ex.LineNumber}: {ex.Message}", ex);
            }

            var line = reader.LineNumber;
            var raw = reader.RawRecord;
            if (pending is CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes)
            {
                pending = null;
                handler.Reject(line, string.Empty, RejectReason.MalformedQuoting, raw);
                continue;
            }

            pending = null;
            if (expectedFields < 0)
            {
                expectedFields = reader.FieldCount;
            }

            if (reader.FieldCount != expectedFields || reader.FieldCount <= cols.MaxIndex)
            {
                handler.Reject(line, string.Empty, RejectReason.WrongColumnCount, raw);
                continue;
            }

            if (!parsers.TryParseDate(reader.GetSpan(cols.Date), out var date))
            {
                handler.Reject(line, cols.Names.Date, RejectReason.UnparseableDate, raw);
                continue;
            }

            if (!TryAmount(reader, cols, parsers, out var amount, out var badColumn))
            {
                handler.Reject(line, badColumn, RejectReason.UnparseableAmount, raw);
                continue;
            }

            var id = Decode(reader.GetSpan(cols.CustomerId), idBuffer);
            var order = cols.OrderId >= 0 ? Decode(reader.GetSpan(cols.OrderId), orderBuffer) : default;
            handler.Handle(line, id, date, amount, order, cols.Names, raw);
        }
    }

    private static bool TryAmount(CsvReader reader, ResolvedColumns cols, FieldParsers parsers, out double amount, out string badColumn)
    {
        badColumn = string.Empty;
        if (cols.Amount >= 0)
        {
            badColumn = cols.Names.Amount;
            return parsers.TryParseNumber(reader.GetSpan(cols.Amount), out amount);
        }

        amount = 0;
        if (!parsers.TryParseNumber(reader.GetSpan(cols.Quantity), out var qty))
        {
            badColumn = cols.Names.Quantity;
            return false;
        }

        if (!parsers.TryParseNumber(reader.GetSpan(cols.UnitPrice), out var price))
        {
            badColumn = cols.Names.UnitPrice;
            return false;
        }

        amount = qty * price;
        return true;
    }

    private static ReadOnlySpan<char> Decode(ReadOnlySpan<byte> utf8, Span<char> buffer)
    {
        if (utf8.Length <= buffer.Length)
        {
            var n = Encoding.UTF8.GetChars(utf8, buffer);
            return buffer[..n];
        }

        return Encoding.UTF8.GetString(utf8);
    }
}
