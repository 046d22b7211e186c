using System.Globalization;
using System.Text;
using CrmAnalytics.Core;
using static CrmAnalytics.IO.Input.ParquetTransactionSource;

namespace CrmAnalytics.IO.Input;

/// <summary>
/// One named column of transactions held in memory (a DataFrame's, say): text, numbers or dates. Text is parsed with
/// the read options' date format and decimal separator, as a CSV field is; numbers and dates are used as they are.
/// </summary>
public sealed class TransactionTableColumn
{
    private TransactionTableColumn(string name, int length, ParquetColumn values, ValueKinds kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        (Name, Length, Values, Kind) = (name, length, values, kind);
    }

    /// <summary>The column's name, which the mapping refers to and rejects report.</summary>
    public string Name { get; }

    /// <summary>The number of rows.</summary>
    public int Length { get; }

    internal ParquetColumn Values { get; }

    internal ValueKinds Kind { get; }

    /// <summary>A column of text; null is a missing value.</summary>
    public static TransactionTableColumn FromText(string name, string?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, values.Length, new ParquetColumn(values, null, null), ValueKinds.Text);
    }

    /// <summary>A column of numbers; null is a missing value. An integer id keeps its exact digits as its text.</summary>
    public static TransactionTableColumn FromNumbers(string name, double?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, values.Length, new ParquetColumn(null, values, null, i => values[i]?.ToString("R", CultureInfo.InvariantCulture)), ValueKinds.Number);
    }

    /// <summary>A column of calendar dates; null is a missing value.</summary>
    public static TransactionTableColumn FromDates(string name, DateOnly?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new(name, values.Length, new ParquetColumn(null, null, values), ValueKinds.Date);
    }
}

/// <summary>Reads transactions held in memory as columns, with the same mapping, row rules and rejects as a file.</summary>
public static class TransactionTableReader
{
    /// <summary>
    /// Reads every row of <paramref name="columns"/> (all of one length) into per-customer accumulators. The mapping
    /// names columns (or gives 1-based column numbers when the options say there is no header); a reject's line is
    /// the row's 0-based index.
    /// </summary>
    /// <param name="source">The name rejects and messages give the table, e.g. "DataFrame".</param>
    /// <exception cref="ConfigurationException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="InputException">A mapped column is missing or holds values its field cannot use.</exception>
    public static TransactionReadResult Read(string source, IReadOnlyList<TransactionTableColumn> columns, TransactionReadOptions options, IRejectSink rejects)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var rows = columns.Count == 0 ? 0 : columns[0].Length;
        if (columns.Any(c => c.Length != rows))
        {
            throw new InputException($"{source}: the columns differ in length.");
        }

        var handler = new TransactionRowHandler(options, source, rejects);
        var cols = ResolvedColumns.Resolve(options.Mapping, options.HasHeader ? columns.Select(c => c.Name).ToArray() : null, handler.NeedsOrderId, source);
        if (cols.MaxIndex >= columns.Count)
        {
            throw new InputException($"{source}: column #{cols.MaxIndex + 1} is mapped but the table has {columns.Count} columns.");
        }

        CheckKinds(source, columns, cols);
        ParquetColumn? Column(int index) => index >= 0 ? columns[index].Values : null;
        var values = new RowColumnValues(columns[cols.CustomerId].Values, columns[cols.Date].Values, Column(cols.Amount), Column(cols.Quantity), Column(cols.UnitPrice), Column(cols.OrderId));
        HandleRows(handler, cols, new FieldParsers(options.DateFormat, options.DecimalSeparator), values, rows, i => i, new StringBuilder());
        return new TransactionReadResult(source, TransactionFormat.Auto, false, handler.Accounting, handler.Builder);
    }

    /// <exception cref="InputException">A mapped column holds values its field cannot use; every such column is listed.</exception>
    private static void CheckKinds(string source, IReadOnlyList<TransactionTableColumn> columns, ResolvedColumns cols)
    {
        const ValueKinds numberOrText = ValueKinds.Number | ValueKinds.Text;
        var errors = new[]
            {
                ("customer_id", cols.CustomerId, numberOrText), ("date", cols.Date, ValueKinds.Date | ValueKinds.Text),
                ("amount", cols.Amount, numberOrText), ("quantity", cols.Quantity, numberOrText),
                ("unit_price", cols.UnitPrice, numberOrText), ("order_id", cols.OrderId, numberOrText),
            }
            .Where(m => m.Item2 >= 0 && (columns[m.Item2].Kind & m.Item3) == ValueKinds.None)
            .Select(m => $"column '{columns[m.Item2].Name}' (mapped as {m.Item1}) holds {columns[m.Item2].Kind.ToString().ToLowerInvariant()} values; expected {m.Item3.ToString().ToLowerInvariant().Replace(", ", " or ", StringComparison.Ordinal)}")
            .ToArray();
        if (errors.Length > 0)
        {
            throw new InputException($"{source}: schema mismatch: {string.Join("; ", errors)}.");
        }
    }
}
