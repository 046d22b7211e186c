using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.Stages.Logging;

namespace CrmAnalytics.Stages.Input;

/// <summary>The row accounting of any input (a transaction export or a survey file): its log lines and the malformed-rate limit.</summary>
internal static class InputAccounting
{
    /// <summary>Logs one input's row accounting (counts and reasons only, never values).</summary>
    public static void Log(RunLog log, string stage, RowAccounting acc, long milliseconds)
    {
        log.Info(stage, string.Create(CultureInfo.InvariantCulture,
            $"rows read {acc.RowsRead:N0}: accepted {acc.RowsAccepted:N0}, rejected {acc.RowsRejected:N0} (malformed {acc.RowsMalformed:N0}, {acc.MalformedRate:P2}) in {milliseconds:N0} ms"));
        foreach (var (reason, count) in acc.ByReason())
        {
            log.Detail(stage, string.Create(CultureInfo.InvariantCulture, $"  {reason}: {count:N0}"));
        }
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
}
