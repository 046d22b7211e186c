using CrmAnalytics.Core.Internals;

namespace CrmAnalytics.Core.Rfm.Internals;

/// <summary>Quintile scores 1–5 from minimum ("min") ranks; the pure math behind <see cref="RfmScorer"/>.</summary>
/// <remarks>
/// <para>
/// Each value gets the 1-based minimum rank of its value in ascending order, as pandas'
/// <c>rank(method="min")</c> and R's <c>rank(ties.method = "min")</c> do: tied values share the rank of the first of
/// them. The score is <c>1 + floor(5 × (minRank − 1) / n)</c>.
/// </para>
/// <para>
/// Consequences: ties always share a score; the lowest value always scores 1; when every value is equal every score
/// is 1; with n &lt; 5 distinct values some scores are skipped (n = 2 gives 1 and 3); with n distinct values and n a
/// multiple of 5 each score holds exactly n / 5 values. A large block of ties at the bottom pushes the next value up
/// (6 tied lowest of 10 score 1 and the next scores 1 + floor(5 × 6 / 10) = 4), which is the point of ranking ties
/// together: equal customers are never split across quintiles.
/// </para>
/// </remarks>
internal static class RankQuintiles
{
    /// <summary>
    /// Integer keys are ranked by counting when their range (max − min) is at most this many times their number.
    /// </summary>
    /// <remarks>
    /// Counting costs a pass over the keys, a pass over a table of range + 1 counts and a pass to score: at a range of
    /// 4n that is still a few linear passes, well under a sort, and its table (at most 16n bytes) stays under the 24n
    /// bytes of keys, index and scratch the sort takes. Recency in days and order counts span a few thousand values,
    /// so real populations always count; a wider range (a planted outlier) is sorted instead.
    /// </remarks>
    internal const int CountingRangePerKey = 4;

    /// <summary>
    /// The scores of integer keys, the same as <see cref="Score(double[], int[], Span{byte})"/> gives for the keys as
    /// doubles: by counting when the range is small (<see cref="CountingRangePerKey"/>), else by that sort.
    /// </summary>
    /// <param name="keys">The values to rank, ascending = better; not changed.</param>
    /// <param name="scores">Receives one score per key, aligned with the keys.</param>
    public static void Score(ReadOnlySpan<int> keys, Span<byte> scores)
    {
        var n = keys.Length;
        if (scores.Length != n)
        {
            throw new ArgumentException("Keys and scores must have the same length.", nameof(scores));
        }

        if (n == 0)
        {
            return;
        }

        int min = keys[0], max = keys[0];
        foreach (var k in keys)
        {
            min = Math.Min(min, k);
            max = Math.Max(max, k);
        }

        if (!IsCounted(min, max, n))
        {
            var doubles = new double[n];
            for (var i = 0; i < n; i++)
            {
                doubles[i] = keys[i];
            }

            Score(doubles, new int[n], scores);
            return;
        }

        // Counts per value, then in place the score of each present value: its min rank is 1 + the keys below it.
        // k − min fits an int (range < Array.MaxLength), so the unchecked difference is exact.
        var table = new int[(long)max - min + 1];
        foreach (var k in keys)
        {
            table[k - min]++;
        }

        var below = 0;
        for (var v = 0; v < table.Length; v++)
        {
            var count = table[v];
            if (count != 0)
            {
                table[v] = Quintile(below + 1, n);
                below += count;
            }
        }

        for (var i = 0; i < n; i++)
        {
            scores[i] = (byte)table[keys[i] - min];
        }
    }

    /// <summary>
    /// Scores every key in place of its position: <c>scores[i]</c> is the quintile score of <c>keys[i]</c>.
    /// </summary>
    /// <param name="keys">The values to rank, ascending = better; a work buffer, sorted by this call.</param>
    /// <param name="index">A work buffer of the same length; its contents are overwritten.</param>
    /// <param name="scores">Receives one score per key, aligned with the keys' original order.</param>
    /// <remarks>
    /// O(n): one radix sort of the keys with their positions (<see cref="DoubleKeySort"/>), then one pass over runs of
    /// equal keys. Keys are compared with <see cref="double.CompareTo(double)"/>, so −0 equals +0 and NaN sorts lowest
    /// and ties with NaN.
    /// </remarks>
    public static void Score(double[] keys, int[] index, Span<byte> scores)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(index);
        var n = keys.Length;
        if (index.Length != n || scores.Length != n)
        {
            throw new ArgumentException("Keys, index and scores must have the same length.", nameof(index));
        }

        for (var i = 0; i < n; i++)
        {
            index[i] = i;
        }

        DoubleKeySort.Sort(keys, index);

        var minRank = 1;
        for (var i = 0; i < n; i++)
        {
            if (i > 0 && keys[i].CompareTo(keys[i - 1]) != 0)
            {
                minRank = i + 1;
            }

            scores[index[i]] = (byte)Quintile(minRank, n);
        }
    }

    /// <summary>True when n integer keys from <paramref name="min"/> to <paramref name="max"/> are ranked by counting.</summary>
    internal static bool IsCounted(int min, int max, int n)
    {
        var range = (long)max - min;
        return range <= (long)CountingRangePerKey * n && range < Array.MaxLength;
    }

    private static int Quintile(int minRank, int n) => 1 + (int)(5L * (minRank - 1) / n);
}
