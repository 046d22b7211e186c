using System.Diagnostics;
using System.Globalization;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Engines;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.Stages.Input;

/// <summary>
/// Reads one transaction export with the chosen engine, logs its row accounting, and checks it: the malformed and excluded
/// rates, at least one accepted row, and the as-of date.
/// </summary>
public static class TransactionIngest
{
    /// <summary>Reads with the native reader; returns the result and the read's wall time.</summary>
    public static Task<(TransactionReadResult Result, long Milliseconds)> ReadAsync(
        string path, TransactionReadOptions options, IRejectSink rejects, RunLog log, CancellationToken ct) =>
        ReadAsync(path, options, TransactionSource.Native, rejects, log, ct);

    /// <summary>Reads with the engine of <paramref name="source"/>: the native reader, DuckDB, or an occasions table.</summary>
    public static async Task<(TransactionReadResult Result, long Milliseconds)> ReadAsync(
        string path, TransactionReadOptions options, TransactionSource source, IRejectSink rejects, RunLog log, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        log.Info("read", $"reading {Path.GetFileName(path)}{(source.Engine == TransactionEngine.Native && source.FromOccasions is null ? string.Empty : $" ({source.Name})")}");
        TransactionReadResult result;
        try
        {
            result = await Cancellable.RunAsync(() => source switch
            {
                { FromOccasions: { } occasions } => EngineReads.OccasionsAsync(occasions, options, source.DuckDb, ct),
                { Engine: TransactionEngine.DuckDb } => DuckDbTransactionSource.ReadAsync(path, options, source.DuckDb, rejects, ct),
                { Postgres: { } postgres } => PostgresTransactionSource.ReadAsync(postgres, options, rejects, ct),
                _ => TransactionReader.ReadAsync(path, options, rejects, ct),
            }, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsDecodeFailure(ex, path, options))
        {
            // Parquet.Net reports a corrupt page or footer as whatever its decoder hit (ArgumentOutOfRangeException, ...).
            throw new InputException($"{Path.GetFileName(path)}: the Parquet file cannot be decoded ({ex.GetType().Name}); it is corrupt or truncated. Nothing was published.", ex);
        }

        InputAccounting.Log(log, "read", result.Accounting, watch.ElapsedMilliseconds);
        if (result.Accounting.Count(RejectReason.InvalidEncoding) is > 0 and var invalid)
        {
            log.Warn("read", string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(path)}: {invalid:N0} rows have a customer id that is not valid {options.Encoding} and are rejected as invalid_encoding. If the export is Latin-1 or Windows-1252, read it with --encoding latin1 or --encoding windows-1252."));
        }

        return (result, watch.ElapsedMilliseconds);
    }

    private static bool IsDecodeFailure(Exception ex, string path, TransactionReadOptions options) =>
        ex is not (CrmAnalyticsException or OperationCanceledException or OutOfMemoryException)
        && TransactionReader.Detect(path, options.Format).Format == TransactionFormat.Parquet;

    /// <summary>
    /// Fails when malformed rows exceed <paramref name="maxRejectRate"/>, rows excluded by design exceed
    /// <paramref name="maxExcludedRate"/>, or nothing was accepted; warns about implausible dates and about exclusions above
    /// <see cref="ExcludedWarningRate"/>. Returns the as-of date.
    /// </summary>
    /// <exception cref="RejectThresholdException">Too many malformed or excluded rows (the reasons are logged first).</exception>
    /// <exception cref="InputException">No accepted rows.</exception>
    public static DateOnly Check(TransactionReadResult result, TransactionReadOptions options, double maxRejectRate, double maxExcludedRate, RunLog log)
    {
        var acc = result.Accounting;
        var name = Path.GetFileName(result.Path);
        if (acc.Count(RejectReason.ImplausibleDate) is > 0 and var implausible)
        {
            log.Warn("read", string.Create(CultureInfo.InvariantCulture,
                $"{name}: {implausible:N0} rows have an implausible date (before {options.EarliestDate:yyyy-MM-dd} or after {options.LatestDate ?? DateOnly.MaxValue:yyyy-MM-dd}; see --earliest-date and --future-days) and were rejected as implausible_date."));
        }

        InputAccounting.CheckRejectRate(name, acc, maxRejectRate, log);
        if (acc.RowsAccepted == 0 || result.Builder.LastDate is null)
        {
            throw new InputException($"{name}: no accepted transactions ({acc.RowsRead:N0} rows read). An empty export never replaces published output.");
        }

        CheckExcludedRate(name, acc, maxExcludedRate, log);

        return options.AsOf ?? result.Builder.DefaultAsOf();
    }

    /// <summary>Rows excluded by design above this share of rows read are worth a warning: half the export is not used.</summary>
    internal const double ExcludedWarningRate = 0.5;

    /// <exception cref="RejectThresholdException">Excluded rows exceed <paramref name="maxExcludedRate"/>.</exception>
    private static void CheckExcludedRate(string name, RowAccounting acc, double maxExcludedRate, RunLog log)
    {
        if (acc.ExcludedRate <= ExcludedWarningRate && acc.ExcludedRate <= maxExcludedRate)
        {
            return;
        }

        var reasons = string.Join(", ", RejectReasons.All.Where(r => r.CountsAsDataLoss() && acc.Count(r) > 0)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Code()} {acc.Count(r):N0}")));
        var share = string.Create(CultureInfo.InvariantCulture, $"{name}: {acc.RowsExcluded:N0} of {acc.RowsRead:N0} rows ({acc.ExcludedRate:P2}) are excluded by design ({reasons})");
        if (acc.ExcludedRate > maxExcludedRate)
        {
            throw new RejectThresholdException(string.Create(CultureInfo.InvariantCulture,
                $"{share}, above --max-excluded-rate {maxExcludedRate:P2}. Nothing was published; check the export and its --map."));
        }

        log.Warn("read", share + "; the scorecard covers only the rest.");
    }
}
