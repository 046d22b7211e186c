using System.Globalization;
using System.Numerics;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.IO.Input;
using DuckDB.NET.Data;

namespace CrmAnalytics.Benchmarks.Ingest;

/// <summary>Totals over the per-customer table that both sides must agree on before their times are compared.</summary>
public readonly record struct SummaryTotals(int Customers, long Occasions, long ReturnLines, long Orders365d, double GrossSpend)
{
    /// <summary>Every difference, empty when the sides agree (money up to summation-order rounding).</summary>
    public IReadOnlyList<string> Differences(SummaryTotals other)
    {
        var diffs = new List<string>();
        if (Customers != other.Customers) diffs.Add($"customers {Customers} vs {other.Customers}");
        if (Occasions != other.Occasions) diffs.Add($"occasions {Occasions} vs {other.Occasions}");
        if (ReturnLines != other.ReturnLines) diffs.Add($"return lines {ReturnLines} vs {other.ReturnLines}");
        if (Orders365d != other.Orders365d) diffs.Add($"365-day orders {Orders365d} vs {other.Orders365d}");
        if (Math.Abs(GrossSpend - other.GrossSpend) > 1e-9 * Math.Max(1, Math.Abs(GrossSpend)))
        {
            diffs.Add($"gross spend {GrossSpend:R} vs {other.GrossSpend:R}");
        }

        return diffs;
    }
}

/// <summary>Our reader and summary.</summary>
public static class OursSide
{
    public static async Task<CustomerSummaryResult> SummarizeAsync(string path)
    {
        var read = await TransactionReader.ReadAsync(path, TransactionPresets.Sample, NullRejectSink.Instance);
        return read.Builder.Build(read.Builder.DefaultAsOf());
    }

    public static async Task<int> CountCustomersAsync(string path) => (await SummarizeAsync(path)).Customers.Count;

    public static SummaryTotals Totals(CustomerSummaryResult summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        long occasions = 0, returnLines = 0, orders365 = 0;
        double gross = 0;
        foreach (var c in summary.Customers)
        {
            occasions += c.Orders;
            returnLines += c.ReturnLines;
            orders365 += c.Windows.Orders365d;
            gross += c.GrossSpend;
        }

        return new SummaryTotals(summary.Customers.Count, occasions, returnLines, orders365, gross);
    }
}

/// <summary>
/// The same per-customer summary in DuckDB SQL: amount = quantity × unit price, zero amounts and rows without a customer
/// are dropped, C-prefixed orders and negative amounts are returns, purchases on one customer-day are one occasion.
/// </summary>
public static class DuckDbSide
{
    public const string ConnectionString = "Data Source=:memory:";

    public static string Sql(string path, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = path.Replace("'", "''", StringComparison.Ordinal);
        var d = string.Create(CultureInfo.InvariantCulture, $"DATE '{asOf:yyyy-MM-dd}'");
        return $$"""
            WITH lines AS (
              SELECT customer_id, CAST(date AS DATE) AS d, quantity * unit_price AS amt, starts_with(order_id, 'C') AS c
              FROM read_csv('{{file}}', header = true,
                columns = {'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'date': 'TIMESTAMP', 'sku': 'VARCHAR', 'quantity': 'DOUBLE', 'unit_price': 'DOUBLE'})
              WHERE customer_id IS NOT NULL AND quantity * unit_price <> 0),
            days AS (
              SELECT customer_id, d,
                     sum(amt) FILTER (WHERE NOT c AND amt > 0) AS v,
                     sum(-amt) FILTER (WHERE c OR amt < 0) AS r,
                     count(*) FILTER (WHERE c OR amt < 0) AS rl
              FROM lines GROUP BY customer_id, d)
            SELECT customer_id, count(v) AS orders, min(d) FILTER (WHERE v IS NOT NULL) AS first, max(d) FILTER (WHERE v IS NOT NULL) AS last,
                   sum(v) AS gross, coalesce(sum(r), 0) AS returns, sum(rl) AS return_lines,
                   (sum(v) - arg_min(v, d) FILTER (WHERE v IS NOT NULL)) / nullif(count(v) - 1, 0) AS mean_repeat,
                   count(v) FILTER (WHERE d >= {{d}} - 30) AS o30, count(v) FILTER (WHERE d >= {{d}} - 90) AS o90,
                   count(v) FILTER (WHERE d >= {{d}} - 180) AS o180, count(v) FILTER (WHERE d >= {{d}} - 365) AS o365
            FROM days GROUP BY customer_id HAVING count(v) > 0
            """;
    }

    /// <summary>Runs the summary on a fresh in-memory database (default settings: all cores) and reads every row.</summary>
    public static int CountCustomers(string path, DateOnly asOf)
    {
        using var connection = new DuckDBConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Sql(path, asOf);
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }

    public static SummaryTotals Totals(string path, DateOnly asOf)
    {
        using var connection = new DuckDBConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Sql(path, asOf);
        using var reader = command.ExecuteReader();
        int customers = 0, orders = reader.GetOrdinal("orders"), lines = reader.GetOrdinal("return_lines"), o365 = reader.GetOrdinal("o365"), grossCol = reader.GetOrdinal("gross");
        long occasions = 0, returnLines = 0, orders365 = 0;
        double gross = 0;
        while (reader.Read())
        {
            customers++;
            occasions += ToInt64(reader.GetValue(orders));
            returnLines += reader.IsDBNull(lines) ? 0 : ToInt64(reader.GetValue(lines));
            orders365 += ToInt64(reader.GetValue(o365));
            gross += reader.GetDouble(grossCol);
        }

        return new SummaryTotals(customers, occasions, returnLines, orders365, gross);
    }

    /// <remarks>DuckDB sums of BIGINT are HUGEINT, which DuckDB.NET returns as <see cref="BigInteger"/>.</remarks>
    private static long ToInt64(object value) =>
        value is BigInteger big ? (long)big : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>DuckDB's version and default thread count, for the results header.</summary>
    public static (string Version, string Threads) Settings()
    {
        using var connection = new DuckDBConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version(), current_setting('threads')";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture) ?? "?", Convert.ToString(reader.GetValue(1), CultureInfo.InvariantCulture) ?? "?");
    }
}
