using System.Collections;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Pipeline;

/// <summary>
/// The customer table a stage hands on, held in columns: one entry per customer of the summary, in its order. Scoring
/// makes the RFM, segment, stage and tier columns; each model stage returns a table that shares every column before it
/// and adds its own (<see cref="WithClv"/>, <see cref="WithChurn"/>, <see cref="WithNps"/>). No stage copies rows: at
/// 1.35M customers a copy of per-row objects was 280 MB and about a second per stage.
/// </summary>
public sealed class ScoredCustomers : IReadOnlyList<ScoredCustomer>
{
    private readonly IReadOnlyList<RfmSegmentRule> _segmentRules;
    private readonly int[] _segments;

    /// <param name="summaries">The customers.</param>
    /// <param name="rfm">Aligned with <paramref name="summaries"/>.</param>
    /// <param name="segmentRules">The rules in table order, then Others.</param>
    /// <param name="segments">Each customer's index in <paramref name="segmentRules"/>.</param>
    /// <param name="stages">Aligned with <paramref name="summaries"/>.</param>
    /// <param name="topValueTier">Aligned with <paramref name="summaries"/>.</param>
    internal ScoredCustomers(IReadOnlyList<CustomerSummary> summaries, IReadOnlyList<RfmScore> rfm, IReadOnlyList<RfmSegmentRule> segmentRules, int[] segments, LifecycleStage[] stages, IReadOnlyList<bool> topValueTier)
    {
        var n = summaries.Count;
        if (rfm.Count != n || segments.Length != n || stages.Length != n || topValueTier.Count != n)
        {
            throw new ArgumentException("Every column must have one entry per customer.", nameof(summaries));
        }

        (Summaries, Rfm, _segmentRules, _segments, Stages, TopValueTier) = (summaries, rfm, segmentRules, segments, stages, topValueTier);
    }

    private ScoredCustomers(ScoredCustomers table)
    {
        (Summaries, Rfm, _segmentRules, _segments, Stages, TopValueTier) = (table.Summaries, table.Rfm, table._segmentRules, table._segments, table.Stages, table.TopValueTier);
        (Clv, Churn, Nps) = (table.Clv, table.Churn, table.Nps);
    }

    /// <summary>An empty table.</summary>
    public static ScoredCustomers Empty { get; } = new([], [], [], [], [], []);

    /// <summary>The customers' summaries.</summary>
    public IReadOnlyList<CustomerSummary> Summaries { get; }

    /// <summary>The RFM scores.</summary>
    public IReadOnlyList<RfmScore> Rfm { get; }

    /// <summary>The lifecycle stages.</summary>
    public IReadOnlyList<LifecycleStage> Stages { get; }

    /// <summary>The value-tier flags.</summary>
    public IReadOnlyList<bool> TopValueTier { get; }

    /// <summary>The CLV columns; null when no purchase model was fitted.</summary>
    public IReadOnlyList<CustomerClv>? Clv { get; private init; }

    /// <summary>The churn columns; null when no churn model scored.</summary>
    public IReadOnlyList<CustomerChurn>? Churn { get; private init; }

    /// <summary>The latest survey response per customer (null for those without one); null without surveys.</summary>
    public IReadOnlyList<Nps.CustomerNps?>? Nps { get; private init; }

    /// <inheritdoc />
    public int Count => Summaries.Count;

    /// <inheritdoc />
    public ScoredCustomer this[int index] => (uint)index < (uint)Count ? new(this, index) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The table with the CLV columns, aligned with the customers.</summary>
    public ScoredCustomers WithClv(IReadOnlyList<CustomerClv> clv) => new(this) { Clv = Aligned(clv) };

    /// <summary>The table with the churn columns, aligned with the customers.</summary>
    public ScoredCustomers WithChurn(IReadOnlyList<CustomerChurn> churn) => new(this) { Churn = Aligned(churn) };

    /// <summary>The table with each customer's survey response (null for those without one), aligned with the customers.</summary>
    public ScoredCustomers WithNps(IReadOnlyList<Nps.CustomerNps?> nps) => new(this) { Nps = Aligned(nps) };

    /// <inheritdoc />
    public IEnumerator<ScoredCustomer> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new ScoredCustomer(this, i);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal RfmSegmentRule SegmentRule(int index) => _segmentRules[_segments[index]];

    private IReadOnlyList<T> Aligned<T>(IReadOnlyList<T> column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.Count == Count ? column : throw new ArgumentException($"The column has {column.Count:N0} entries for {Count:N0} customers.", nameof(column));
    }
}
