using System.Globalization;
using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>
/// The Gamma-Gamma spend model: a customer's transaction values are Gamma(p, ν) around a personal mean p/ν, with
/// ν ~ Gamma(q, v) across customers, independent of the purchase process.
/// </summary>
/// <remarks>
/// Fader, Hardie &amp; Lee (2005), "RFM and CLV: Using iso-value curves for customer base analysis", Journal of
/// Marketing Research 42(4), 415–430; Fader &amp; Hardie (2013), "The Gamma-Gamma model of monetary value"
/// (brucehardie.com/notes/025), eqs. 3 and 5. Conventions (x = repeat transactions, z̄ = their mean value, v for the
/// note's γ) follow lifetimes' GammaGammaFitter. The model needs q &gt; 1, below which the population mean spend
/// p·v/(q − 1) is infinite.
/// </remarks>
public sealed class GammaGammaModel : ISpendModel
{
    /// <summary>A model with known parameters, e.g. published estimates or a stored fit.</summary>
    /// <param name="parameters">The parameters; q must exceed 1.</param>
    /// <param name="fitResult">The fit the parameters came from, if any.</param>
    /// <exception cref="ArgumentOutOfRangeException">q ≤ 1: the population mean spend would be infinite.</exception>
    public GammaGammaModel(GammaGammaParameters parameters, FitResult? fitResult = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckFiniteMean(parameters);
        Parameters = parameters;
        FitResult = fitResult;
    }

    public string Name => GammaGammaFit.Model;

    public GammaGammaParameters Parameters { get; }

    /// <summary>The maximum-likelihood fit behind <see cref="Parameters"/>; null for a model built from known parameters.</summary>
    public FitResult? FitResult { get; }

    FitResult ISpendModel.Fit => FitResult ?? throw new InvalidOperationException("This Gamma-Gamma model was built from known parameters, not fitted.");

    /// <summary>p·v/(q − 1): the mean value of a future transaction of a customer chosen at random.</summary>
    public double PopulationMeanSpend => GammaGammaMath.PopulationMean(Parameters.P, Parameters.Q, Parameters.V);

    /// <summary>Maximum-likelihood fit (Fader &amp; Hardie 2013 eq. 3) on weighted spend patterns.</summary>
    /// <exception cref="ModelFitException">
    /// No customers to fit; the optimizer did not converge or ended at non-finite values; the likelihood has no proper
    /// maximum (a singular information matrix at the end: too few customers, or every mean value the same); or the
    /// estimate of q is ≤ 1, which makes the population mean spend infinite (values too heavy-tailed for the model, or a
    /// penalizer too strong).
    /// </exception>
    public static GammaGammaModel Fit(SpendPatterns data, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = GammaGammaFit.Run(data, options ?? new FitOptions());
        var e = result.Estimates;
        if (!GammaGammaParameters.IsValidParameterSet(e[0], e[1], e[2]))
        {
            throw new ModelFitException($"gammagamma: the fit ended at invalid parameters ({string.Join(", ", e)}).");
        }

        if (result.StandardErrors.Any(double.IsNaN))
        {
            // Without a negative-definite Hessian the optimizer stopped on a ridge or at infinity, e.g. when every customer
            // has the same mean value (the likelihood grows without bound as the spend distribution narrows to a point).
            throw new ModelFitException(string.Create(CultureInfo.InvariantCulture,
                $"gammagamma: the likelihood has no proper maximum on these {result.Customers:G} customers (the information matrix at the end is singular or not positive definite); there are too few customers or too little variation in mean values for the Gamma-Gamma model."));
        }

        if (!(e[1] > 1))
        {
            throw new ModelFitException(string.Create(CultureInfo.InvariantCulture,
                $"gammagamma: the fitted q = {e[1]:G6} is ≤ 1, so the population mean spend p·v/(q − 1) is infinite and customers without repeat transactions cannot be valued. The mean values are too heavy-tailed for the Gamma-Gamma model; check for outliers or use a smaller penalizer."));
        }

        return new GammaGammaModel(new GammaGammaParameters(e[0], e[1], e[2]), result);
    }

