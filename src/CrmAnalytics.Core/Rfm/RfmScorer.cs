using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm.Internals;

namespace CrmAnalytics.Core.Rfm;

/// <summary>R, F and M quintile scores on ranks, with ties sharing a score (DESIGN.md, "RFM").</summary>
public static class RfmScorer
{
    /// <summary>Scores every customer against the others in <paramref name="customers"/>.</summary>
    /// <returns>One score per customer, aligned with the input.</returns>
    /// <remarks>
    /// <para>
    /// For each dimension, each customer's value gets its 1-based minimum rank in ascending order (ties share the rank
    /// of the first of them, like pandas <c>rank(method="min")</c>), and the score is
    /// <c>1 + floor(5 × (minRank − 1) / n)</c>.
    /// </para>
    /// <list type="bullet">
    /// <item><description>F ranks <see cref="CustomerSummary.Orders"/> (purchase occasions).</description></item>
    /// <item><description>M ranks <see cref="CustomerSummary.MonetaryTotal"/> (net of returns).</description></item>
    /// <item><description>R ranks −<see cref="CustomerSummary.RecencyDays"/>: fewer days since the last purchase scores higher.</description></item>
    /// </list>
    /// <para>
    /// O(n) time and memory: R and F are integers, ranked by counting (a sort when their range is far wider than n); M
    /// is ranked by a radix sort.
    /// </para>
    /// </remarks>
    public static RfmScore[] Score(IReadOnlyList<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return Score(customers.Count, i => customers[i].RecencyDays, i => customers[i].Orders, i => customers[i].MonetaryTotal);
    }

    /// <summary>
    /// The same scores from the three keys of customer 0 … n − 1, for callers that hold columns, not summaries (the churn
    /// features rank the base at each cut-off from <see cref="CutoffCustomers.Key"/>).
    /// </summary>
    public static RfmScore[] Score(int n, Func<int, int> recencyDays, Func<int, int> orders, Func<int, double> monetaryTotal)
    {
        var result = new RfmScore[n];
        if (n == 0)
        {
            return result;
        }

        var r = new byte[n];
        var f = new byte[n];
        var m = new byte[n];

        // The three rankings are independent; each ranks its own keys, side by side.
        Parallel.Invoke(
            () => Rank(n, i => -recencyDays(i), r),
            () => Rank(n, orders, f),
            () => Rank(n, monetaryTotal, m));

        for (var i = 0; i < n; i++)
        {
            result[i] = new RfmScore(r[i], f[i], m[i]);
        }

        return result;
    }

    private static void Rank(int n, Func<int, int> key, byte[] scores)
    {
        var keys = GC.AllocateUninitializedArray<int>(n);
        for (var i = 0; i < n; i++)
        {
            keys[i] = key(i);
        }

        RankQuintiles.Score(keys, scores);
    }

    private static void Rank(int n, Func<int, double> key, byte[] scores)
    {
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = key(i);
        }

        RankQuintiles.Score(keys, new int[n], scores);
    }
}
