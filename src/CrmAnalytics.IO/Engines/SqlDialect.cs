using System.Globalization;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Engines;

/// <summary>The SQL engines whose dialect <c>crm sql</c> prints the reduction in.</summary>
public enum SqlDialectName
{
    DuckDb,
    Postgres,
    Spark,
    BigQuery,
    Snowflake,
}

/// <summary>
/// The few expressions that differ between engines. The reduction is written once in the SQL every engine shares
/// (CTEs, CASE, GROUP BY ordinals, SUBSTR, TRIM, CAST); only these pieces are spelled per dialect.
/// </summary>
/// <remarks>
/// Regular expressions avoid backslashes (digits are <c>[0-9]</c>), because Spark and Snowflake string literals treat
/// a backslash as an escape. Spark: Spark SQL 3.4 built-in functions; BigQuery: GoogleSQL; Snowflake: its SQL reference.
/// </remarks>
internal abstract class SqlDialect
{
    public abstract SqlDialectName Name { get; }

    /// <summary>A quoted identifier (a source column name may hold spaces: Online Retail II's <c>Customer ID</c>).</summary>
    public virtual string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A string literal.</summary>
    public virtual string Text(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Any value as text.</summary>
    public virtual string AsText(string expression) => $"CAST({expression} AS VARCHAR)";

    /// <summary>Whether the whole of <paramref name="expression"/> matches <paramref name="pattern"/> (RE2/POSIX syntax, no backslashes).</summary>
    public abstract string FullMatch(string expression, string pattern);

    /// <summary>Validated decimal text (a '.' decimal point) as a double.</summary>
    public virtual string ToDouble(string expression) => $"CAST({expression} AS DOUBLE)";

    /// <summary>A double NaN, for the Infinity and NaN spellings the native parser accepts (they become non_finite_amount).</summary>
    public virtual string NaN => "CAST('NaN' AS DOUBLE)";

    public virtual string ToInteger(string expression) => $"CAST({expression} AS INTEGER)";

    public virtual string Mod(string a, string b) => $"MOD({a}, {b})";

    /// <summary>
    /// The shard key of a customer id (the text <paramref name="text"/>), as <c>CustomerHash.ShardKey</c> computes it: the
    /// first 15 hex digits of the MD5 of its UTF-8 bytes, read as a non-negative 60-bit integer.
    /// </summary>
    public abstract string ShardKey(string text);

    /// <summary>A date from valid year, month and day integers.</summary>
    public virtual string MakeDate(string y, string m, string d) => $"MAKE_DATE({y}, {m}, {d})";

    public virtual string DateLiteral(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"DATE '{date:yyyy-MM-dd}'");

    /// <summary>Whether <paramref name="haystack"/> contains the text <paramref name="needle"/> (a literal).</summary>
    public virtual string Contains(string haystack, string needle) => $"STRPOS({haystack}, {needle}) > 0";

    public virtual string Double => "DOUBLE";

    public virtual string BigInt => "BIGINT";

    /// <summary>
    /// Ends each step of the reduction so that the engine computes the step's columns once per line. Empty where the
    /// planner does that by itself.
    /// </summary>
    public virtual string Fence => string.Empty;

    /// <summary>
    /// The aggregate of the first <paramref name="perReason"/> rejected lines of a group (columns line_no, file_name,
    /// reason_column, raw_record of the reduction), which <see cref="OccasionTable"/> reads as the <c>sample</c> column.
    /// Only the engines crm runs itself have one.
    /// </summary>
    public virtual string RejectSample(int perReason) => throw new NotSupportedException($"The {Name} dialect has no rejects sample.");

    public static SqlDialect For(SqlDialectName name) => name switch
    {
        SqlDialectName.DuckDb => DuckDbDialect.Instance,
        SqlDialectName.Postgres => PostgresDialect.Instance,
        SqlDialectName.Spark => SparkDialect.Instance,
        SqlDialectName.BigQuery => BigQueryDialect.Instance,
        SqlDialectName.Snowflake => SnowflakeDialect.Instance,
        _ => throw new ConfigurationException($"Unknown SQL dialect '{name}'."),
    };
}

/// <summary>DuckDB 1.x: RE2 regular expressions.</summary>
internal sealed class DuckDbDialect : SqlDialect
{
    public static DuckDbDialect Instance { get; } = new();

