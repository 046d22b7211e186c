using System.Runtime.InteropServices;
using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.ParetoNbd;

/// <summary>Start values, the warm start on many patterns and the call into <see cref="MaximumLikelihood"/>.</summary>
internal static class ParetoNbdFit
{
    /// <summary>Above this many patterns the full fit starts from the fit on a systematic sample of them.</summary>
    internal const int WarmStartAbove = 50_000;

    internal const int WarmStartCustomers = 10_000;

    internal static readonly string[] ParameterNames = ["r", "alpha", "s", "beta"];

    /// <summary>
    /// Fits on <paramref name="data"/>. As for BG/NBD, many patterns are first fitted on a systematic sample of 10,000
    /// customers so that BFGS starts near the optimum; the returned result is that of the full fit.
    /// </summary>
    public static FitResult Run(RepeatPatterns data, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var likelihood = new ParetoNbdLikelihood(data);
        var start = StartValues(data.T, data.Weight);
        if (data.Count > WarmStartAbove)
        {
            start = WarmStart(data, options, start);
        }

        return MaximumLikelihood.Fit("paretonbd", ParameterNames, likelihood.Evaluate, start, likelihood.Customers, data.Count, options);
    }

    /// <summary>
    /// r = s = 1 and α = β = the mean age: one purchase and one dropout per mean customer age, and α = β, where the
    /// hypergeometric argument z is 0.
    /// </summary>
    internal static double[] StartValues(ReadOnlySpan<double> T, ReadOnlySpan<double> weight)
    {
        double customers = 0, age = 0;
        for (var i = 0; i < T.Length; i++)
        {
            customers += weight[i];
            age += weight[i] * T[i];
        }

        var meanAge = customers > 0 ? age / customers : 1;
        var scale = meanAge > 0 && double.IsFinite(meanAge) ? meanAge : 1;
        return [1, scale, 1, scale];
    }

    private static double[] WarmStart(RepeatPatterns data, FitOptions options, double[] start)
    {
        // Every k-th customer in pattern order, so a pattern of weight w keeps about w/k customers.
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

        var sample = new ParetoNbdLikelihood(CollectionsMarshal.AsSpan(x), CollectionsMarshal.AsSpan(tx), CollectionsMarshal.AsSpan(t), CollectionsMarshal.AsSpan(w));
        try
        {
            var fit = MaximumLikelihood.Fit("paretonbd", ParameterNames, sample.Evaluate, start, sample.Customers, sample.Count, options);
            return [.. fit.Estimates];
        }
        catch (ModelFitException)
        {
            // The sample's fit is only a start; the full fit decides, from the default start.
            return start;
        }
    }
}
