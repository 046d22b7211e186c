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
/// Public only for its column reads (<see cref="ReadValuesAsync{T}"/>, <see cref="ReadTextAsync"/>), which <c>crm merge</c>
/// (CrmAnalytics project) uses on the shards' customer tables.
/// </summary>
public static class ParquetTransactionSource
{
    internal static async Task ReadAsync(Stream stream, TransactionReadOptions options, TransactionRowHandler handler, CancellationToken cancellationToken)
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

            const ValueKinds numberOrText = ValueKinds.Number | ValueKinds.Text;
            CheckTypes(handler.FileName, fields,
            [
                ("customer_id", cols.CustomerId, numberOrText), ("date", cols.Date, ValueKinds.Date | ValueKinds.Text),
                ("amount", cols.Amount, numberOrText), ("quantity", cols.Quantity, numberOrText),
                ("unit_price", cols.UnitPrice, numberOrText), ("order_id", cols.OrderId, numberOrText),
            ]);

            var parsers = new FieldParsers(options.DateFormat, options.DecimalSeparator, options.ThousandsSeparator);
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

                HandleRows(handler, cols, parsers, new RowColumnValues(ids, dates, amounts, quantities, prices, orders), rows, i => rowBase + i + 1, raw);

                rowBase += rows;
            }
        }
    }

    /// <summary>Evaluates and hands on rows 0 … <paramref name="rows"/> − 1 of one batch of columns, in order (a Parquet row group, an in-memory table).</summary>
    /// <param name="rowNumberOf">The "line" a reject reports for a row of the batch.</param>
    internal static void HandleRows(TransactionRowHandler handler, ResolvedColumns cols, FieldParsers parsers, RowColumnValues c, int rows, Func<int, long> rowNumberOf, StringBuilder raw)
    {
        for (var i = 0; i < rows; i++)
        {
            var rowNumber = rowNumberOf(i);
            byte[] Raw()
            {
                raw.Clear();
                Append(raw, cols.Names.CustomerId, c.Ids.Text(i));
                Append(raw, cols.Names.Date, c.Dates.Text(i));
                if (c.Amounts is not null) Append(raw, cols.Names.Amount, c.Amounts.Text(i));
                if (c.Quantities is not null) Append(raw, cols.Names.Quantity, c.Quantities.Text(i));
                if (c.Prices is not null) Append(raw, cols.Names.UnitPrice, c.Prices.Text(i));
                if (c.Orders is not null) Append(raw, "order_id", c.Orders.Text(i));
                return Encoding.UTF8.GetBytes(raw.ToString());
            }

            if (!c.Dates.TryDate(i, parsers, out var date))
            {
                handler.Reject(rowNumber, cols.Names.Date, RejectReason.UnparseableDate, Raw());
                continue;
            }

            double amount;
            if (c.Amounts is not null)
            {
                if (!c.Amounts.TryNumber(i, parsers, out amount))
                {
                    handler.Reject(rowNumber, cols.Names.Amount, RejectReason.UnparseableAmount, Raw());
                    continue;
                }
            }
            else
            {
                if (!c.Quantities!.TryNumber(i, parsers, out var qty))
                {
                    handler.Reject(rowNumber, cols.Names.Quantity, RejectReason.UnparseableAmount, Raw());
                    continue;
                }

                if (!c.Prices!.TryNumber(i, parsers, out var price))
                {
                    handler.Reject(rowNumber, cols.Names.UnitPrice, RejectReason.UnparseableAmount, Raw());
                    continue;
                }

                amount = qty * price;
            }

            var id = c.Ids.Text(i) ?? string.Empty;
            var outcome = handler.Rules.Evaluate(id, date, amount, c.Orders?.Text(i) ?? string.Empty, cols.Names, out var reason, out var column);
            if (outcome == RowOutcome.Rejected)
            {
                handler.Reject(rowNumber, column, reason, Raw());
            }
            else
            {
                handler.Accept(outcome, id, date, amount);
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

    /// <summary>One column of one row group as text, numbers or dates, REQUIRED or OPTIONAL alike.</summary>
    internal static async Task<ParquetColumn> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var type = field.ClrType;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            return new ParquetColumn(await ReadTextAsync(group, field, rows, ct).ConfigureAwait(false), null, null);
        }

        if (type == typeof(DateTime))
        {
            var values = await ReadValuesAsync<DateTime>(group, field, rows, ct).ConfigureAwait(false);
            return new ParquetColumn(null, null, Array.ConvertAll(values, v => v is { } d ? DateOnly.FromDateTime(d) : (DateOnly?)null));
        }

        if (type == typeof(DateTimeOffset))
        {
            var values = await ReadValuesAsync<DateTimeOffset>(group, field, rows, ct).ConfigureAwait(false);
            return new ParquetColumn(null, null, Array.ConvertAll(values, v => v is { } d ? DateOnly.FromDateTime(d.DateTime) : (DateOnly?)null));
        }

        if (type == typeof(DateOnly))
        {
            return new ParquetColumn(null, null, await ReadValuesAsync<DateOnly>(group, field, rows, ct).ConfigureAwait(false));
        }

        return await ReadNumbersAsync(group, field, type, rows, ct).ConfigureAwait(false);
    }

    /// <summary>A text column's strings, through <see cref="ReadValuesAsync{T}"/>; null where the row has no value.</summary>
    public static async Task<string?[]> ReadTextAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        var values = await ReadValuesAsync<ReadOnlyMemory<char>>(group, field, rows, ct).ConfigureAwait(false);
        return Array.ConvertAll(values, v => v is { } text ? new string(text.Span) : null);
    }

    /// <summary>
    /// The one routine that reads a flat column's values: null where the row's definition level says so.
    /// </summary>
    /// <remarks>
    /// Not Parquet.Net 6.1's <c>ReadAsync(field, Memory&lt;T?&gt;)</c>: it rents its definition levels from the shared
    /// <see cref="System.Buffers.ArrayPool{T}"/> without clearing them and, for a REQUIRED column (no levels in the file),
    /// never fills them, yet reads a level below 0 as null; a negative int an earlier renter left there made that cell
    /// null and shifted every later value of the row group up by one. Here a column without levels is read as it is,
    /// and levels go into a zeroed array, so a level the file does not give reads as null, never as another row's value.
    /// </remarks>
    public static async Task<T?[]> ReadValuesAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        where T : struct
    {
        var values = new T[rows];
        var result = new T?[rows];
        if (field.MaxDefinitionLevel == 0)
        {
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            for (var i = 0; i < rows; i++)
            {
                result[i] = values[i];
            }

            return result;
        }

        var levels = new int[rows];
        await group.ReadRawAsync(field, values.AsMemory(), levels.AsMemory(), null, ct).ConfigureAwait(false);
        var next = 0;
        for (var i = 0; i < rows; i++)
        {
            result[i] = levels[i] == field.MaxDefinitionLevel ? values[next++] : null;
        }

        return result;
    }

    /// <summary>
    /// Reads a numeric column as doubles for arithmetic, and keeps the values to give their exact text: an INT64 or
    /// DECIMAL id is an identifier, and a double cannot hold every one above 2^53.
    /// </summary>
    private static async Task<ParquetColumn> ReadNumbersAsync(ParquetRowGroupReader group, DataField field, Type type, int rows, CancellationToken ct)
    {
        async Task<ParquetColumn> Convert<T>(Func<T, double> toDouble)
            where T : struct, IFormattable
        {
            var values = await ReadValuesAsync<T>(group, field, rows, ct).ConfigureAwait(false);
            return new ParquetColumn(null, Array.ConvertAll(values, v => v is { } x ? toDouble(x) : (double?)null), null,
                i => values[i]?.ToString(null, CultureInfo.InvariantCulture));
        }

        return type switch
        {
            _ when type == typeof(double) => await Convert<double>(x => x).ConfigureAwait(false),
            _ when type == typeof(float) => await Convert<float>(x => x).ConfigureAwait(false),
            _ when type == typeof(decimal) => await Convert<decimal>(x => (double)x).ConfigureAwait(false),
            _ when type == typeof(long) => await Convert<long>(x => x).ConfigureAwait(false),
            _ when type == typeof(ulong) => await Convert<ulong>(x => x).ConfigureAwait(false),
            _ when type == typeof(int) => await Convert<int>(x => x).ConfigureAwait(false),
            _ when type == typeof(uint) => await Convert<uint>(x => x).ConfigureAwait(false),
            _ when type == typeof(short) => await Convert<short>(x => x).ConfigureAwait(false),
            _ when type == typeof(ushort) => await Convert<ushort>(x => x).ConfigureAwait(false),
            _ when type == typeof(sbyte) => await Convert<sbyte>(x => x).ConfigureAwait(false),
            _ when type == typeof(byte) => await Convert<byte>(x => x).ConfigureAwait(false),
            _ => throw new InputException($"Parquet column '{field.Name}' has type {type.Name}, which cannot be read as a transaction field."),
        };
    }

    /// <summary>What a mapped column may hold: its value kinds, as the Parquet schema declares them.</summary>
    [Flags]
    internal enum ValueKinds
    {
        None = 0,
        Text = 1,
        Number = 2,
        Date = 4,
    }

    /// <summary>The kind of values a Parquet column of <paramref name="type"/> holds; <see cref="ValueKinds.None"/> for types no field can use.</summary>
    internal static ValueKinds KindOf(Type type) =>
        type == typeof(string) || type == typeof(ReadOnlyMemory<char>) ? ValueKinds.Text
        : type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) ? ValueKinds.Date
        : (type.IsPrimitive && type != typeof(bool) && type != typeof(char) && type != typeof(nint) && type != typeof(nuint)) || type == typeof(decimal) ? ValueKinds.Number
        : ValueKinds.None;

    /// <summary>
    /// Checks every mapped column's Parquet type before any row is read, so a column of the wrong type is one schema
    /// error (exit 3) instead of a reject on every row.
    /// </summary>
    /// <param name="mapped">The mapping key, the column's index (-1 when not mapped) and the kinds it accepts.</param>
    /// <exception cref="InputException">A mapped column has a type its field cannot use; every such column is listed.</exception>
    internal static void CheckTypes(string fileName, IReadOnlyList<DataField> fields, IEnumerable<(string Key, int Index, ValueKinds Accepted)> mapped)
    {
        var errors = new List<string>();
        foreach (var (key, index, accepted) in mapped)
        {
            if (index >= 0 && (KindOf(fields[index].ClrType) & accepted) == ValueKinds.None)
            {
                var expected = string.Join(" or ", Enum.GetValues<ValueKinds>().Where(k => k != ValueKinds.None && accepted.HasFlag(k)).Select(k => k switch
                {
                    ValueKinds.Text => "text (BYTE_ARRAY UTF8)",
                    ValueKinds.Number => "a number (any integer width, DECIMAL, FLOAT or DOUBLE)",
                    _ => "a DATE or TIMESTAMP",
                }));
                errors.Add($"column '{fields[index].Name}' (mapped as {key}) has Parquet type {fields[index].ClrType.Name}; expected {expected}");
            }
        }

        if (errors.Count > 0)
        {
            throw new InputException($"{fileName}: schema mismatch: {string.Join("; ", errors)}.");
        }
    }

    /// <summary>The mapped columns of one batch of rows; null where a field is not mapped.</summary>
    internal sealed record RowColumnValues(ParquetColumn Ids, ParquetColumn Dates, ParquetColumn? Amounts, ParquetColumn? Quantities, ParquetColumn? Prices, ParquetColumn? Orders);

    /// <summary>One column of one row group, as text, numbers or dates.</summary>
    /// <param name="NumberText">For <paramref name="Numbers"/>, the exact text of a value as stored (an INT64 id stays exact).</param>
    internal sealed record ParquetColumn(string?[]? Strings, double?[]? Numbers, DateOnly?[]? Dates, Func<int, string?>? NumberText = null)
    {
        public string? Text(int i) =>
            Strings is not null ? Strings[i]
            : NumberText is not null ? NumberText(i)
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
