using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>Start values and the call into <see cref="MaximumLikelihood"/> for the Gamma-Gamma model.</summary>
internal static class GammaGammaFit
{
    internal const string Model = "gammagamma";

    /// <summary>Above this many patterns the full fit starts from the fit on a systematic sample of them.</summary>
    internal const int WarmStartAbove = 50_000;

    internal const int WarmStartCustomers = 10_000;

    internal static readonly string[] ParameterNames = ["p", "q", "v"];

    /// <summary>
    /// Fits on <paramref name="data"/>. Many patterns are first fitted on a systematic sample of 10,000 customers, so
    /// that BFGS on the full data starts near the optimum; the returned result is that of the full fit.
    /// </summary>
    public static FitResult Run(SpendPatterns data, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var likelihood = new GammaGammaLikelihood(data);
        var start = StartValues(data.MeanValue, data.Weight);
        if (data.Count > WarmStartAbove)
        {
            start = WarmStart(data, options, start);
        }

        return MaximumLikelihood.Fit(Model, ParameterNames, likelihood.Evaluate, start, likelihood.Customers, data.Count, options);
    }

    /// <summary>
    /// p = 1, q = 2 and v = the mean of z̄, so that the start's population mean p·v/(q − 1) is the sample mean and the
    /// start does not depend on the currency unit (v scales with the values; p and q do not).
    /// </summary>
    internal static double[] StartValues(ReadOnlySpan<double> meanValue, ReadOnlySpan<double> weight)
    {
        double customers = 0, total = 0;
        for (var i = 0; i < meanValue.Length; i++)
        {
            customers += weight[i];
            total += weight[i] * meanValue[i];
        }

        var mean = customers > 0 ? total / customers : 1;
        return [1, 2, mean > 0 && double.IsFinite(mean) ? mean : 1];
    }

    private static double[] WarmStart(SpendPatterns data, FitOptions options, double[] start)
    {
        // Systematic sample of customers: every k-th customer in pattern order, so a pattern of weight w keeps about w/k.
        var every = data.Customers / WarmStartCustomers;
        var x = new List<double>(WarmStartCustomers);
        var z = new List<double>(WarmStartCustomers);
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
                z.Add(data.MeanValue[i]);
                w.Add(taken);
            }
        }

        var sample = new GammaGammaLikelihood(x.ToArray(), z.ToArray(), w.ToArray());
        try
        {
            var fit = MaximumLikelihood.Fit(Model, ParameterNames, sample.Evaluate, start, sample.Customers, sample.Count, options);
            return [.. fit.Estimates];
        }
        catch (ModelFitException)
        {
            // The sample's fit is only a start; the full fit decides, from the default start.
            return start;
        }
    }
}
