namespace CrmAnalytics.Core.Drift;

/// <summary>The population stability index of a score between two runs.</summary>
internal static class PopulationStability
{
    /// <summary>Share floor of an empty bin, so the log stays finite (a common PSI convention).</summary>
    public const double Floor = 1e-4;

    /// <summary>
    /// PSI = Σ over bins (a − e) · ln(a / e), with e and a the shares of the previous (expected) and current (actual)
    /// values per bin. Bin edges are the previous values' quantiles at k/bins (the value at rank ⌈k·n/bins⌉), repeated
    /// edges merged; a value goes to the first bin whose edge is ≥ it. Shares are floored at <see cref="Floor"/>.
    /// Rule of thumb: below 0.1 stable, 0.1–0.25 a shift worth a look, above 0.25 a different population.
    /// </summary>
    public static double Index(IReadOnlyList<double> expected, IReadOnlyList<double> actual, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Count == 0 || actual.Count == 0)
        {
            return 0;
        }

        var sorted = expected.Order().ToArray();
        var edges = Enumerable.Range(1, bins - 1)
            .Select(k => sorted[(int)Math.Ceiling((double)k * sorted.Length / bins) - 1])
            .Distinct()
            .ToArray();
        var e = Shares(expected, edges);
        var a = Shares(actual, edges);
        double psi = 0;
        for (var i = 0; i < e.Length; i++)
        {
            psi += (a[i] - e[i]) * Math.Log(a[i] / e[i]);
        }

        return psi;
    }

    private static double[] Shares(IReadOnlyList<double> values, double[] edges)
    {
        var counts = new double[edges.Length + 1];
        foreach (var v in values)
        {
            var bin = Array.BinarySearch(edges, v);
            counts[bin >= 0 ? bin : ~bin]++;
        }

        return counts.Select(c => Math.Max(c / values.Count, Floor)).ToArray();
    }
}
