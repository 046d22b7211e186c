using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.ParetoNbd;

/// <summary>Start values, the warm start on many patterns and the call into <see cref="MaximumLikelihood"/>.</summary>
internal static class ParetoNbdFit
{
    internal static readonly string[] ParameterNames = ["r", "alpha", "s", "beta"];

    /// <summary>Fits on <paramref name="data"/>, from the warm start of <see cref="FitStart"/> on many patterns.</summary>
    public static FitResult Run(RepeatPatterns data, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var likelihood = new ParetoNbdLikelihood(data);
        var start = StartValues(data.T, data.Weight);
        if (data.Count > FitStart.WarmStartAbove)
        {
            var (index, weight) = FitStart.SystematicSample(data.Weight, data.Customers);
            var sample = new ParetoNbdLikelihood(FitStart.Gather(data.X, index), FitStart.Gather(data.Tx, index), FitStart.Gather(data.T, index), weight);
            start = FitStart.WarmEstimates("paretonbd", ParameterNames, sample.Evaluate, start, sample.Customers, sample.Count, options);
        }

        return MaximumLikelihood.Fit("paretonbd", ParameterNames, likelihood.Evaluate, start, likelihood.Customers, data.Count, options);
    }

    /// <summary>
    /// r = s = 1 and α = β = the mean age: one purchase and one dropout per mean customer age, and α = β, where the
    /// hypergeometric argument z is 0.
    /// </summary>
    internal static double[] StartValues(ReadOnlySpan<double> T, ReadOnlySpan<double> weight)
    {
        var scale = FitStart.WeightedMeanOrOne(T, weight);
        return [1, scale, 1, scale];
    }
}
