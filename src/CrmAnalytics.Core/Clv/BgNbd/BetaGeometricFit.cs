using System.Runtime.InteropServices;
using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.BgNbd;

/// <summary>Start values and the call into <see cref="MaximumLikelihood"/> shared by BG/NBD and MBG/NBD.</summary>
internal static class BetaGeometricFit
{
    /// <summary>Above this many patterns the full fit starts from the fit on a systematic sample of them.</summary>
    internal const int WarmStartAbove = 50_000;

    internal const int WarmStartCustomers = 10_000;

    /// <summary>
    /// Fits on <paramref name="data"/>. Many patterns are first fitted on a systematic sample of 10,000 customers:
    /// that costs about one evaluation on the full data and saves about a third of them on a million distinct
    /// patterns, since BFGS then starts near the optimum. The returned result (iterations included) is that of the full fit, whose convergence is what counts.
    /// </summary>
    public static FitResult Run(string model, IReadOnlyList<string> names, RepeatPatterns data, int shift, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var likelihood = new BetaGeometricLikelihood(data, shift);
        var start = StartValues(data.T, data.Weight);
        if (data.Count > WarmStartAbove)
        {
            start = WarmStart(model, names, data, shift, options, start);
        }

        return MaximumLikelihood.Fit(model, names, likelihood.Evaluate, start, likelihood.Customers, data.Count, options);
    }

    /// <summary>r = 1, a = 1, b = 1 and α = the mean age, so that r/α is of the order of one purchase per customer lifetime.</summary>
    internal static double[] StartValues(ReadOnlySpan<double> T, ReadOnlySpan<double> weight)
    {
        double customers = 0, age = 0;
        for (var i = 0; i < T.Length; i++)
        {
            customers += weight[i];
            age += weight[i] * T[i];
        }

        var meanAge = customers > 0 ? age / customers : 1;
        return [1, meanAge > 0 ? meanAge : 1, 1, 1];
    }

    private static double[] WarmStart(string model, IReadOnlyList<string> names, RepeatPatterns data, int shift, FitOptions options, double[] start)
    {
        // Systematic sample of customers: every k-th customer in pattern order, so a pattern of weight w keeps about w/k.
        var every = data.Customers / WarmStartCustomers;
        var x = new List<double>(WarmStartCustomers);
        var tx = new List<double>(WarmStartCustomers);
        var t = new List<double>(WarmStartCustomers);
        var w = new List<double>(WarmStartCustomers);
        var cumulative = 0.0;
        for (var i = 0; i < data.Count; i++)
        {
            var before = Math.Floor(cumulative / every);
            cumulative += data.Weight[i];
            var taken = Math.Floor(cumulative / every) - before;
            if (taken > 0)
            {
                x.Add(data.X[i]);
                tx.Add(data.Tx[i]);
                t.Add(data.T[i]);
                w.Add(taken);
            }
        }

        var sample = new BetaGeometricLikelihood(CollectionsMarshal.AsSpan(x), CollectionsMarshal.AsSpan(tx), CollectionsMarshal.AsSpan(t), CollectionsMarshal.AsSpan(w), shift);
        try
        {
            var fit = MaximumLikelihood.Fit(model, names, sample.Evaluate, start, sample.Customers, sample.Count, options);
            return [.. fit.Estimates];
        }
        catch (ModelFitException)
        {
            // The sample's fit is only a start; the full fit decides, from the default start.
            return start;
        }
    }
}
