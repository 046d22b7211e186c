using System.CommandLine;
using CrmAnalytics.IO.Engines;

namespace CrmAnalytics.Cli.Input;

/// <summary>Where the per-row reduction of a transaction export runs, and with which engine settings.</summary>
/// <param name="FromOccasions">An occasions table (Parquet) to read instead of a transaction export: <c>--from-occasions</c>.</param>
internal sealed record TransactionSource(TransactionEngine Engine, DuckDbOptions DuckDb, string? FromOccasions = null)
{
    public static TransactionSource Native { get; } = new(TransactionEngine.Native, DuckDbOptions.Default);

    /// <summary>The name summary.json records: native, duckdb or occasions.</summary>
    public string Name => FromOccasions is not null ? "occasions" : Engine == TransactionEngine.DuckDb ? "duckdb" : "native";
}

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

/// <summary>Reads that the engines add to the native reader's checks.</summary>
internal static class EngineReads
{
    /// <summary>
    /// Reads an occasions table. Its days must lie before <c>--as-of</c> when one is given: the table was cut at the
    /// as-of date of its SQL, and days after this run's would be left out without being counted as date_after_as_of.
    /// </summary>
    /// <exception cref="Core.InputException">The table is unreadable, breaks the contract, or has days on or after --as-of.</exception>
    public static async Task<IO.Input.TransactionReadResult> OccasionsAsync(string path, IO.Input.TransactionReadOptions options, DuckDbOptions duckDb, CancellationToken ct)
    {
        var result = await DuckDbTransactionSource.ReadOccasionsAsync(path, duckDb, ct).ConfigureAwait(false);
        if (options.AsOf is { } asOf && result.Builder.LastDate >= asOf)
        {
            throw new Core.InputException($"{Path.GetFileName(path)}: the occasions table has days up to {result.Builder.LastDate:yyyy-MM-dd}, on or after --as-of {asOf:yyyy-MM-dd}; generate it with 'crm sql --as-of {asOf:yyyy-MM-dd}'.");
        }

        return result;
    }
}
