using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>A fitted model of the value of a customer's future transactions (Gamma-Gamma).</summary>
public interface ISpendModel
{
    /// <summary>"gammagamma".</summary>
    string Name { get; }

    /// <summary>The maximum-likelihood fit behind the model.</summary>
    /// <exception cref="InvalidOperationException">The model was built from known parameters, not fitted.</exception>
    FitResult Fit { get; }

    /// <summary>Mean value of a future transaction of a customer chosen at random, in the input currency (finite).</summary>
    double PopulationMeanSpend { get; }

    /// <summary>
    /// E[Z | x, z̄]: expected value of a future transaction of a customer with <paramref name="x"/> repeat transactions of
    /// mean value <paramref name="meanValue"/>; <see cref="PopulationMeanSpend"/> when x = 0 (the mean is then ignored).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">x is negative or not finite, or x &gt; 0 with a mean value outside (0, ∞)
    /// (see <see cref="SpendPatterns.IsModelled"/>).</exception>
    double ConditionalExpectedAverageSpend(double x, double meanValue);
}
