using CrmAnalytics.IO.Engines;

namespace CrmAnalytics.Stages.Input;

/// <summary>Where the per-row reduction of a transaction export runs, and with which engine settings.</summary>
/// <param name="FromOccasions">An occasions table (Parquet) to read instead of a transaction export: <c>--from-occasions</c>.</param>
/// <param name="Postgres">The table or query and the connection of <c>--engine postgres</c>, which reads no file.</param>
public sealed record TransactionSource(TransactionEngine Engine, DuckDbOptions DuckDb, string? FromOccasions = null, PostgresOptions? Postgres = null)
{
    internal static TransactionSource Native { get; } = new(TransactionEngine.Native, DuckDbOptions.Default);

    /// <summary>The name summary.json records: native, duckdb, postgres or occasions.</summary>
    internal string Name => FromOccasions is not null ? "occasions" : Engine.ToString().ToLowerInvariant();

    /// <summary>
    /// summary.json's entry for the input: a file's hash and size, or for a database source (which has neither) the
    /// SHA-256 of the table name or query text and size 0, with the format <c>postgres</c>.
    /// </summary>
    /// <param name="read">The file's hash from its read (<see cref="IO.Input.TransactionReadResult.Hash"/>); null hashes the file now.</param>
    internal IO.Summary.InputSummary Summary(string path, string format, Core.Transactions.RowAccounting accounting, IO.Publishing.FileHash? read = null) => (Postgres, read) switch
    {
        ({ } pg, _) => IO.Summary.InputSummary.From(path, Name, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(pg.SourceTable ?? pg.SourceQuery ?? string.Empty))), 0, accounting),
        (null, { } hash) => IO.Summary.InputSummary.From(path, format, hash.Sha256, hash.Bytes, accounting),
        _ => IO.Summary.InputSummary.ForFile(path, format, accounting),
    };
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
