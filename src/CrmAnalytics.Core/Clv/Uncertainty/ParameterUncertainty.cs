using MathNet.Numerics.Distributions;

namespace CrmAnalytics.Core.Clv.Uncertainty;

/// <summary>
/// The asymptotic normal distribution of fitted log-parameters φ = ln θ, N(φ̂, Σ_φ) with Σ_φ[i, j] = Σ_θ[i, j] / (θ_i θ_j)
/// (the inverse observed information, by the delta method), and the first-order interval it gives a prediction f(θ):
/// exp(ln f̂ ± z·√(gᵀ Σ_φ g)) with g = ∂ ln f / ∂φ.
/// </summary>
/// <remarks>
/// The interval is the limit of a parametric bootstrap (draws θ_d = exp(φ̂ + L z_d), L Lᵀ = Σ_φ) as the draws grow, to
/// first order in the parameters' sampling error; working on ln f (ln P/(1 − P) for a probability) keeps the bounds
/// positive (inside (0, 1)) and follows the skew the bootstrap shows. Efron &amp; Tibshirani (1993), §6.5 and §21.3.
/// </remarks>
internal sealed class ParameterUncertainty
{
    private readonly double[] _covariance;

    private ParameterUncertainty(double[] estimates, double[] covariance, double z)
    {
        Estimates = estimates;
        _covariance = covariance;
        Z = z;
    }

    public double[] Estimates { get; }

    public int Count => Estimates.Length;

    /// <summary>The standard normal quantile of the two-sided level, e.g. 1.6449 at 90 %.</summary>
    public double Z { get; }

    /// <summary>The distribution of a fit's log-parameters; null when its covariance is unknown (a singular information matrix).</summary>
    /// <param name="level">The two-sided level in (0, 1).</param>
    public static ParameterUncertainty? From(IReadOnlyList<double> estimates, IReadOnlyList<double>? covariance, double level)
    {
        if (covariance is null)
        {
            return null;
        }

        var k = estimates.Count;
        var logCovariance = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                logCovariance[(i * k) + j] = covariance[(i * k) + j] / (estimates[i] * estimates[j]);
            }
        }

        return new ParameterUncertainty([.. estimates], logCovariance, Normal.InvCDF(0, 1, (1 + level) / 2));
    }

    /// <summary>The estimates with φ_j moved by <paramref name="step"/>: θ_j·e^step.</summary>
    public double[] Shifted(int j, double step)
    {
        var shifted = (double[])Estimates.Clone();
        shifted[j] *= Math.Exp(step);
        return shifted;
    }

    /// <summary>gᵀ Σ_φ g: the variance of a log-prediction with log-gradient <paramref name="g"/>.</summary>
    public double Variance(ReadOnlySpan<double> g)
    {
        var k = Count;
        double sum = 0;
        for (var i = 0; i < k; i++)
        {
            double row = 0;
            for (var j = 0; j < k; j++)
            {
                row += _covariance[(i * k) + j] * g[j];
            }

            sum += g[i] * row;
        }

        return sum;
    }

    /// <summary>The bounds of a positive prediction <paramref name="estimate"/> whose log has variance <paramref name="logVariance"/>.</summary>
    public (double Low, double High) PositiveBounds(double estimate, double logVariance)
    {
        var half = Z * Math.Sqrt(Math.Max(logVariance, 0));
        return estimate > 0 && double.IsFinite(half) ? (estimate * Math.Exp(-half), estimate * Math.Exp(half)) : (estimate, estimate);
    }

    /// <summary>The bounds of a probability <paramref name="estimate"/> whose logit has variance <paramref name="logitVariance"/>.</summary>
    public (double Low, double High) ProbabilityBounds(double estimate, double logitVariance)
    {
        var half = Z * Math.Sqrt(Math.Max(logitVariance, 0));
        if (!(estimate > 0) || !(estimate < 1) || !double.IsFinite(half) || half == 0)
        {
            return (estimate, estimate);
        }

        var logit = Math.Log(estimate / (1 - estimate));
        return (Logistic(logit - half), Logistic(logit + half));
    }

    private static double Logistic(double t) => 1 / (1 + Math.Exp(-t));
}
