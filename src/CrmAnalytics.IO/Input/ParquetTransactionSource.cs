using System.Globalization;
using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using Parquet;
using Parquet.Schema;

namespace CrmAnalytics.IO.Input;

/// <summary>
/// Reads Parquet one row group at a time, only the mapped columns, so memory grows with the row-group size.
/// Typed columns are used as they are; text columns are parsed as in CSV. The "line" of a reject is the 1-based row number.
/// </summary>
internal static class ParquetTransactionSource
{
    public static async Task ReadAsync(Stream stream, TransactionReadOptions options, TransactionRowHandler handler, CancellationToken cancellationToken)
    {
        var reader = await OpenAsync(stream, handler.FileName, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.DataFields;
            var names = fields.Select(f => f.Name).ToArray();
            var cols = ResolvedColumns.Resolve(options.Mapping, options.HasHeader ? names : null, handler.NeedsOrderId, handler.FileName);
            if (cols.MaxIndex >= fields.Length)
            {
                throw new InputException($"{handler.FileName}: column #{cols.MaxIndex + 1} is mapped but the file has {fields.Length} columns.");
            }

            var parsers = new FieldParsers(options.DateFormat, options.DecimalSeparator);
            long rowBase = 0;
            var raw = new StringBuilder();
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var group = reader.OpenRowGroupReader(g);
                var rows = checked((int)group.RowCount);
                var ids = await ReadColumnAsync(group, fields[cols.CustomerId], rows, cancellationToken).ConfigureAwait(false);
                var dates = await ReadColumnAsync(group, fields[cols.Date], rows, cancellationToken).ConfigureAwait(false);
                var amounts = cols.Amount >= 0 ? await ReadColumnAsync(group, fields[cols.Amount], rows, cancellationToken).ConfigureAwait(false) : null;
                var quantities = cols.Quantity >= 0 ? await ReadColumnAsync(group, fields[cols.Quantity], rows, cancellationToken).ConfigureAwait(false) : null;
                var prices = cols.UnitPrice >= 0 ? await ReadColumnAsync(group, fields[cols.UnitPrice], rows, cancellationToken).ConfigureAwait(false) : null;
                var orders = cols.OrderId >= 0 ? await ReadColumnAsync(group, fields[cols.OrderId], rows, cancellationToken).ConfigureAwait(false) : null;

                for (var i = 0; i < rows; i++)
                {
                    var rowNumber = rowBase + i + 1;
                    byte[] Raw()
                    {
                        raw.Clear();
                        Append(raw, cols.Names.CustomerId, ids.Text(i));
                        Append(raw, cols.Names.Date, dates.Text(i));
                        if (amounts is not null) Append(raw, cols.Names.Amount, amounts.Text(i));
                        if (quantities is not null) Append(raw, cols.Names.Quantity, quantities.Text(i));
                        if (prices is not null) Append(raw, cols.Names.UnitPrice, prices.Text(i));
                        if (orders is not null) Append(raw, "order_id", orders.Text(i));
                        return Encoding.UTF8.GetBytes(raw.ToString());
                    }

                    if (!dates.TryDate(i, parsers, out var date))
                    {
                        handler.Reject(rowNumber, cols.Names.Date, RejectReason.UnparseableDate, Raw());
                        continue;
                    }

                    double amount;
                    if (amounts is not null)
                    {
                        if (!amounts.TryNumber(i, parsers, out amount))
                        {
                            handler.Reject(rowNumber, cols.Names.Amount, RejectReason.UnparseableAmount, Raw());
                            continue;
                        }
                    }
                    else
                    {
                        if (!quantities!.TryNumber(i, parsers, out var qty))
                        {
                            handler.Reject(rowNumber, cols.Names.Quantity, RejectReason.UnparseableAmount, Raw());
                            continue;
                        }

                        if (!prices!.TryNumber(i, parsers, out var price))
                        {
                            handler.Reject(rowNumber, cols.Names.UnitPrice, RejectReason.UnparseableAmount, Raw());
                            continue;
                        }

                        amount = qty * price;
                    }

                    var id = ids.Text(i) ?? string.Empty;
                    var outcome = handler.Rules.Evaluate(id, date, amount, orders?.Text(i) ?? string.Empty, cols.Names, out var reason, out var column);
                    if (outcome == RowOutcome.Rejected)
                    {
                        handler.Reject(rowNumber, column, reason, Raw());
                    }
                    else
                    {
                        handler.Accept(outcome, id, date, amount);
                    }
                }

                rowBase += rows;
            }
        }
    }

    /// <exception cref="InputException">The stream is not a readable Parquet file.</exception>
    internal static async Task<ParquetReader> OpenAsync(Stream stream, string fileName, CancellationToken cancellationToken)
    {
        try
        {
            return await ParquetReader.CreateAsync(stream, new ParquetOptions { UseDateOnlyTypeForDates = true }, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new InputException($"{fileName}: not a readable Parquet file ({ex.GetType().Name}).", ex);
        }
    }

    internal static void Append(StringBuilder raw, string name, string? value)
    {
        if (raw.Length > 0)
        {
            raw.Append(',');
        }

        raw.Append(name).Append('=').Append(value);
    }

    internal static async Task<ParquetColumn> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[rows];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return new ParquetColumn(values, null, null);
        }

        if (type == typeof(DateTime))
        {
            var values = new DateTime?[rows];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return new ParquetColumn(null, null, values.Select(v => v is { } d ? DateOnly.FromDateTime(d) : (DateOnly?)null).ToArray());
        }

        if (type == typeof(DateTimeOffset))
        {
            var values = new DateTimeOffset?[rows];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return new ParquetColumn(null, null, values.Select(v => v is { } d ? DateOnly.FromDateTime(d.DateTime) : (DateOnly?)null).ToArray());
        }

        if (type == typeof(DateOnly))
        {
            var values = new DateOnly?[rows];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return new ParquetColumn(null, null, values);
        }

        return new ParquetColumn(null, await ReadNumbersAsync(group, field, type, rows, ct).ConfigureAwait(false), null);
    }

    private static async Task<double?[]> ReadNumbersAsync(ParquetRowGroupReader group, DataField field, Type type, int rows, CancellationToken ct)
    {
        async Task<double?[]> Convert<T>(Func<T, double> toDouble)
            where T : struct
        {
            var values = new T?[rows];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return values.Select(v => v is { } x ? toDouble(x) : (double?)null).ToArray();
        }

        return type switch
        {
            _ when type == typeof(double) => await Convert<double>(x => x).ConfigureAwait(false),
            _ when type == typeof(float) => await Convert<float>(x => x).ConfigureAwait(false),
            _ when type == typeof(long) => await Convert<long>(x => x).ConfigureAwait(false),
            _ when type == typeof(int) => await Convert<int>(x => x).ConfigureAwait(false),
            _ when type == typeof(short) => await Convert<short>(x => x).ConfigureAwait(false),
            _ when type == typeof(decimal) => await Convert<decimal>(x => (double)x).ConfigureAwait(false),
            _ => throw new InputException($"Parquet column '{field.Name}' has type {type.Name}, which cannot be read as a transaction field."),
        };
    }

    /// <summary>One column of one row group, as text, numbers or dates.</summary>
    internal sealed record ParquetColumn(string?[]? Strings, double?[]? Numbers, DateOnly?[]? Dates)
    {
        public string? Text(int i) =>
            Strings is not null ? Strings[i]
            : Numbers is not null ? Numbers[i]?.ToString("R", CultureInfo.InvariantCulture)
            : Dates![i]?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        public bool TryDate(int i, FieldParsers parsers, out DateOnly date)
        {
            if (Dates is not null)
            {
                date = Dates[i].GetValueOrDefault();
                return Dates[i].HasValue;
            }

            date = default;
            return Strings?[i] is { } s && parsers.TryParseDate(s.AsSpan(), out date);
        }

        public bool TryNumber(int i, FieldParsers parsers, out double value)
        {
            if (Numbers is not null)
            {
                value = Numbers[i].GetValueOrDefault();
                return Numbers[i].HasValue;
            }

            value = 0;
            return Strings?[i] is { } s && parsers.TryParseNumber(s.AsSpan(), out value);
        }
    }
}
