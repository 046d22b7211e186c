using MathNet.Numerics.LinearAlgebra;
using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>Start values and the call into <see cref="MaximumLikelihood"/> for the Gamma-Gamma model.</summary>
internal static class GammaGammaFit
{
    internal const string Model = "gammagamma";

    internal static readonly string[] ParameterNames = ["p", "q", "v"];

    /// <summary>Fits on <paramref name="data"/>, from the warm start of <see cref="FitStart"/> on many patterns.</summary>
    public static FitResult Run(SpendPatterns data, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var likelihood = new GammaGammaLikelihood(data);
        var start = StartValues(data.MeanValue, data.Weight);
        Matrix<double>? curvature = null;
        if (data.Count > FitStart.WarmStartAbove)
        {
            var (index, weight) = FitStart.SystematicSample(data.Weight, data.Customers);
            var sample = new GammaGammaLikelihood(FitStart.Gather(data.X, index), FitStart.Gather(data.MeanValue, index), weight);
            (start, curvature) = FitStart.WarmEstimates(Model, ParameterNames, sample.Evaluate, start, sample.Customers, sample.Count, options);
        }

        return MaximumLikelihood.Fit(Model, ParameterNames, likelihood.Evaluate, start, likelihood.Customers, data.Count, options, curvature: curvature);
    }

    /// <summary>
    /// p = 1, q = 2 and v = the mean of z̄, so that the start's population mean p·v/(q − 1) is the sample mean and the
    /// start does not depend on the currency unit (v scales with the values; p and q do not).
    /// </summary>
    internal static double[] StartValues(ReadOnlySpan<double> meanValue, ReadOnlySpan<double> weight) =>
        [1, 2, FitStart.WeightedMeanOrOne(meanValue, weight)];
}
