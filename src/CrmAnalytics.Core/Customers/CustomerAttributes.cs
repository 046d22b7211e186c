namespace CrmAnalytics.Core.Customers;

/// <summary>
/// Extra per-customer columns from an attributes file (plan, region, age band, …), keyed by customer id. Values are
/// kept as text; each consumer decides which columns are numeric.
/// </summary>
public sealed class CustomerAttributes
{
    private readonly Dictionary<string, string?[]> _rows;

    public CustomerAttributes(IReadOnlyList<string> columns, Dictionary<string, string?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(rows);
        Columns = columns;
        _rows = rows;
    }

    /// <summary>The attribute column names (the id column excluded), in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    public int Count => _rows.Count;

    /// <summary>The value of <paramref name="column"/> for <paramref name="customerId"/>; null when the customer or the cell is missing.</summary>
    public string? Get(string customerId, int column) =>
        _rows.TryGetValue(customerId, out var values) ? values[column] : null;

    /// <summary>Every non-missing value of one column, in no particular order.</summary>
    public IEnumerable<string> Values(int column) => _rows.Values.Select(v => v[column]).OfType<string>();
}
