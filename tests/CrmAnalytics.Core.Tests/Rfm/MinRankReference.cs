namespace CrmAnalytics.Core.Tests.Rfm;

/// <summary>
/// An independent reference for quintile scores: each key's min rank is 1 + the number of keys strictly below it under
/// <see cref="double.CompareTo(double)"/>, found by binary search in a copy sorted with a comparison delegate.
/// </summary>
internal static class MinRankReference
{
    public static byte[] Scores(IReadOnlyList<double> keys)
    {
        var n = keys.Count;
        var sorted = keys.ToList();
        sorted.Sort((a, b) => a.CompareTo(b));
        var scores = new byte[n];
        for (var i = 0; i < n; i++)
        {
            var below = CountBelow(sorted, keys[i]);
            scores[i] = (byte)(1 + (5L * below / n));
        }

        return scores;
    }

    public static byte[] Scores(IReadOnlyList<int> keys) => Scores(keys.Select(k => (double)k).ToArray());

    private static int CountBelow(List<double> sorted, double key)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid].CompareTo(key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
