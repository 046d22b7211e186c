using System.Collections.Concurrent;
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
        // The reading thread reports malformed quoting before the record's batch reaches a worker.
        var malformed = new ConcurrentDictionary<long, CsvMalformedReason>();
        using var reader = Open(stream, options.Separator, options.HasHeader, TransactionReadOptions.TryGetEncoding(options.Encoding), handler.FileName, malformed, out var header);
        var cols = ResolvedColumns.Resolve(options.Mapping, header, handler.NeedsOrderId, handler.FileName);
        var parser = new RowParser(cols, new FieldParsers(options.DateFormat, options.DecimalSeparator), handler.Rules, header?.Length ?? -1, malformed);
        var threads = options.Threads > 0 ? options.Threads : -1;
        try
        {
            foreach (var row in reader.ParallelEnumerate(parser.Parse, threads))
            {
                if (row.Outcome == RowOutcome.Rejected)
                {
                    handler.Reject(row.Line, row.Column, row.Reason, row.Raw);
                }
                else
                {
                    handler.Accept(row.Outcome, row.CustomerId, row.Date, row.Amount);
                }
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
        ConcurrentDictionary<long, CsvMalformedReason> malformed, out string[]? header)
    {
        var csvOptions = new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = hasHeader,
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = true,
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

    /// <summary>One parsed record: an accepted row's values, or a reject with its raw bytes.</summary>
    private readonly record struct ParsedRow(RowOutcome Outcome, RejectReason Reason, string Column, string? CustomerId, DateOnly Date, double Amount, long Line, byte[]? Raw);

    /// <summary>Runs on the parsing threads: field parsing and the row rules, no shared mutable state.</summary>
    private sealed class RowParser(ResolvedColumns cols, FieldParsers parsers, RowRules rules, int expectedFields, ConcurrentDictionary<long, CsvMalformedReason> malformed)
    {
        public ParsedRow Parse(CsvReader reader)
        {
            var line = reader.LineNumber;
            if (!malformed.IsEmpty && malformed.TryRemove(line, out _))
            {
                return Reject(reader, line, string.Empty, RejectReason.MalformedQuoting);
            }

            if ((expectedFields >= 0 && reader.FieldCount != expectedFields) || reader.FieldCount <= cols.MaxIndex)
            {
                return Reject(reader, line, string.Empty, RejectReason.WrongColumnCount);
            }

            if (!parsers.TryParseDate(reader.GetSpan(cols.Date), out var date))
            {
                return Reject(reader, line, cols.Names.Date, RejectReason.UnparseableDate);
            }

            if (!TryAmount(reader, cols, parsers, out var amount, out var badColumn))
            {
                return Reject(reader, line, badColumn, RejectReason.UnparseableAmount);
            }

            Span<char> idBuffer = stackalloc char[256];
            Span<char> orderBuffer = stackalloc char[64];
            var id = Decode(reader.GetSpan(cols.CustomerId), idBuffer);
            var order = cols.OrderId >= 0 ? Decode(reader.GetSpan(cols.OrderId), orderBuffer) : default;
            var outcome = rules.Evaluate(id, date, amount, order, cols.Names, out var reason, out var column);
            return outcome == RowOutcome.Rejected
                ? Reject(reader, line, column, reason)
                : new ParsedRow(outcome, default, string.Empty, id.Trim().ToString(), date, amount, line, null);
        }

        private static ParsedRow Reject(CsvReader reader, long line, string column, RejectReason reason) =>
            new(RowOutcome.Rejected, reason, column, null, default, 0, line, reader.RawRecord.ToArray());
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