    public override SqlDialectName Name => SqlDialectName.DuckDb;

    public override string FullMatch(string expression, string pattern) => $"regexp_full_match({expression}, {Text(pattern)})";

    // md5 returns the digest as lowercase hex VARCHAR (https://duckdb.org/docs/sql/functions/text#md5string); a VARCHAR
    // '0x…' casts to an integer as a hexadecimal number (https://duckdb.org/docs/sql/data_types/numeric, executed in the tests).
    public override string ShardKey(string text) => $"CAST(('0x' || SUBSTR(md5({text}), 1, 15)) AS BIGINT)";

    /// <summary>A list of structs, the first by file and line (DuckDB's top-n <c>arg_min</c>).</summary>
    public override string RejectSample(int perReason) =>
        "arg_min({'line': line_no, 'file': file_name, 'column': reason_column, 'raw': raw_record}, {'file': file_name, 'line': line_no}, " +
        perReason.ToString(CultureInfo.InvariantCulture) + ") FILTER (WHERE reason IS NOT NULL)";
}

/// <summary>PostgreSQL 15: POSIX regular expressions with <c>~</c>; MAKE_DATE; DOUBLE PRECISION.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    public static PostgresDialect Instance { get; } = new();

    public override SqlDialectName Name => SqlDialectName.Postgres;

    public override string AsText(string expression) => $"CAST({expression} AS TEXT)";

    public override string FullMatch(string expression, string pattern) => $"({expression} ~ {Text("^(" + pattern + ")$")})";

    // md5 returns lowercase hex text (https://www.postgresql.org/docs/current/functions-string.html); 'x…' is the
    // hexadecimal input of a bit string, and a bit string casts to bigint (https://www.postgresql.org/docs/current/functions-bitstring.html,
    // https://www.postgresql.org/docs/current/datatype-bit.html); executed in the tests.
    public override string ShardKey(string text) => $"CAST(CAST(('x' || SUBSTR(md5({text}), 1, 15)) AS BIT(60)) AS BIGINT)";

    public override string ToDouble(string expression) => $"CAST({expression} AS DOUBLE PRECISION)";

    public override string NaN => "CAST('NaN' AS DOUBLE PRECISION)";

    public override string Double => "DOUBLE PRECISION";

    /// <summary>
    /// <c>OFFSET 0</c> keeps PostgreSQL from pulling a step up into the next one, which copies every column's expression
    /// into each place that names it: the day's regular expressions ran dozens of times a line, ten times slower on CDNOW.
    /// </summary>
    public override string Fence => " OFFSET 0";

    /// <summary>
    /// A json[] of the first lines by file, line and record (a table has no line numbers, so the record orders them and
    /// reruns give the same sample). The array of a group's rejected lines is built whole and then cut.
    /// </summary>
    public override string RejectSample(int perReason) =>
        "(array_agg(json_build_object('line', line_no, 'file', file_name, 'column', reason_column, 'raw', raw_record) " +
        "ORDER BY file_name, line_no, raw_record) FILTER (WHERE reason IS NOT NULL))[1:" + perReason.ToString(CultureInfo.InvariantCulture) + "]";
}

/// <summary>Spark SQL 3.4 (Databricks): Java regular expressions with RLIKE, backquoted identifiers, STRING.</summary>
internal sealed class SparkDialect : SqlDialect
{
    public static SparkDialect Instance { get; } = new();

    public override SqlDialectName Name => SqlDialectName.Spark;

