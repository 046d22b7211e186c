namespace CrmAnalytics.Core.Clv.Fitting;

/// <summary>
/// Where the optimizer starts, shared by every model: scale-setting means for the default start, and the warm start
/// on large data. Above <see cref="WarmStartAbove"/> patterns the full fit starts from the fit on a systematic sample
/// of <see cref="WarmStartCustomers"/> customers: that costs about one evaluation on the full data and saves about a
/// third of them on a million distinct patterns, since BFGS then starts near the optimum. The result that counts
/// (iterations included) is always that of the full fit.
/// </summary>
internal static class FitStart
{
    internal const int WarmStartAbove = 50_000;

    internal const int WarmStartCustomers = 10_000;

    /// <summary>The weighted mean of <paramref name="values"/>, or 1 when it is not a finite positive number.</summary>
    public static double WeightedMeanOrOne(ReadOnlySpan<double> values, ReadOnlySpan<double> weight)
    {
        double total = 0, sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            total += weight[i];
            sum += weight[i] * values[i];
        }

        var mean = total > 0 ? sum / total : 1;
        return mean > 0 && double.IsFinite(mean) ? mean : 1;
    }

    /// <summary>
    /// Systematic sample of customers: every k-th customer in pattern order, so a pattern of weight w keeps about w/k.
    /// Returns the indices of the patterns kept and the customers each keeps.
    /// </summary>
    public static (int[] Index, double[] Weight) SystematicSample(ReadOnlySpan<double> weight, double customers)
    {
        var every = customers / WarmStartCustomers;
        var index = new List<int>(WarmStartCustomers);
        var kept = new List<double>(WarmStartCustomers);
        var cumulative = 0.0;
        for (var i = 0; i < weight.Length; i++)
        {
            var before = Math.Floor(cumulative / every);
            cumulative += weight[i];
            var taken = Math.Floor(cumulative / every) - before;
            if (taken > 0)
            {
                index.Add(i);
                kept.Add(taken);
            }
        }

        return (index.ToArray(), kept.ToArray());
    }

    /// <summary><paramref name="values"/> at <paramref name="index"/>.</summary>
    public static double[] Gather(ReadOnlySpan<double> values, int[] index)
    {
        var result = new double[index.Length];
        for (var i = 0; i < index.Length; i++)
        {
            result[i] = values[index[i]];
        }

        return result;
    }

    /// <summary>The estimates of a fit on the sample, or <paramref name="start"/> when that fit fails: the sample's fit is only a start, the full fit decides.</summary>
    public static double[] WarmEstimates(string model, IReadOnlyList<string> names, LogLikelihoodFunction sample, double[] start,
        double customers, int patterns, FitOptions options)
    {
        try
        {
            return [.. MaximumLikelihood.Fit(model, names, sample, start, customers, patterns, options with { StandardErrors = false }).Estimates];
        }
        catch (ModelFitException)
        {
            return start;
        }
    }
}
