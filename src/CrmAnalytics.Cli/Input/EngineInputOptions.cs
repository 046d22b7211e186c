using System.CommandLine;
using CrmAnalytics.IO.Engines;
using CrmAnalytics.Stages.Input;

namespace CrmAnalytics.Cli.Input;

/// <summary><c>--engine</c>, the DuckDB settings and <c>--from-occasions</c>; shared by <c>score</c> (and <c>run</c>) and <c>validate</c>.</summary>
internal sealed class EngineInputOptions(bool fromOccasions)
{
    public Option<string> Engine { get; } = new("--engine")
    {
        Description = "Where the per-row reduction runs: native (the built-in reader) or duckdb (embedded DuckDB: CSV, Parquet, globs, hive-partitioned folders; spills to disk).",
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

    public Option<FileInfo?> FromOccasions { get; } = new("--from-occasions")
    {
        Description = "Read an occasions table (Parquet, the output of 'crm sql' run in a warehouse) instead of a transaction export; see the README's occasions table contract.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Engine);
        command.Options.Add(DuckDbMemoryLimit);
        command.Options.Add(DuckDbTempDir);
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
            var other => Unknown(other),
        };
        var duckDb = new DuckDbOptions { MemoryLimit = parse.GetValue(DuckDbMemoryLimit), TempDirectory = parse.GetValue(DuckDbTempDir)?.FullName };
        if (engine == TransactionEngine.Native && (duckDb.MemoryLimit is not null || duckDb.TempDirectory is not null))
        {
            errors.Add("--duckdb-memory-limit and --duckdb-temp-dir need --engine duckdb.");
        }

        return new TransactionSource(engine, duckDb, fromOccasions ? parse.GetValue(FromOccasions)?.FullName : null);

        TransactionEngine Unknown(string? value)
        {
            errors.Add($"--engine '{value}' is unknown; use native or duckdb.");
            return TransactionEngine.Native;
        }
    }
}
