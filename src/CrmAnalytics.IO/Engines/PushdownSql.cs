using System.Globalization;
using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Engines;

/// <summary>
/// The reduction as SQL for a warehouse (<c>crm sql</c>): it reads a table whose columns carry the mapping's names and
/// returns the occasions table (<see cref="OccasionTable"/>), which <c>crm score --from-occasions</c> reads as Parquet.
/// </summary>
/// <remarks>
/// Every mapped column is cast to text and parsed by the native reader's rules, so a warehouse column may be text, a
/// number, a DATE or a TIMESTAMP. The table carries customer-days, not per-customer features: one table serves the
/// as-of date and every earlier cut-off (churn training, CLV holdout), which the pipeline takes from it.
/// </remarks>
public static class PushdownSql
{
    /// <param name="table">The source table or view, as the warehouse names it (e.g. <c>sales.order_lines</c>); written as given.</param>
    /// <param name="shard">Keeps only the customer-days of shard Index of Count (<c>crm sql --shard i/n</c>); the reject rows only in shard 0, so the shards' row accounting adds up to the whole's.</param>
    /// <exception cref="ConfigurationException">The options cannot be expressed in SQL (listed), or there is no header to name the columns.</exception>
    public static string Generate(SqlDialectName dialect, string table, TransactionReadOptions options, (int Index, int Count)? shard = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        if (!options.HasHeader)
        {
            throw new ConfigurationException("crm sql reads a table whose columns have names; map them by name, not by number (--no-header).");
        }

        var d = SqlDialect.For(dialect);
        var m = options.Mapping;
        SourceColumn? Column(string? spec)
        {
            // Alternatives (CustomerID|Customer ID) name columns of different exports; a table has one name, the first.
            var name = spec?.Split('|')[0].Trim();
            return string.IsNullOrEmpty(name) ? null : new SourceColumn(d.AsText(d.Identifier(name)), name, SourceKind.Text);
        }

        var source = new ReductionSource(table, Column(m.CustomerId)!, Column(m.Date)!, Column(m.Amount), Column(m.Quantity), Column(m.UnitPrice), Column(m.OrderId));
        var header = new StringBuilder()
            .Append("-- crm sql --dialect ").Append(dialect.ToString().ToLowerInvariant()).Append(": the occasions table of ").Append(table).Append('\n')
            .Append("-- one row per customer-day with an accepted line (reason NULL) and one per reject reason (customer_id, day NULL);\n")
            .Append("-- columns: ").AppendJoin(", ", OccasionTable.Columns.Select(c => $"{c.Name} {c.Type}")).Append('\n')
            .Append("-- as-of: ").Append(options.AsOf is { } asOf ? string.Create(CultureInfo.InvariantCulture, $"{asOf:yyyy-MM-dd} (lines on or after it are date_after_as_of)") : "none (every plausible line)").Append('\n');
        if (shard is { } s)
        {
            header.Append(CultureInfo.InvariantCulture, $"-- shard: {s.Index}/{s.Count}: the customers whose key (the first 15 hex digits of MD5(customer_id), as an integer) mod {s.Count} is {s.Index}; {(s.Index == 0 ? "every reject row" : "no reject row (shard 0 holds them)")}\n");
        }

        return header + ReductionQuery.Build(d, source, options, shard: shard);
    }
}
