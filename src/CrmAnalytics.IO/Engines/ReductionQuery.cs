using System.Globalization;
using System.Text;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Engines;

/// <summary>How a source column stores its values: text is parsed as the native reader parses it; typed values are used as they are.</summary>
internal enum SourceKind
{
    Text,
    Integer,
    Float,
    Decimal,
    Date,
    Timestamp,
}

/// <param name="Sql">The expression that reads the column from the relation.</param>
/// <param name="Name">The column's name in reject records (its header name, or #n).</param>
internal sealed record SourceColumn(string Sql, string Name, SourceKind Kind);

/// <summary>Where the reduction reads lines from, and how each mapped field is found in them.</summary>
/// <param name="Relation">A table, view or table function, used in FROM.</param>
/// <param name="Line">The 1-based line (or Parquet row) of a line, when the engine knows it.</param>
/// <param name="File">The file a line came from, when the relation reads files.</param>
/// <param name="WrongShape">A condition true for lines whose field count differs from the header's (whitespace text).</param>
internal sealed record ReductionSource(
    string Relation, SourceColumn CustomerId, SourceColumn Date, SourceColumn? Amount, SourceColumn? Quantity, SourceColumn? UnitPrice,
    SourceColumn? OrderId, string? Line = null, string? File = null, string? WrongShape = null);

/// <summary>
/// The per-row reduction in SQL: every line is parsed and classified by the native reader's rules (<see cref="RowRules"/>,
/// <see cref="FieldParsers"/>), accepted lines fold into customer-days, and rejected lines into one count per reason. The
/// result is the occasions table of <see cref="OccasionTable"/>.
/// </summary>
/// <remarks>
/// The CASE that picks a reason tests the conditions in the native reader's order, so a line with several faults gets the
/// same reason. Nested CASEs guard every cast, because SQL does not promise to evaluate AND from left to right.
/// </remarks>
internal static class ReductionQuery
{
    /// <summary>Rejected lines kept per reason in the engine's rejects sample.</summary>
    public const int SamplePerReason = 100;

    private const string NumberPattern = "[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?";
    private const string NonFinitePattern = "[+-]?([Ii][Nn][Ff][Ii][Nn][Ii][Tt][Yy]|[Nn][Aa][Nn])";

