using System.Diagnostics;
using System.Globalization;
using CrmAnalytics.Cli.Logging;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.Cli.Input;

/// <summary>Reads one export, logs its row accounting, and enforces <c>--max-reject-rate</c>.</summary>
internal static class TransactionIngest
{
    public static async Task<(TransactionReadResult Result, long Milliseconds)> ReadAsync(
        string path, TransactionReadOptions options, IRejectSink rejects, RunLog log, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        log.Info("read", $"reading {Path.GetFileName(path)}");
        var result = await TransactionReader.ReadAsync(path, options, rejects, ct).ConfigureAwait(false);
        LogAccounting(log, "read", result.Accounting, watch.ElapsedMilliseconds);
        if (result.Accounting.Count(RejectReason.InvalidEncoding) is > 0 and var invalid)
        {
            log.Warn("read", string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(path)}: {invalid:N0} rows have a customer id that is not valid {options.Encoding} and are rejected as invalid_encoding. If the export is Latin-1 or Windows-1252, read it with --encoding latin1 or --encoding windows-1252."));
        }

        return (result, watch.ElapsedMilliseconds);
    }

    /// <summary>Logs one input's row accounting (counts and reasons only, never values).</summary>
    public static void LogAccounting(RunLog log, string stage, RowAccounting acc, long milliseconds)
    {
        log.Info(stage, string.Create(CultureInfo.InvariantCulture,
            $"rows read {acc.RowsRead:N0}: accepted {acc.RowsAccepted:N0}, rejected {acc.RowsRejected:N0} (malformed {acc.RowsMalformed:N0}, {acc.MalformedRate:P2}) in {milliseconds:N0} ms"));
        foreach (var (reason, count) in acc.ByReason())
        {
            log.Detail(stage, string.Create(CultureInfo.InvariantCulture, $"  {reason}: {count:N0}"));
        }
    }

    /// <summary>Fails when malformed rows exceed the threshold or nothing was accepted; returns the as-of date.</summary>
    /// <exception cref="RejectThresholdException">Too many malformed rows (the reasons are logged first).</exception>
    /// <exception cref="InputException">No accepted rows.</exception>
    public static DateOnly Check(TransactionReadResult result, TransactionReadOptions options, double maxRejectRate, RunLog log)
    {
        var acc = result.Accounting;
        var name = Path.GetFileName(result.Path);
        CheckRejectRate(name, acc, maxRejectRate, log);

        if (acc.RowsAccepted == 0 || result.Builder.LastDate is null)
        {
            throw new InputException($"{name}: no accepted transactions ({acc.RowsRead:N0} rows read). An empty export never replaces published output.");
        }

        return options.AsOf ?? result.Builder.DefaultAsOf();
    }

    /// <exception cref="RejectThresholdException">Malformed rows exceed <paramref name="maxRejectRate"/> (the reasons are logged first).</exception>
    public static void CheckRejectRate(string name, RowAccounting acc, double maxRejectRate, RunLog log)
    {
        if (acc.MalformedRate > maxRejectRate)
        {
            foreach (var (reason, count) in acc.ByReason())
            {
                log.Warn("read", string.Create(CultureInfo.InvariantCulture, $"{name}: {reason}: {count:N0} rows"));
            }

            throw new RejectThresholdException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {acc.RowsMalformed:N0} of {acc.RowsRead:N0} rows are malformed ({acc.MalformedRate:P2}), above --max-reject-rate {maxRejectRate:P2}. Nothing was published; the reasons are listed above and 'crm validate' shows their lines."));
        }
    }

    /// <summary>Parses a separator option value: one character, or 'tab'; null (with an error) otherwise.</summary>
    public static char? ParseSeparator(string value, string optionName, List<string> errors)
    {
        var c = value.Equals("tab", StringComparison.OrdinalIgnoreCase) || value == "\\t" ? '\t' : value.Length == 1 ? value[0] : '\0';
        if (c != '\0')
        {
            return c;
        }

        errors.Add($"{optionName} must be one character or 'tab'.");
        return null;
    }
}
