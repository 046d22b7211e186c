using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv;

/// <summary>Groups customers by their (x, t_x, T) in days, so that a prediction is computed once per distinct pattern.</summary>
internal static class PatternIndex
{
    /// <summary>The distinct (x, t_x days, T days) of <paramref name="customers"/> in order of first appearance, and each one's index into them.</summary>
    public static (List<(int X, int TxDays, int TDays)> Patterns, int[] PatternOf) GroupDays(IReadOnlyList<CustomerSummary> customers) =>
        GroupDays(customers.Count, i => (customers[i].Frequency, customers[i].TxDays, customers[i].AgeDays));

    /// <summary>
    /// The distinct (x, t_x days, T days) of customers 0 … <paramref name="count"/> − 1 in order of first appearance, and
    /// each customer's index into them, grouped on one 64-bit key (days fit in 21 bits, x in the 22 above them).
    /// </summary>
    public static (List<(int X, int TxDays, int TDays)> Patterns, int[] PatternOf) GroupDays(int count, Func<int, (int X, int TxDays, int TDays)> pattern)
    {
        var index = new Dictionary<long, int>();
        var patterns = new List<(int X, int TxDays, int TDays)>();
        var patternOf = new int[count];
        for (var i = 0; i < count; i++)
        {
            var p = pattern(i);
            var key = ((long)p.X << 42) | ((long)p.TxDays << 21) | (uint)p.TDays;
            if (!index.TryGetValue(key, out var k))
            {
                k = patterns.Count;
                index.Add(key, k);
                patterns.Add(p);
            }

            patternOf[i] = k;
        }

        return (patterns, patternOf);
    }
}
