using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.ParetoNbd;
using MathNet.Numerics;

namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>Maximum-likelihood fits of BG/NBD and Pareto/NBD with static covariates (CLVTools' <c>SetStaticCovariates</c> models).</summary>
public static class CovariateFit
{
    /// <summary>
    /// Fits <paramref name="model"/> without covariates (exactly as <see cref="PurchaseModel{TModel, TParameters}.Fit"/>
    /// on the same histories), then with them from there and γ = 0, and tests the one against the other.
    /// </summary>
    /// <param name="model">"bgnbd" or "paretonbd".</param>
    /// <param name="histories">(x, t_x, T) per customer in model time units, in the order of the designs' rows.</param>
    /// <param name="penalizer">λ of the covariates' L2 penalty (<see cref="CovariateOptions.Penalizer"/>).</param>
    /// <exception cref="ModelFitException">Either fit did not converge.</exception>
    public static CovariateFitResult Run(string model, IReadOnlyList<(double X, double Tx, double T)> histories, CovariateDesign purchase, CovariateDesign dropout,
        double penalizer = 0, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(dropout);
        options ??= new FitOptions();
        var kind = CovariateModel.For(model);
        var patterns = RepeatPatterns.From(histories);
        var plain = kind == CovariateModel.ParetoNbd ? ((IPurchaseModel)ParetoNbdModel.Fit(patterns, options)).Fit : ((IPurchaseModel)BgNbdModel.Fit(patterns, options)).Fit;
        var k = purchase.Count + dropout.Count;
        if (k == 0)
        {
            return new CovariateFitResult(model, plain, plain, [], null, purchase, dropout);
        }

        var data = CovariatePatterns.From(histories, purchase, dropout);
        var likelihood = new CovariateLikelihood(kind, data);
        string[] names = [.. kind.ParameterNames, .. purchase.Names.Select(n => $"purchase:{n}"), .. dropout.Names.Select(n => $"dropout:{n}")];
        double[] start = [.. plain.Estimates, .. new double[k]];
        var penalized = MaximumLikelihood.Fit(model, names, likelihood.Evaluate, start, data.Customers, data.Count, options, new FreeParameters(k, penalizer));
        var e = penalized.Estimates;
        if (!PurchaseParameters.IsValidParameterSet(e[0], e[1], e[2], e[3]))
        {
            throw new ModelFitException($"{model} with covariates: the fit ended at invalid parameters.");
        }

        var coefficients = Enumerable.Range(4, k)
            .Select(j => new CovariateCoefficient(j < 4 + purchase.Count ? "purchase" : "dropout", names[j][(names[j].IndexOf(':', StringComparison.Ordinal) + 1)..],
                e[j], penalized.StandardErrors[j], Math.Exp(e[j])))
            .ToArray();
        var statistic = Math.Max(0, 2 * (penalized.LogLikelihood - plain.LogLikelihood));
        // The χ² upper tail as Q(k/2, x/2), the regularized upper incomplete gamma function: 1 − CDF would round to 0.
        var test = new LikelihoodRatioTest(statistic, k, SpecialFunctions.GammaUpperRegularized(k / 2.0, statistic / 2));
        return new CovariateFitResult(model, penalized, plain, coefficients, test, purchase, dropout);
    }

}
