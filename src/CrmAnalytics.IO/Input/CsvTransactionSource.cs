using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CsvHelper;

namespace CrmAnalytics.IO.Input;

/// <summary>
/// Reads delimited text with CsvHelper 34's span API, one record at a time in its read buffer: no string per field or
/// row, and no per-row object. Rows reach the handler in input order, so rejects keep their order.
/// </summary>
internal static class CsvTransactionSource
{
    /// <summary>A physical line longer than this is not a transaction record; reading fails rather than buffer it.</summary>
    private const int MaxRecordBytes = 1 << 20;

    public static void Read(Stream stream, TransactionReadOptions options, TransactionRowHandler handler)
    {
        // CsvHelper reports malformed quoting while scanning, before the record is returned.
        var malformed = new Dictionary<long, CsvMalformedReason>();
        using var reader = Open(stream, options.Separator, options.HasHeader, TransactionReadOptions.TryGetEncoding(options.Encoding), handler.FileName, malformed, out var header);
        var cols = ResolvedColumns.Resolve(options.Mapping, header, handler.NeedsOrderId, handler.FileName);
        var parser = new RowParser(cols, new FieldParsers(options.DateFormat, options.DecimalSeparator, options.ThousandsSeparator), handler, header?.Length ?? -1, malformed);
        try
        {
            // CsvHelper scans a record in a few nanoseconds; the customer table is the cost, so it gets the second core.
            if (options.Threads == 1 || Environment.ProcessorCount == 1)
            {
                parser.ReadAll(reader);
            }
            else
            {
                handler.WithPipeline(() => parser.ReadAll(reader));
            }
        }
        catch (CsvFormatException ex)
        {
            throw new InputException($"{handler.FileName}: line {ex.LineNumber}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Opens a CSV reader in the engine's dialect and reads the header. Records with malformed quoting are noted in
    /// <paramref name="malformed"/> by line, for the caller to reject.
    /// </summary>
    /// <exception cref="InputException">The header cannot be read or the file is empty.</exception>
    internal static CsvReader Open(Stream stream, char separator, bool hasHeader, Encoding? encoding, string fileName,
        IDictionary<long, CsvMalformedReason> malformed, out string[]? header)
    {
        var csvOptions = new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = hasHeader,
            TrackLineNumbers = true,
            // A quoted field ends at the end of its physical line: one unterminated quote costs one line
            // (malformed_quoting), never the rest of the file. No real export we read has line breaks inside fields.
            AllowLineBreaksInQuotes = false,
            SkipEmptyLines = true,
            MaxRecordSize = MaxRecordBytes,
            Encoding = encoding,
            IncludeValuesInExceptions = false,
            OnMalformedRecord = m =>
            {
                if (m.Reason is CsvMalformedReason.UnterminatedQuote or CsvMalformedReason.LineBreakInQuotes)
                {
                    malformed[m.LineNumber] = m.Reason;
                }
            },
        };

        var reader = CsvReader.Create(stream, csvOptions, leaveOpen: true);
        try
        {
            header = hasHeader ? reader.Headers.ToArray() : null;
        }
        catch (CsvFormatException ex)
        {
            reader.Dispose();
            throw new InputException($"{fileName}: the header cannot be read ({ex.Message}).", ex);
        }

        if (header is { Length: 0 })
        {
            reader.Dispose();
            throw new InputException($"{fileName}: the file is empty (no header line).");
        }

        return reader;
    }

    /// <summary>Parses each record in place from the reader's buffer and hands it to the row handler, in input order.</summary>
    private sealed class RowParser(ResolvedColumns cols, FieldParsers parsers, TransactionRowHandler handler, int expectedFields, Dictionary<long, CsvMalformedReason> malformed)
    {
        public void ReadAll(CsvReader reader)
        {
            while (reader.Read())
            {
                Parse(reader);
            }
        }

        private void Parse(CsvReader reader)
        {
            var line = reader.LineNumber;
            if (malformed.Count > 0 && malformed.Remove(line))
            {
                handler.Reject(line, string.Empty, RejectReason.MalformedQuoting, reader.RawRecord);
                return;
            }

            if ((expectedFields >= 0 && reader.FieldCount != expectedFields) || reader.FieldCount <= cols.MaxIndex)
            {
                handler.Reject(line, string.Empty, RejectReason.WrongColumnCount, reader.RawRecord);
                return;
            }

            if (!parsers.TryParseDate(reader.GetSpan(cols.Date), out var date))
            {
                handler.Reject(line, cols.Names.Date, RejectReason.UnparseableDate, reader.RawRecord);
                return;
            }

            if (!TryAmount(reader, cols, parsers, out var amount, out var badColumn))
            {
                handler.Reject(line, badColumn, RejectReason.UnparseableAmount, reader.RawRecord);
                return;
            }

            Span<char> idBuffer = stackalloc char[256];
            Span<char> orderBuffer = stackalloc char[64];
            var id = Decode(reader.GetSpan(cols.CustomerId), idBuffer);
            var order = cols.OrderId >= 0 ? Decode(reader.GetSpan(cols.OrderId), orderBuffer) : default;
            handler.Handle(line, id, date, amount, order, cols.Names, reader.RawRecord);
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
