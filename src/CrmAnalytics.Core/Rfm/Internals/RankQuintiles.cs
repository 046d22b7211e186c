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
    /// Scores every key in place of its position: <c>scores[i]</c> is the quintile score of <c>keys[i]</c>.
    /// </summary>
    /// <param name="keys">The values to rank, ascending = better; reordered by this call (it is a work buffer).</param>
    /// <param name="index">A work buffer of the same length; its contents are overwritten.</param>
    /// <param name="scores">Receives one score per key, aligned with the keys' original order.</param>
    /// <remarks>
    /// O(n log n): one sort of the keys with their positions, then one pass over runs of equal keys.
    /// Keys are compared with <see cref="double.CompareTo(double)"/>, so −0 equals +0 and NaN sorts lowest and ties with NaN.
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

        Array.Sort(keys, index);

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

    private static int Quintile(int minRank, int n) => 1 + (int)(5L * (minRank - 1) / n);
}
