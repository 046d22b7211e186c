namespace CrmAnalytics.Core.Drift;

/// <summary>What the comparison needs of one customer in one run.</summary>
public sealed record CustomerState(string CustomerId, string Segment, string LifecycleStage, string? ChurnRisk, double? ChurnProbability, double? Clv);

/// <summary>A customer whose segment, lifecycle stage or churn risk band differs from the previous run, or who is new.</summary>
/// <param name="Change">"new" (not in the previous run) or "changed".</param>
public sealed record CustomerChange(
    string CustomerId, string Change, string? OldSegment, string NewSegment, string? OldLifecycleStage, string NewLifecycleStage, string? OldChurnRisk, string? NewChurnRisk);

/// <summary>Customers who were in segment <see cref="From"/> in the previous run and are in <see cref="To"/> now.</summary>
public sealed record SegmentTransition(string From, string To, int Customers);

/// <summary>The run-to-run delta and drift figures.</summary>
/// <param name="SegmentShareChange">Per segment: current share of customers − previous share (fractions).</param>
/// <param name="ChurnProbabilityPsi">PSI of churn_probability; null unless both runs scored churn.</param>
/// <param name="ClvPsi">PSI of the CLV column; null unless both runs valued CLV.</param>
public sealed record RunComparisonResult(
    int PreviousCustomers,
    int CurrentCustomers,
    int NewCustomers,
    int GoneCustomers,
    int ChangedCustomers,
    IReadOnlyList<SegmentTransition> SegmentTransitions,
    IReadOnlyDictionary<string, double> SegmentShareChange,
    double? ChurnProbabilityPsi,
    double? ClvPsi,
    IReadOnlyList<CustomerChange> Changes);

public static class RunComparison
{
    /// <summary>
    /// Compares two runs' customers by id: changes (new customers and changed segment, stage or risk band) in
    /// current order, the segment transition counts of customers in both runs (ordered by from, then to), share
    /// changes and the PSI of the churn probability and CLV distributions.
    /// </summary>
    public static RunComparisonResult Compare(IReadOnlyList<CustomerState> previous, IReadOnlyList<CustomerState> current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var before = new Dictionary<string, CustomerState>(previous.Count, StringComparer.Ordinal);
        foreach (var p in previous)
        {
            before.TryAdd(p.CustomerId, p);
        }

        var changes = new List<CustomerChange>();
        var transitions = new Dictionary<(string, string), int>();
        var seen = 0;
        foreach (var c in current)
        {
            if (!before.TryGetValue(c.CustomerId, out var p))
            {
                changes.Add(new CustomerChange(c.CustomerId, "new", null, c.Segment, null, c.LifecycleStage, null, c.ChurnRisk));
                continue;
            }

            seen++;
            var key = (p.Segment, c.Segment);
            transitions[key] = transitions.GetValueOrDefault(key) + 1;
            if (p.Segment != c.Segment || p.LifecycleStage != c.LifecycleStage || (p.ChurnRisk is not null && c.ChurnRisk is not null && p.ChurnRisk != c.ChurnRisk))
            {
                changes.Add(new CustomerChange(c.CustomerId, "changed", p.Segment, c.Segment, p.LifecycleStage, c.LifecycleStage, p.ChurnRisk, c.ChurnRisk));
            }
        }

        var segments = previous.Select(p => p.Segment).Concat(current.Select(c => c.Segment)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var shareChange = segments.ToDictionary(
            s => s,
            s => Share(current, c => c.Segment == s) - Share(previous, p => p.Segment == s),
            StringComparer.Ordinal);

        return new RunComparisonResult(
            previous.Count,
            current.Count,
            current.Count - seen,
            before.Count - seen,
            changes.Count(c => c.Change == "changed"),
            transitions.OrderBy(t => t.Key.Item1, StringComparer.Ordinal).ThenBy(t => t.Key.Item2, StringComparer.Ordinal)
                .Select(t => new SegmentTransition(t.Key.Item1, t.Key.Item2, t.Value)).ToArray(),
            shareChange,
            Psi(previous, current, s => s.ChurnProbability),
            Psi(previous, current, s => s.Clv),
            changes);
    }

    private static double Share(IReadOnlyList<CustomerState> states, Func<CustomerState, bool> predicate) =>
        states.Count == 0 ? 0 : (double)states.Count(predicate) / states.Count;

    private static double? Psi(IReadOnlyList<CustomerState> previous, IReadOnlyList<CustomerState> current, Func<CustomerState, double?> value)
    {
        var e = previous.Select(value).OfType<double>().ToArray();
        var a = current.Select(value).OfType<double>().ToArray();
        return e.Length == 0 || a.Length == 0 ? null : PopulationStability.Index(e, a);
    }
}
