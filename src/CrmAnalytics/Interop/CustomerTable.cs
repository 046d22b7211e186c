using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.CustomerTable;
using Microsoft.Data.Analysis;

namespace CrmAnalytics.Interop;

/// <summary>The customer table as a DataFrame: the columns of customers.csv, typed as in customers.parquet.</summary>
internal static class CustomerTable
{
    public static DataFrame ToDataFrame(IReadOnlyList<ScoredCustomer> customers, IReadOnlyList<CustomerColumn> columns) =>
        new(columns.Select(c => Column(customers, c)));

    private static DataFrameColumn Column(IReadOnlyList<ScoredCustomer> customers, CustomerColumn column) => column switch
    {
        CustomerColumn<string> text => new StringDataFrameColumn(column.Name, customers.Select(text.GetValue)),
        CustomerColumn<DateOnly> date => new DateTimeDataFrameColumn(column.Name, customers.Select(c => (DateTime?)date.GetValue(c).ToDateTime(TimeOnly.MinValue))),
        CustomerColumn<DateOnly?> date => new DateTimeDataFrameColumn(column.Name, customers.Select(c => date.GetValue(c)?.ToDateTime(TimeOnly.MinValue))),
        CustomerColumn<int> number => new Int32DataFrameColumn(column.Name, customers.Select(c => (int?)number.GetValue(c))),
        CustomerColumn<int?> number => new Int32DataFrameColumn(column.Name, customers.Select(number.GetValue)),
        CustomerColumn<double> real => new DoubleDataFrameColumn(column.Name, customers.Select(c => (double?)real.GetValue(c))),
        CustomerColumn<double?> real => new DoubleDataFrameColumn(column.Name, customers.Select(real.GetValue)),
        _ => throw new InvalidOperationException($"Customer column {column} has no DataFrame column type."),
    };
}
