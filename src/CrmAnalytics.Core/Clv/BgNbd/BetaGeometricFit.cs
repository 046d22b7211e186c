using MathNet.Numerics.LinearAlgebra;
using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.BgNbd;

/// <summary>Start values and the call into <see cref="MaximumLikelihood"/> shared by BG/NBD and MBG/NBD.</summary>
internal static class BetaGeometricFit
{
    internal static readonly string[] ParameterNames = ["r", "alpha", "a", "b"];

    /// <summary>Fits on <paramref name="data"/>, from the warm start of <see cref="FitStart"/> on many patterns.</summary>
    public static FitResult Run(string model, RepeatPatterns data, int shift, FitOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        var likelihood = new BetaGeometricLikelihood(data, shift);
        var start = StartValues(data.T, data.Weight);
        Matrix<double>? curvature = null;
        if (data.Count > FitStart.WarmStartAbove)
        {
            var (index, weight) = FitStart.SystematicSample(data.Weight, data.Customers);
            var sample = new BetaGeometricLikelihood(FitStart.Gather(data.X, index), FitStart.Gather(data.Tx, index), FitStart.Gather(data.T, index), weight, shift);
            (start, curvature) = FitStart.WarmEstimates(model, ParameterNames, sample.Evaluate, start, sample.Customers, sample.Count, options);
        }

        return MaximumLikelihood.Fit(model, ParameterNames, likelihood.Evaluate, start, likelihood.Customers, data.Count, options, curvature: curvature);
    }

    /// <summary>r = 1, a = 1, b = 1 and α = the mean age, so that r/α is of the order of one purchase per customer lifetime.</summary>
    internal static double[] StartValues(ReadOnlySpan<double> T, ReadOnlySpan<double> weight) =>
        [1, FitStart.WeightedMeanOrOne(T, weight), 1, 1];
}
