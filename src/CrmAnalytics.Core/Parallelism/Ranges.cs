namespace CrmAnalytics.Core.Parallelism;

/// <summary>
/// The one parallel loop over index ranges: <c>[0, count)</c> cut into consecutive ranges of <see cref="Size"/> indexes,
/// each run on its own on all cores. Used by <c>CustomerSegmenter</c>, <c>CustomerSummaryBuilder</c> (the repeat-gap
/// histogram and the cut-off walk) and the Churn project's <c>ChurnDataset.Subset</c>, whose loops write disjoint slots
/// or keep one partial result per range, merged afterwards in range order.
/// </summary>
public static class Ranges
{
    /// <summary>Indexes per range: large enough that scheduling is negligible, small enough to balance the cores.</summary>
    public const int Size = 1 << 14;

    /// <summary>The number of ranges <see cref="For"/> cuts <paramref name="count"/> indexes into; range r starts at r × <see cref="Size"/>.</summary>
    public static int Count(int count) => (count + Size - 1) / Size;

    /// <summary>Calls <paramref name="body"/>(start, end) once per range, on all cores; together the ranges cover <c>[0, count)</c> exactly once.</summary>
    /// <param name="body">Called with the range's first index and the index after its last; calls may run concurrently.</param>
    public static void For(int count, Action<int, int> body)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(body);
        Parallel.For(0, Count(count), range => body(range * Size, Math.Min(count, (range + 1) * Size)));
    }
}
