using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm.Internals;

namespace CrmAnalytics.Core.Rfm;

/// <summary>
/// The RFM quintile scores of one population frozen as breakpoints, so that any subset of customers (a shard) scores
/// as it would among the whole population.
/// </summary>
/// <param name="RecencyDays">For scores 2, 3, 4, 5: the most recency days that still reach that score; null when no customer reached it.</param>
/// <param name="Orders">For scores 2, 3, 4, 5: the fewest orders that reach that score; null when no customer reached it.</param>
/// <param name="MonetaryTotal">For scores 2, 3, 4, 5: the lowest net monetary total that reaches that score; null when no customer reached it.</param>
/// <remarks>
/// A customer's score is the highest s whose breakpoint the value reaches, else 1. Because <see cref="RfmScorer"/>'s
/// score is monotone in the value (ties share a score), this gives every customer of the population the score
/// <see cref="RfmScorer.Score"/> gave them (tested); a value between two of the population's is scored by the lower one.
/// </remarks>
public sealed record RfmBreakpoints(IReadOnlyList<double?> RecencyDays, IReadOnlyList<double?> Orders, IReadOnlyList<double?> MonetaryTotal)
{
    /// <summary>The breakpoints of <paramref name="customers"/>' quintile scores.</summary>
    public static RfmBreakpoints From(IReadOnlyList<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var recency = Lowest(customers, c => -c.RecencyDays);
        return new RfmBreakpoints(
            recency.Select(k => 0 - k).ToArray(),
            Lowest(customers, c => c.Orders),
            Lowest(customers, c => c.MonetaryTotal));
    }

    /// <summary>The customer's scores against the frozen population.</summary>
    public RfmScore Score(CustomerSummary customer)
    {
        return new RfmScore(
            ScoreOf(-customer.RecencyDays, RecencyDays, negate: true),
            ScoreOf(customer.Orders, Orders, negate: false),
            ScoreOf(customer.MonetaryTotal, MonetaryTotal, negate: false));
    }

    /// <summary>For s = 2…5, the lowest key scoring at least s.</summary>
    private static double?[] Lowest(IReadOnlyList<CustomerSummary> customers, Func<CustomerSummary, double> key)
    {
        var n = customers.Count;
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = key(customers[i]);
        }

        var original = (double[])keys.Clone();
        var scores = new byte[n];
        RankQuintiles.Score(keys, new int[n], scores);
        var lowest = new double?[4];
        for (var i = 0; i < n; i++)
        {
            for (var s = 2; s <= scores[i]; s++)
            {
                if (lowest[s - 2] is not { } current || original[i].CompareTo(current) < 0)
                {
                    lowest[s - 2] = original[i];
                }
            }
        }

        return lowest;
    }

    private static byte ScoreOf(double key, IReadOnlyList<double?> breakpoints, bool negate)
    {
        byte score = 1;
        for (var s = 2; s <= 5; s++)
        {
            if (breakpoints[s - 2] is { } b && key.CompareTo(negate ? 0 - b : b) >= 0)
            {
                score = (byte)s;
            }
        }

        return score;
    }
}