    public double ConditionalExpectedAverageSpend(double x, double meanValue) => ConditionalExpectedAverageSpend(Parameters, x, meanValue);

    /// <summary>ln f(z̄ | p, q, v; x): one customer's log-likelihood.</summary>
    /// <remarks>Fader &amp; Hardie (2013) eq. 3, as maximised by lifetimes' GammaGammaFitter.</remarks>
    public static double LikelihoodLn(GammaGammaParameters parameters, double x, double meanValue) =>
        LikelihoodLn(parameters, x, meanValue, []);

    /// <summary>ln f of one customer; adds ∂ln f/∂(p, q, v) into <paramref name="gradient"/> (empty or length 3).</summary>
    /// <remarks>Fader &amp; Hardie (2013) eq. 3, differentiated analytically.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The customer is outside the model (<see cref="SpendPatterns.IsModelled"/>).</exception>
    public static double LikelihoodLn(GammaGammaParameters parameters, double x, double meanValue, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!SpendPatterns.IsModelled(x, meanValue))
        {
            throw new ArgumentOutOfRangeException(nameof(x), $"The likelihood needs x > 0 and a mean value z̄ > 0, all finite (x={x}).");
        }

        if (!gradient.IsEmpty && gradient.Length != 3)
        {
            throw new ArgumentException("The gradient span must be empty or hold 3 values (p, q, v).", nameof(gradient));
        }

        return GammaGammaMath.LikelihoodLn(parameters.P, parameters.Q, parameters.V, x, meanValue, gradient);
    }

    /// <summary>E[Z] = p·v/(q − 1): the population mean transaction value.</summary>
    /// <remarks>Fader &amp; Hardie (2013), the prior mean in eq. 5.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">q ≤ 1, where the mean is infinite.</exception>
    public static double PopulationMean(GammaGammaParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        CheckFiniteMean(parameters);
        return GammaGammaMath.PopulationMean(parameters.P, parameters.Q, parameters.V);
    }

    /// <summary>
    /// E[Z | x, z̄] = (q−1)/(px+q−1) · p·v/(q−1) + px/(px+q−1) · z̄: the expected value of a future transaction of a
    /// customer with x repeat transactions of mean z̄; the population mean when x = 0 (z̄ is then ignored).
    /// </summary>
    /// <remarks>Fader &amp; Hardie (2013) eq. 5; lifetimes' conditional_expected_average_profit.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">
    /// x is negative or not finite; x &gt; 0 with z̄ outside (0, ∞); or an infinite expectation (q ≤ 1 with x = 0, px + q ≤ 1).
    /// </exception>
    public static double ConditionalExpectedAverageSpend(GammaGammaParameters parameters, double x, double meanValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(x >= 0) || !double.IsFinite(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The repeat frequency x must be finite and ≥ 0.");
        }

        if (x == 0)
        {
            return PopulationMean(parameters);
        }

        if (!SpendPatterns.IsModelled(x, meanValue))
        {
            throw new ArgumentOutOfRangeException(nameof(meanValue), "A customer with repeat transactions needs a finite mean value z̄ > 0; others are valued at the population mean.");
        }

        if (!((parameters.P * x) + parameters.Q > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), "The conditional expectation is infinite when p·x + q ≤ 1.");
        }

        return GammaGammaMath.ConditionalExpectedAverageSpend(parameters.P, parameters.Q, parameters.V, x, meanValue);
    }

    private static void CheckFiniteMean(GammaGammaParameters parameters)
    {
        if (!(parameters.Q > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.Q, "Gamma-Gamma needs q > 1; the population mean spend p·v/(q − 1) is infinite otherwise.");
        }
    }
}
