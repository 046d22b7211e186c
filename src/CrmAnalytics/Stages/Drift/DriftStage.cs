using System.Globalization;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Drift;
using CrmAnalytics.Core.Pipeline;

namespace CrmAnalytics.Stages.Drift;

/// <summary>
/// Compares a run with the previous one published to the same output folder (read before the swap, under the output
/// lock): the delta for marketers (<c>segments/changes.csv</c>) and the drift figures, and enforces
/// <c>--fail-on-drift</c> before anything is published.
/// </summary>
internal static class DriftStage
{
    public static async Task<(DriftSummary Summary, IReadOnlyList<CustomerChange> Changes)?> CompareAsync(
        string outputDirectory, IReadOnlyList<ScoredCustomer> customers, IReadOnlyCollection<string>? warningList, ClvSummary? clv, double? failOnPsi, RunLog log, CancellationToken ct)
    {
        var summaryPath = Path.Combine(outputDirectory, OutputFileNames.Summary);
        if (!File.Exists(summaryPath))
        {
            log.Info("drift", "no previous run in the output folder: nothing to compare with");
            return null;
        }

        RunSummary previous;
        CustomerTableColumns table;
        try
        {
            await using (var stream = File.OpenRead(summaryPath))
            {
                previous = RunSummaryWriter.Read(stream);
            }

            var clvColumn = previous.Clv?.Result is { } pc ? CustomerColumns.ClvName(pc.HorizonMonths) : null;
            table = await CustomerTableReader.ReadAsync(outputDirectory, ["customer_id", "segment", "lifecycle_stage"],
                clvColumn is null ? ["churn_risk", "churn_probability"] : ["churn_risk", "churn_probability", clvColumn], ct).ConfigureAwait(false);
            var before = Enumerable.Range(0, table.Rows).Select(i => new CustomerState(
                table["customer_id"][i] ?? string.Empty,
                table["segment"][i] ?? string.Empty,
                table["lifecycle_stage"][i] ?? string.Empty,
                table.Has("churn_risk") ? table["churn_risk"][i] : null,
                table.Has("churn_probability") ? table.Number("churn_probability", i) : null,
                clvColumn is not null && table.Has(clvColumn) ? table.Number(clvColumn, i) : null)).ToArray();
            var now = customers.Select(c => new CustomerState(
                c.Summary.CustomerId,
                c.Segment.Name,
                CustomerColumns.LifecycleStageCode(c.Stage),
                c.Churn is { } ch ? ChurnRiskThresholds.Code(ch.Risk) : null,
                c.Churn?.Probability,
                c.Clv?.Clv)).ToArray();
            var result = RunComparison.Compare(before, now);
            double? maxPsi = result.ChurnProbabilityPsi is null && result.ClvPsi is null
                ? null
                : Math.Max(result.ChurnProbabilityPsi ?? 0, result.ClvPsi ?? 0);
            var summary = new DriftSummary(
                previous.AsOf, previous.FinishedAtUtc, result.PreviousCustomers, result.CurrentCustomers, result.NewCustomers, result.GoneCustomers,
                result.ChangedCustomers, result.SegmentTransitions, result.SegmentShareChange, result.ChurnProbabilityPsi, result.ClvPsi, maxPsi,
                ParameterChange(previous.Clv?.Result, clv), failOnPsi)
            {
                ClvModel = ClvModelChange.Between(previous.Clv?.Result, clv),
            };
            if (summary.ClvModel is { Changed: true } model)
            {
                log.Warn("drift", $"the CLV purchase model changed since {previous.AsOf:yyyy-MM-dd}: {model.Previous} → {model.Current}{(clv?.Selection is { } s ? $" (--clv-model auto: {s.Reason})" : string.Empty)}");
            }

            log.Info("drift", string.Create(CultureInfo.InvariantCulture,
                $"since {previous.AsOf:yyyy-MM-dd}: {result.NewCustomers:N0} new, {result.ChangedCustomers:N0} changed, {result.GoneCustomers:N0} gone; PSI churn {Format(result.ChurnProbabilityPsi)}, clv {Format(result.ClvPsi)}"));
            if (failOnPsi is { } limit && maxPsi > limit)
            {
                throw new DriftExceededException(string.Create(CultureInfo.InvariantCulture,
                    $"the run drifted from the previous one (as of {previous.AsOf:yyyy-MM-dd}): PSI churn {Format(result.ChurnProbabilityPsi)}, clv {Format(result.ClvPsi)}, above --fail-on-drift {limit}. Nothing was published; check the upstream export before rerunning without the limit."));
            }

            var listChanges = warningList is null
                ? []
                : WarningListChanges.Compare(IO.Churn.ChurnWarningWriter.ReadCustomerIds(Path.Combine(outputDirectory, OutputFileNames.ChurnWarning)), warningList, before, now);
            return (summary, [.. result.Changes, .. listChanges]);
        }
        catch (Exception ex) when (ex is InputException or System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            log.Warn("drift", $"the previous output in {outputDirectory} cannot be read ({ex.GetType().Name}); no comparison this run.");
            return null;
        }
    }

    /// <summary>current / previous − 1 for every parameter of the same models in both runs.</summary>
    private static Dictionary<string, double> ParameterChange(ClvSummary? previous, ClvSummary? current)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (previous is null || current is null)
        {
            return result;
        }

        foreach (var (before, now) in new[] { (previous.Purchase, current.Purchase), (previous.Spend, current.Spend) })
        {
            if (before.Model != now.Model)
            {
                continue;
            }

            foreach (var (name, value) in now.Parameters)
            {
                if (before.Parameters.TryGetValue(name, out var old) && old != 0)
                {
                    result[$"{now.Model}.{name}"] = (value / old) - 1;
                }
            }
        }

        return result;
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "n/a";
}