    /// <param name="sample">Adds the <c>sample</c> column: up to <see cref="SamplePerReason"/> rejected lines per reason (the embedded engines: DuckDB, PostgreSQL).</param>
    /// <param name="shard">Keeps only the customer-days of the customers whose <see cref="SqlDialect.ShardKey"/> mod Count is Index;
    /// the reject rows, which have no customer, only in shard 0, so that the shards' row accounting adds up to the whole's.</param>
    public static string Build(SqlDialect dialect, ReductionSource source, TransactionReadOptions options, bool sample = false, (int Index, int Count)? shard = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var d = dialect;
        var date = SqlDatePattern.For(options.DateFormat);
        var amountIsProduct = source.Amount is null;
        var sql = new StringBuilder();

        // lines: the mapped fields as text (or typed values), with where each line came from.
        var columns = new List<string>();
        if (sample)
        {
            columns.Add($"{source.Line ?? "CAST(NULL AS " + d.BigInt + ")"} AS line_no");
            columns.Add($"{source.File ?? d.AsText("NULL")} AS file_name");
        }

        if (source.WrongShape is not null)
        {
            columns.Add($"CASE WHEN {source.WrongShape} THEN 1 ELSE 0 END AS wrong_shape");
        }

        columns.Add($"{IdText(d, source.CustomerId)} AS id_text");
        columns.Add($"{RawText(d, source.Date)} AS date_text");
        columns.Add(source.Date.Kind is SourceKind.Date or SourceKind.Timestamp ? $"CAST({source.Date.Sql} AS DATE) AS date_value" : $"CAST(NULL AS DATE) AS date_value");
        foreach (var (name, column) in NumberColumns(source))
        {
            columns.Add($"{RawText(d, column)} AS {name}_text");
            columns.Add(column.Kind is SourceKind.Integer or SourceKind.Float or SourceKind.Decimal ? $"CAST({column.Sql} AS {d.Double}) AS {name}_typed" : $"CAST(NULL AS {d.Double}) AS {name}_typed");
        }

        columns.Add(source.OrderId is { } order ? $"{IdText(d, order)} AS order_text" : d.AsText("NULL") + " AS order_text");
        sql.Append("WITH lines AS (\n  SELECT ").AppendJoin(",\n    ", columns).Append("\n  FROM ").Append(source.Relation).Append(d.Fence).Append("),\n");

        // fields: the date's parts (when its text has the format's shape) and each number (when its text is a number).
        var fields = new List<string> { "lines.*" };
        foreach (var (token, alias) in new[] { ('y', "dy"), ('M', "dm"), ('d', "dd"), ('H', "dh"), ('m', "dmi"), ('s', "ds") })
        {
            if (date.Has(token))
            {
                var (start, width) = date.Field(token);
                fields.Add($"CASE WHEN {d.FullMatch("TRIM(date_text)", date.Pattern)} THEN {d.ToInteger($"SUBSTR(TRIM(date_text), {start}, {width})")} END AS {alias}");
            }
        }

        foreach (var (name, _) in NumberColumns(source))
        {
            var text = $"TRIM({name}_text)";
            var normalized = options.DecimalSeparator == ',' ? $"REPLACE({text}, ',', '.')" : text;
            var pattern = options.DecimalSeparator == ',' ? NumberPattern.Replace("[.]", ",", StringComparison.Ordinal) : NumberPattern;
            fields.Add($"CASE WHEN {name}_typed IS NOT NULL THEN {name}_typed WHEN {d.FullMatch(text, pattern)} THEN {d.ToDouble(normalized)} " +
                $"WHEN {d.FullMatch(text, NonFinitePattern)} THEN {d.NaN} END AS {name}_value");
        }

        sql.Append("fields AS (\n  SELECT ").AppendJoin(",\n    ", fields).Append("\n  FROM lines").Append(d.Fence).Append("),\n");

        // parsed: the day (a valid calendar date, with a valid time when the format has one) and the line's amount.
        var validTime = string.Concat(
            date.Has('H') ? " AND dh BETWEEN 0 AND 23" : string.Empty,
            date.Has('m') ? " AND dmi BETWEEN 0 AND 59" : string.Empty,
            date.Has('s') ? " AND ds BETWEEN 0 AND 59" : string.Empty);
        var daysInMonth = $"CASE WHEN dm = 2 THEN CASE WHEN ({d.Mod("dy", "4")} = 0 AND {d.Mod("dy", "100")} <> 0) OR {d.Mod("dy", "400")} = 0 THEN 29 ELSE 28 END " +
            "WHEN dm IN (4, 6, 9, 11) THEN 30 ELSE 31 END";
        var day = $"CASE WHEN date_value IS NOT NULL THEN date_value WHEN dy >= 1 AND dm BETWEEN 1 AND 12 AND dd >= 1{validTime} " +
            $"THEN CASE WHEN dd <= {daysInMonth} THEN {d.MakeDate("dy", "dm", "dd")} END END";
        var amount = amountIsProduct ? "quantity_value * unit_price_value" : "amount_value";
        sql.Append("parsed AS (\n  SELECT fields.*,\n    ").Append(day).Append(" AS day,\n    ").Append(amount).Append(" AS amount\n  FROM fields").Append(d.Fence).Append("),\n");

        // classified: the reject reason (null when accepted), its column, and whether an accepted line is a return.
        var amountColumn = amountIsProduct ? $"{source.Quantity!.Name}*{source.UnitPrice!.Name}" : source.Amount!.Name;
        var reasons = new List<(string When, RejectReason Reason, string Column)>();
        if (source.WrongShape is not null)
        {
            reasons.Add(("wrong_shape = 1", RejectReason.WrongColumnCount, string.Empty));
        }

        reasons.Add(("day IS NULL", RejectReason.UnparseableDate, source.Date.Name));
        if (amountIsProduct)
        {
            reasons.Add(("quantity_value IS NULL", RejectReason.UnparseableAmount, source.Quantity!.Name));
            reasons.Add(("unit_price_value IS NULL", RejectReason.UnparseableAmount, source.UnitPrice!.Name));
        }
        else
        {
            reasons.Add(("amount_value IS NULL", RejectReason.UnparseableAmount, source.Amount!.Name));
        }

        // RowRules.Evaluate, in its order. The calendar's last day is never plausible (the default as-of must exist).
        var latest = options.LatestDate is { } l && l < DateOnly.MaxValue.AddDays(-1) ? l : DateOnly.MaxValue.AddDays(-1);
        reasons.Add(("NOT (amount - amount = 0)", RejectReason.NonFiniteAmount, amountColumn));
        reasons.Add((d.Contains("id_text", d.Text("\uFFFD")), RejectReason.InvalidEncoding, source.CustomerId.Name));
        reasons.Add(("ABS(amount) > " + TransactionReadOptions.MaxAbsoluteAmount.ToString("0.0##E+0", CultureInfo.InvariantCulture), RejectReason.AmountOutOfRange, amountColumn));
        reasons.Add(($"day < {d.DateLiteral(options.EarliestDate)} OR day > {d.DateLiteral(latest)}", RejectReason.ImplausibleDate, source.Date.Name));
        reasons.Add(("id_text IS NULL OR TRIM(id_text) = ''", RejectReason.MissingCustomerId, source.CustomerId.Name));
        if (options.AsOf is { } asOf)
        {
            reasons.Add(($"day >= {d.DateLiteral(asOf)}", RejectReason.DateAfterAsOf, source.Date.Name));
        }

        if (options.ZeroAmount == ZeroAmountPolicy.Reject)
        {
            reasons.Add(("amount = 0", RejectReason.ZeroAmount, amountColumn));
        }

        var prefix = string.IsNullOrEmpty(options.CancelledOrderPrefix) ? null : options.CancelledOrderPrefix;
        var cancelled = prefix is null ? string.Empty
            : $"SUBSTR(LTRIM(COALESCE(order_text, '')), 1, {prefix.Length.ToString(CultureInfo.InvariantCulture)}) = {d.Text(prefix)} OR ";
        sql.Append("classified AS (\n  SELECT TRIM(id_text) AS customer_id, day, amount,\n")
            .Append("    CASE").AppendJoin(string.Empty, reasons.Select(r => $"\n      WHEN {r.When} THEN {d.Text(r.Reason.Code())}")).Append("\n    END AS reason,\n")
            .Append("    CASE WHEN ").Append(cancelled).Append("amount < 0 THEN 1 ELSE 0 END AS is_return");
        if (sample)
        {
            sql.Append(",\n    line_no, file_name,\n    CASE").AppendJoin(string.Empty, reasons.Select(r => $"\n      WHEN {r.When} THEN {d.Text(r.Column)}")).Append("\n    END AS reason_column,\n    ")
                .Append(RawRecord(d, source)).Append(" AS raw_record");
        }

        sql.Append("\n  FROM parsed").Append(d.Fence).Append(")\n");

        // One row per accepted customer-day and one per reject reason (OccasionTable).
        sql.Append("SELECT CASE WHEN reason IS NULL THEN customer_id END AS customer_id,\n")
            .Append("  CASE WHEN reason IS NULL THEN day END AS day,\n")
            .Append("  reason,\n")
            .Append($"  CAST(SUM(CASE WHEN reason IS NULL AND is_return = 0 THEN amount END) AS {d.Double}) AS purchase_value,\n")
            .Append($"  CAST(COUNT(CASE WHEN reason IS NULL AND is_return = 0 THEN 1 END) AS {d.BigInt}) AS purchase_lines,\n")
            .Append($"  CAST(SUM(CASE WHEN reason IS NULL AND is_return = 1 THEN ABS(amount) END) AS {d.Double}) AS return_value,\n")
            .Append($"  CAST(COUNT(CASE WHEN reason IS NULL AND is_return = 1 THEN 1 END) AS {d.BigInt}) AS return_lines,\n")
            .Append($"  CAST(COUNT(CASE WHEN reason IS NOT NULL THEN 1 END) AS {d.BigInt}) AS rejected_lines");
        if (sample)
        {
            sql.Append(",\n  ").Append(d.RejectSample(SamplePerReason)).Append(" AS sample");
        }

        sql.Append("\nFROM classified\n");
        if (shard is { } s)
        {
            sql.Append(s.Index == 0 ? "WHERE reason IS NOT NULL OR " : "WHERE reason IS NULL AND ")
                .Append(d.Mod(d.ShardKey("customer_id"), s.Count.ToString(CultureInfo.InvariantCulture))).Append(" = ")
                .Append(s.Index.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        sql.Append("GROUP BY 1, 2, 3\n");
        return sql.ToString();
    }

    private static IEnumerable<(string Name, SourceColumn Column)> NumberColumns(ReductionSource source)
    {
        if (source.Amount is { } amount) yield return ("amount", amount);
        if (source.Quantity is { } quantity) yield return ("quantity", quantity);
        if (source.UnitPrice is { } price) yield return ("unit_price", price);
    }

    /// <summary>A column's value as text; typed values as .NET's invariant ToString writes them (Parquet numbers and dates).</summary>
    private static string RawText(SqlDialect d, SourceColumn column) => column.Kind switch
    {
        SourceKind.Text => column.Sql,
        SourceKind.Date or SourceKind.Timestamp => d.AsText($"CAST({column.Sql} AS DATE)"),
        _ => d.AsText(column.Sql),
    };

    /// <summary>
    /// An id as the native reader sees it: text as is, integers and decimals in their invariant text, and a floating-point
    /// id (Online Retail's Parquet CustomerID is DOUBLE) as the whole number it holds. A fractional or huge floating-point
    /// id has no exact text in SQL, so the query fails (DuckDB's error()) instead of forming different customers.
    /// </summary>
    private static string IdText(SqlDialect d, SourceColumn column) => column.Kind switch
    {
        SourceKind.Text => column.Sql,
        SourceKind.Float => $"CASE WHEN {column.Sql} IS NULL THEN NULL WHEN {column.Sql} = ROUND({column.Sql}) AND ABS({column.Sql}) < 1e15 " +
            $"THEN {d.AsText($"CAST({column.Sql} AS {d.BigInt})")} " +
            $"ELSE error({d.Text($"column '{column.Name}' holds a fractional or huge floating-point id, which has no exact text in SQL; use --engine native")}) END",
        _ => RawText(d, column),
    };

    /// <summary>The mapped fields of a rejected line as name=value pairs, as the Parquet reader writes them.</summary>
    private static string RawRecord(SqlDialect d, ReductionSource source)
    {
        var parts = new List<string>();
        void Add(string name, string text) => parts.Add($"{d.Text((parts.Count > 0 ? "," : string.Empty) + name + "=")} || COALESCE({text}, '')");
        Add(source.CustomerId.Name, "id_text");
        Add(source.Date.Name, "date_text");
        if (source.Amount is { } a) Add(a.Name, "amount_text");
        if (source.Quantity is { } q) Add(q.Name, "quantity_text");
        if (source.UnitPrice is { } p) Add(p.Name, "unit_price_text");
        if (source.OrderId is not null) Add("order_id", "order_text");
        return string.Join(" || ", parts);
    }
}
