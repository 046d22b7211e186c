using System.Globalization;
using CrmAnalytics.IO.Input;
using Microsoft.Data.Analysis;

namespace CrmAnalytics.Interop;

/// <summary>A DataFrame's columns as transaction columns: text stays text, floating-point columns are numbers, DateTime columns are dates.</summary>
internal static class DataFrameTransactions
{
    /// <summary>The name rejects and messages give a DataFrame.</summary>
    public const string Source = "DataFrame";

    public static IReadOnlyList<TransactionTableColumn> Columns(DataFrame frame) =>
        frame.Columns.Select(Column).ToArray();

    private static TransactionTableColumn Column(DataFrameColumn column)
    {
        var rows = checked((int)column.Length);
        var type = column.DataType;
        if (type == typeof(DateTime))
        {
            return TransactionTableColumn.FromDates(column.Name, Values(column, rows, v => (DateOnly?)DateOnly.FromDateTime((DateTime)v)));
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return TransactionTableColumn.FromNumbers(column.Name, Values(column, rows, v => (double?)Convert.ToDouble(v, CultureInfo.InvariantCulture)));
        }

        // Text, and integers as their exact digits: an Int64 id is an identifier, and a double cannot hold every one.
        return TransactionTableColumn.FromText(column.Name, Values(column, rows, v => Convert.ToString(v, CultureInfo.InvariantCulture)));
    }

    private static T?[] Values<T>(DataFrameColumn column, int rows, Func<object, T?> convert)
    {
        var values = new T?[rows];
        for (var i = 0; i < rows; i++)
        {
            values[i] = column[i] is { } value ? convert(value) : default;
        }

        return values;
    }
}

/// <summary>A list of <see cref="Transaction"/> as transaction columns.</summary>
internal static class TransactionColumns
{
    /// <summary>The name rejects and messages give a list of transactions.</summary>
    public const string Source = "transactions";

    public static ColumnMapping Mapping { get; } = new() { CustomerId = "customer_id", Date = "date", Amount = "amount", OrderId = "order_id" };

    public static IReadOnlyList<TransactionTableColumn> From(IReadOnlyList<Transaction> rows) =>
    [
        TransactionTableColumn.FromText("customer_id", rows.Select(t => (string?)t.CustomerId).ToArray()),
        TransactionTableColumn.FromDates("date", rows.Select(t => (DateOnly?)t.Date).ToArray()),
        TransactionTableColumn.FromNumbers("amount", rows.Select(t => (double?)t.Amount).ToArray()),
        TransactionTableColumn.FromText("order_id", rows.Select(t => t.OrderId).ToArray()),
    ];
}
