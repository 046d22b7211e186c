using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Engines;

/// <summary>
/// The intermediate table between an engine's reduction and the pipeline: one row per customer-day with an accepted
/// line, and one row per reject reason. <c>crm sql</c> prints the query that makes it; <c>crm score --from-occasions</c>
/// reads it as Parquet; the embedded engines stream it straight into the customer table.
/// </summary>
/// <remarks>
/// Customer-days, not per-customer summaries, because the pipeline summarizes one read at several cut-offs (the CLV
/// holdout split, the churn training cut-off, the repeat-gap histogram of the churn horizon): the days carry every
/// cut-off, and they are what the native reader keeps (<see cref="CustomerSummaryBuilder"/>'s day ledgers).
/// </remarks>
internal static class OccasionTable
{
    /// <summary>The columns, in order, with their SQL types (DuckDB names; each dialect's equivalent in the others).</summary>
    public static IReadOnlyList<(string Name, string Type)> Columns { get; } =
    [
        ("customer_id", "VARCHAR"),
        ("day", "DATE"),
        ("reason", "VARCHAR"),
        ("purchase_value", "DOUBLE"),
        ("purchase_lines", "BIGINT"),
        ("return_value", "DOUBLE"),
        ("return_lines", "BIGINT"),
        ("rejected_lines", "BIGINT"),
    ];

    /// <summary>
    /// Reads the table's rows into a customer table and row accounting; rows of the engine's <c>sample</c> column (when
    /// present) go to <paramref name="rejects"/>.
    /// </summary>
    /// <param name="source">The file or query the rows came from, for messages.</param>
    /// <exception cref="InputException">A column is missing (the columns found are listed), or a row breaks the contract.</exception>
    internal static (CustomerSummaryBuilder Builder, RowAccounting Accounting) Load(DbDataReader reader, string source, IRejectSink rejects)
    {
        var found = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var missing = Columns.Select(c => c.Name).Where(n => !found.Contains(n, StringComparer.Ordinal)).ToArray();
        if (missing.Length > 0)
        {
            throw new InputException($"{source}: not an occasions table: column(s) {string.Join(", ", missing)} missing. Columns found: {string.Join(", ", found.Select(f => $"'{f}'"))}. " +
                $"Expected: {string.Join(", ", Columns.Select(c => $"{c.Name} {c.Type}"))}.");
        }

        int id = reader.GetOrdinal("customer_id"), day = reader.GetOrdinal("day"), reason = reader.GetOrdinal("reason"),
            pv = reader.GetOrdinal("purchase_value"), pl = reader.GetOrdinal("purchase_lines"), rv = reader.GetOrdinal("return_value"),
            rl = reader.GetOrdinal("return_lines"), rej = reader.GetOrdinal("rejected_lines");
        var sample = found.Contains("sample", StringComparer.Ordinal) ? reader.GetOrdinal("sample") : -1;
        var builder = new CustomerSummaryBuilder();
        var accounting = new RowAccounting();
        var sampled = new List<(RejectReason Reason, string File, long Line, string Column, string Raw)>();
        long row = 0;
        while (reader.Read())
        {
            row++;
            if (reader.IsDBNull(reason))
            {
                var customer = reader.IsDBNull(id) ? string.Empty : reader.GetString(id);
                if (customer.Length == 0 || reader.IsDBNull(day))
                {
                    throw Broken(source, row, "an occasion row without customer_id or day");
                }

                var purchaseLines = Count(reader, pl);
                var returnLines = Count(reader, rl);
                if (purchaseLines < 0 || returnLines < 0 || purchaseLines + returnLines == 0 || purchaseLines > int.MaxValue || returnLines > int.MaxValue)
                {
                    throw Broken(source, row, "purchase_lines and return_lines must be whole numbers ≥ 0 with a positive sum");
                }

                builder.AddDay(builder.Customer(customer), Date(reader.GetValue(day), source, row), Value(reader, pv), (int)purchaseLines, Value(reader, rv), (int)returnLines);
                accounting.Accept(purchaseLines + returnLines);
                continue;
            }

            var code = reader.GetString(reason);
            var rejected = RejectReasons.All.Where(r => r.Code() == code).Select(r => (RejectReason?)r).FirstOrDefault()
                ?? throw Broken(source, row, $"unknown reason '{code}'; reasons are {string.Join(", ", RejectReasons.All.Select(r => r.Code()))}");
            accounting.Reject(rejected, Count(reader, rej));
            if (sample >= 0 && !reader.IsDBNull(sample))
            {
                sampled.AddRange(SampleLines(reader.GetValue(sample)).Select(line => (rejected, Path.GetFileName(line.File ?? source), line.Line ?? 0, line.Column ?? string.Empty, line.Raw ?? string.Empty)));
            }
        }

        // Groups arrive in any order; the sample is written by reason, file and line so that reruns give the same file.
        foreach (var (rejected, file, line, column, raw) in sampled.OrderBy(s => s.Reason).ThenBy(s => s.File, StringComparer.Ordinal).ThenBy(s => s.Line))
        {
            rejects.Reject(file, line, column, rejected, Encoding.UTF8.GetBytes(raw));
        }

        return (builder, accounting);
    }

    /// <summary>The lines of a <c>sample</c> cell: DuckDB's list of structs, or PostgreSQL's json[] (<see cref="SqlDialect.RejectSample"/>).</summary>
    private static IEnumerable<(long? Line, string? File, string? Column, string? Raw)> SampleLines(object cell) => cell switch
    {
        IEnumerable<Dictionary<string, object?>> structs => structs.Select(s => (s["line"] as long?, s["file"] as string, s["column"] as string, s["raw"] as string)),
        IEnumerable<string> json => json.Select(j =>
        {
            using var doc = JsonDocument.Parse(j);
            string? Text(string name) => doc.RootElement.GetProperty(name).ValueKind == JsonValueKind.String ? doc.RootElement.GetProperty(name).GetString() : null;
            var line = doc.RootElement.GetProperty("line");
            return (line.ValueKind == JsonValueKind.Number ? line.GetInt64() : (long?)null, Text("file"), Text("column"), Text("raw"));
        }),
        _ => [],
    };

    private static long Count(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static double Value(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : Convert.ToDouble(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    private static DateOnly Date(object value, string source, long row) => value switch
    {
        DateOnly d => d,
        DateTime t => DateOnly.FromDateTime(t),
        _ => throw Broken(source, row, $"day is {value.GetType().Name}, not a DATE"),
    };

    private static InputException Broken(string source, long row, string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source}: occasions row {row}: {what}."));
}
