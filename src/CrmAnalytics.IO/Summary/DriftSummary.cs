using CrmAnalytics.Core.Drift;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;

namespace CrmAnalytics.IO.Summary;

/// <summary>The drift section of summary.json: how this run differs from the previous one published to the same folder.</summary>
/// <param name="PreviousAsOf">The previous run's as-of date.</param>
/// <param name="Transitions">Customers by (previous segment → current segment), for customers in both runs.</param>
/// <param name="ParameterChange">Per fitted parameter ("bgnbd.r", "gammagamma.p", …): current / previous − 1.</param>
/// <param name="MaxPsi">The larger of the two PSIs, compared with <paramref name="FailOnPsi"/>.</param>
public sealed record DriftSummary(
    DateOnly PreviousAsOf,
    DateTimeOffset? PreviousFinishedAtUtc,
    int PreviousCustomers,
    int CurrentCustomers,
    int NewCustomers,
    int GoneCustomers,
    int ChangedCustomers,
    IReadOnlyList<SegmentTransition> Transitions,
    IReadOnlyDictionary<string, double> SegmentShareChange,
    double? ChurnProbabilityPsi,
    double? ClvPsi,
    double? MaxPsi,
    IReadOnlyDictionary<string, double> ParameterChange,
    double? FailOnPsi)
{
    /// <summary>The purchase model of the previous run and of this one, when both fitted CLV; <c>changed</c> flags a new pick of <c>--clv-model auto</c>.</summary>
    public ClvModelChange? ClvModel { get; init; }
}

/// <summary>The purchase model of two consecutive runs (summary.json <c>drift.clv_model</c>).</summary>
public sealed record ClvModelChange(string Previous, string Current, bool Changed)
{
    /// <summary>The change between two runs' CLV sections; null unless both have one.</summary>
    public static ClvModelChange? Between(ClvSummary? previous, ClvSummary? current) =>
        previous is null || current is null ? null : new ClvModelChange(previous.Model, current.Model, previous.Model != current.Model);
}

/// <summary>Writes <c>segments/changes.csv</c>: one row per new or changed customer, for marketers' triggers.</summary>
public static class ChangesWriter
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "customer_id", "change", "old_segment", "new_segment", "old_lifecycle_stage", "new_lifecycle_stage", "old_churn_risk", "new_churn_risk",
    ];

    /// <exception cref="OutputException">The file cannot be written.</exception>
    public static void WriteFile(string path, IEnumerable<CustomerChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        OutputFiles.Write(path, stream =>
        {
            using var csv = CsvHelper.CsvWriter.Create(stream, CsvOutput.Options, leaveOpen: true);
            csv.WriteHeader([.. Columns]);
            foreach (var c in changes)
            {
                foreach (var field in new[] { c.CustomerId, c.Change, c.OldSegment, c.NewSegment, c.OldLifecycleStage, c.NewLifecycleStage, c.OldChurnRisk, c.NewChurnRisk })
                {
                    CsvOutput.WriteText(csv, field);
                }

                csv.EndRecord();
            }

            csv.Flush();
        });
    }
}