    public override string Identifier(string name) => "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    // Spark string literals escape with a backslash, not by doubling.
    public override string Text(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    public override string AsText(string expression) => $"CAST({expression} AS STRING)";

    public override string FullMatch(string expression, string pattern) => $"({expression} RLIKE {Text("^(" + pattern + ")$")})";

    // md5 returns the digest as a 32-character hex string of the UTF-8 bytes; conv(…, 16, 10) reads the hex digits as a
    // number (https://spark.apache.org/docs/latest/api/sql/index.html#md5, #conv). 15 digits fit a BIGINT.
    public override string ShardKey(string text) => $"CAST(conv(SUBSTR(md5({text}), 1, 15), 16, 10) AS BIGINT)";

    public override string Contains(string haystack, string needle) => $"INSTR({haystack}, {needle}) > 0";
}

/// <summary>BigQuery GoogleSQL: RE2 with REGEXP_CONTAINS, backquoted identifiers, FLOAT64/INT64, DATE(y, m, d).</summary>
internal sealed class BigQueryDialect : SqlDialect
{
    public static BigQueryDialect Instance { get; } = new();

    public override SqlDialectName Name => SqlDialectName.BigQuery;

    public override string Identifier(string name) => "`" + name.Replace("`", "\\`", StringComparison.Ordinal) + "`";

    public override string Text(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    public override string AsText(string expression) => $"CAST({expression} AS STRING)";

    public override string FullMatch(string expression, string pattern) => $"REGEXP_CONTAINS({expression}, {Text("^(" + pattern + ")$")})";

    // MD5 of a STRING hashes its UTF-8 bytes and returns BYTES (https://cloud.google.com/bigquery/docs/reference/standard-sql/hash_functions#md5);
    // TO_HEX writes them as lowercase hex (https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#to_hex);
    // a '0x…' STRING casts to INT64 as a hexadecimal number (https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions#cast_as_int64).
    public override string ShardKey(string text) => $"CAST(CONCAT('0x', SUBSTR(TO_HEX(MD5({text})), 1, 15)) AS INT64)";

    public override string ToDouble(string expression) => $"CAST({expression} AS FLOAT64)";

    public override string NaN => "CAST('NaN' AS FLOAT64)";

    public override string ToInteger(string expression) => $"CAST({expression} AS INT64)";

    public override string MakeDate(string y, string m, string d) => $"DATE({y}, {m}, {d})";

    public override string Double => "FLOAT64";

    public override string BigInt => "INT64";
}

/// <summary>Snowflake: POSIX regular expressions with REGEXP_LIKE (implicitly anchored), DATE_FROM_PARTS.</summary>
internal sealed class SnowflakeDialect : SqlDialect
{
    public static SnowflakeDialect Instance { get; } = new();

    public override SqlDialectName Name => SqlDialectName.Snowflake;

    public override string Text(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    public override string FullMatch(string expression, string pattern) => $"REGEXP_LIKE({expression}, {Text(pattern)})";

    // MD5 returns a 32-character hex string (https://docs.snowflake.com/en/sql-reference/functions/md5); TO_NUMBER with a
    // format of X digits reads hexadecimal (https://docs.snowflake.com/en/sql-reference/functions/to_decimal,
    // https://docs.snowflake.com/en/sql-reference/sql-format-models: X is a hexadecimal digit, either case).
    public override string ShardKey(string text) => $"TO_NUMBER(SUBSTR(MD5({text}), 1, 15), 'XXXXXXXXXXXXXXX')";

    public override string MakeDate(string y, string m, string d) => $"DATE_FROM_PARTS({y}, {m}, {d})";

    public override string DateLiteral(DateOnly date) => string.Create(CultureInfo.InvariantCulture, $"TO_DATE('{date:yyyy-MM-dd}')");

    public override string Contains(string haystack, string needle) => $"POSITION({needle}, {haystack}) > 0";
}
