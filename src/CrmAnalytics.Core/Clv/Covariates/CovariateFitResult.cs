using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>
/// A BG/NBD or Pareto/NBD fit with static covariates, beside the fit without them and the likelihood-ratio test of the
/// one against the other.
/// </summary>
/// <param name="Model">"bgnbd" or "paretonbd".</param>
/// <param name="Fit">The fit with covariates: (r, α, third, fourth, γ…), the names of γ prefixed <c>purchase:</c> or <c>dropout:</c>; the model without covariates when there are none.</param>
/// <param name="WithoutCovariates">The model's fit without covariates (today's fit, exactly).</param>
/// <param name="Coefficients">The γ with standard errors, purchase first.</param>
/// <param name="LikelihoodRatio">The test against the model without covariates; null without covariates.</param>
public sealed record CovariateFitResult(
    string Model,
    FitResult Fit,
    FitResult WithoutCovariates,
    IReadOnlyList<CovariateCoefficient> Coefficients,
    LikelihoodRatioTest? LikelihoodRatio,
    CovariateDesign PurchaseDesign,
    CovariateDesign DropoutDesign)
{
    /// <summary>
    /// The model of the customer with these covariate rows: the model without covariates at (r, α_i, third_i, fourth_i)
    /// (CLVTools' <c>predict</c> on a static-covariate model does the same), its fit record the covariate fit's with
    /// those four estimates, their standard errors, and their covariance by the delta method from the full fit's (null
    /// when that is), so that prediction intervals carry the uncertainty of γ too.
    /// </summary>
    public IPurchaseModel ModelFor(ReadOnlySpan<double> purchase, ReadOnlySpan<double> dropout)
    {
        var kind = CovariateModel.For(Model);
        double[] theta = [.. Fit.Estimates];
        var individual = new double[4];
        kind.Individual(theta, purchase, dropout, individual);
        double[]? covariance = null;
        double[] errors = [double.NaN, double.NaN, double.NaN, double.NaN];
        if (Fit.Covariance is { } full)
        {
            covariance = new double[16];
            kind.IndividualCovariance(theta, purchase, dropout, full, covariance);
            for (var j = 0; j < 4; j++)
            {
                errors[j] = Math.Sqrt(covariance[(j * 4) + j]);
            }
        }

        var fit = Fit with { Names = WithoutCovariates.Names, Estimates = individual, StandardErrors = errors, Covariance = covariance };
        return Model == "paretonbd"
            ? new ParetoNbd.ParetoNbdModel(new(individual[0], individual[1], individual[2], individual[3]), fit)
            : new BgNbd.BgNbdModel(new(individual[0], individual[1], individual[2], individual[3]), fit);
    }
}

/// <summary>One covariate's coefficient.</summary>
/// <param name="Process">"purchase" (acts on α) or "dropout" (Pareto/NBD β; BG/NBD a and b).</param>
/// <param name="Name">The design column: an attribute, or <c>attribute=level</c> for a dummy.</param>
/// <param name="StandardError">From the observed information of the fit; NaN when it is singular.</param>
/// <param name="Multiplier">exp(γ): the factor on the expected purchase rate (purchase), the expected dropout rate (Pareto/NBD dropout), or the Beta concentration a+b (BG/NBD dropout).</param>
public sealed record CovariateCoefficient(string Process, string Name, double Estimate, double StandardError, double Multiplier);

/// <summary>Likelihood-ratio test of nested fits: 2·(LL_full − LL_restricted) against χ² with the difference in parameters as degrees of freedom.</summary>
/// <remarks>With a penalizer above 0 the full fit is not the maximum-likelihood fit, and the test is conservative.</remarks>
public sealed record LikelihoodRatioTest(double Statistic, int DegreesOfFreedom, double PValue);
