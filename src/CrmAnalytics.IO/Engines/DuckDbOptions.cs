namespace CrmAnalytics.IO.Engines;

/// <summary>Where the per-row reduction runs: <c>--engine</c>.</summary>
public enum TransactionEngine
{
    /// <summary>The built-in streaming reader (the default).</summary>
    Native,

    /// <summary>Embedded DuckDB: the reduction runs in SQL over CSV, Parquet, globs and hive-partitioned folders, spilling to disk.</summary>
    DuckDb,

    /// <summary>PostgreSQL (Npgsql): the reduction runs in the server over a table or a query; see <see cref="PostgresOptions"/>.</summary>
    Postgres,
}

/// <summary>Settings of the embedded DuckDB engine.</summary>
public sealed record DuckDbOptions
{
    /// <summary>DuckDB's <c>memory_limit</c>, such as <c>2GB</c> or <c>500MiB</c>; null keeps DuckDB's default (80% of RAM). Beyond it, DuckDB spills to <see cref="TempDirectory"/>.</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>DuckDB's <c>temp_directory</c> for spilled data; null keeps DuckDB's default.</summary>
    public string? TempDirectory { get; init; }

    public static DuckDbOptions Default { get; } = new();
}
