using System.CommandLine;
using CrmAnalytics.IO.Engines;
using CrmAnalytics.Stages.Input;

namespace CrmAnalytics.Cli.Input;

/// <summary><c>--engine</c>, the DuckDB and PostgreSQL settings and <c>--from-occasions</c>; shared by <c>score</c> (and <c>run</c>) and <c>validate</c>.</summary>
internal sealed class EngineInputOptions(bool fromOccasions)
{
    public Option<string> Engine { get; } = new("--engine")
    {
        Description = "Where the per-row reduction runs: native (the built-in reader), duckdb (embedded DuckDB: CSV, Parquet, globs, hive-partitioned folders; spills to disk) or postgres (a PostgreSQL table or query: --source-table or --source-query, no export argument).",
        DefaultValueFactory = _ => "native",
    };

    public Option<string?> DuckDbMemoryLimit { get; } = new("--duckdb-memory-limit")
    {
        Description = "With --engine duckdb: DuckDB's memory limit, e.g. 2GB; beyond it DuckDB spills to --duckdb-temp-dir.",
    };

    public Option<DirectoryInfo?> DuckDbTempDir { get; } = new("--duckdb-temp-dir")
    {
        Description = "With --engine duckdb: the folder DuckDB spills to.",
    };

    public Option<string?> SourceTable { get; } = new("--source-table")
    {
        Description = "With --engine postgres: the table or view to read, as SQL names it (sales.order_lines); its columns carry the mapping's names.",
    };

    public Option<string?> SourceQuery { get; } = new("--source-query")
    {
        Description = "With --engine postgres: a SELECT to read instead of a table; its result columns carry the mapping's names.",
    };

    public Option<string> PgConnectionEnv { get; } = new("--pg-connection-env")
    {
        Description = "With --engine postgres: the environment variable holding the Npgsql connection string (never given on the command line).",
        DefaultValueFactory = _ => PostgresOptions.DefaultConnectionVariable,
    };

    public Option<FileInfo?> FromOccasions { get; } = new("--from-occasions")
    {
        Description = "Read an occasions table (Parquet, the output of 'crm sql' run in a warehouse) instead of a transaction export; see the README's occasions table contract.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Engine);
        command.Options.Add(DuckDbMemoryLimit);
        command.Options.Add(DuckDbTempDir);
        command.Options.Add(SourceTable);
        command.Options.Add(SourceQuery);
        command.Options.Add(PgConnectionEnv);
        if (fromOccasions)
        {
            command.Options.Add(FromOccasions);
        }
    }

    public TransactionSource Build(ParseResult parse, List<string> errors)
    {
        var engine = parse.GetValue(Engine)?.ToLowerInvariant() switch
        {
            "native" => TransactionEngine.Native,
            "duckdb" => TransactionEngine.DuckDb,
            "postgres" => TransactionEngine.Postgres,
            var other => Unknown(other),
        };
        var duckDb = new DuckDbOptions { MemoryLimit = parse.GetValue(DuckDbMemoryLimit), TempDirectory = parse.GetValue(DuckDbTempDir)?.FullName };
        if (engine == TransactionEngine.Native && (duckDb.MemoryLimit is not null || duckDb.TempDirectory is not null))
        {
            errors.Add("--duckdb-memory-limit and --duckdb-temp-dir need --engine duckdb.");
        }

        var postgres = new PostgresOptions
        {
            SourceTable = parse.GetValue(SourceTable),
            SourceQuery = parse.GetValue(SourceQuery),
            ConnectionVariable = parse.GetValue(PgConnectionEnv) ?? PostgresOptions.DefaultConnectionVariable,
        };
        if (engine == TransactionEngine.Postgres)
        {
            errors.AddRange(postgres.Validate());
        }
        else if (postgres.SourceTable is not null || postgres.SourceQuery is not null || parse.GetResult(PgConnectionEnv) is { Implicit: false })
        {
            errors.Add("--source-table, --source-query and --pg-connection-env need --engine postgres.");
        }

        return new TransactionSource(engine, duckDb, fromOccasions ? parse.GetValue(FromOccasions)?.FullName : null, engine == TransactionEngine.Postgres ? postgres : null);

        TransactionEngine Unknown(string? value)
        {
            errors.Add($"--engine '{value}' is unknown; use native, duckdb or postgres.");
            return TransactionEngine.Native;
        }
    }

    /// <summary>
    /// The input's path or name: the export, the occasions table, or the PostgreSQL source, exactly one of which must be
    /// given (null, with an error, otherwise).
    /// </summary>
    public static string? InputName(string? export, TransactionSource source, List<string> errors)
    {
        string?[] given = [export, source.FromOccasions, source.Postgres?.SourceName];
        if (given.Count(g => g is not null) != 1)
        {
            errors.Add("Give one input: a transaction export, --from-occasions <parquet>, or --engine postgres with --source-table or --source-query.");
            return null;
        }

        return given.First(g => g is not null);
    }
}
