using MathNet.Numerics.LinearAlgebra;

namespace CrmAnalytics.Core.Clv.Fitting;

/// <summary>
/// Where the optimizer starts, shared by every model: scale-setting means for the default start, and the warm start
/// on large data. Above <see cref="WarmStartAbove"/> patterns the full fit starts from the fit on a systematic sample
/// of <see cref="WarmStartCustomers"/> customers, and with that fit's curvature: that costs about one evaluation on the
/// full data, and the full fit then needs a handful of evaluations instead of about thirty (on 1.35M customers'
/// 230,000–380,000 Pareto/NBD patterns: 31–39). The result that counts (iterations included) is always that of the full fit.
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

    /// <summary>
    /// The estimates of a fit on the sample and the inverse Hessian of its objective there, the curvature the full fit
    /// starts with (<see cref="CurvedStartBfgs"/>); or <paramref name="start"/> without one when that fit fails: the
    /// sample's fit is only a start, the full fit decides.
    /// </summary>
    public static WarmStart WarmEstimates(string model, IReadOnlyList<string> names, LogLikelihoodFunction sample, double[] start,
        double customers, int patterns, FitOptions options)
    {
        try
        {
            double[] estimates = [.. MaximumLikelihood.Fit(model, names, sample, start, customers, patterns, options with { StandardErrors = false }).Estimates];
            return new WarmStart(estimates, MaximumLikelihood.InverseHessian(sample, estimates, customers, options));
        }
        catch (ModelFitException)
        {
            return new WarmStart(start, null);
        }
    }
}

/// <summary>Where a full fit starts: parameter values and, when known, the inverse Hessian of the objective there (in log-parameters).</summary>
internal readonly record struct WarmStart(double[] Estimates, Matrix<double>? Curvature);
