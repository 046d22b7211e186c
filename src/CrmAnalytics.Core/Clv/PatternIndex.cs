using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv;

/// <summary>Groups customers by a pattern key, e.g. (x, t_x, T) in days, so that a prediction is computed once per distinct key.</summary>
internal static class PatternIndex
{
    /// <summary>The distinct keys in order of first appearance, and each customer's index into them.</summary>
    public static (List<TKey> Keys, int[] KeyOf) Group<TKey>(IReadOnlyList<CustomerSummary> customers, Func<CustomerSummary, TKey> key)
        where TKey : notnull
    {
        var index = new Dictionary<TKey, int>();
        var keys = new List<TKey>();
        var keyOf = new int[customers.Count];
        for (var i = 0; i < keyOf.Length; i++)
        {
            var value = key(customers[i]);
            if (!index.TryGetValue(value, out var k))
            {
                k = keys.Count;
                index.Add(value, k);
                keys.Add(value);
            }

            keyOf[i] = k;
        }

        return (keys, keyOf);
    }
}
