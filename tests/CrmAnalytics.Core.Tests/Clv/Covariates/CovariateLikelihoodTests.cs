using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Simulation;
using CrmAnalytics.Core.Tests.Clv.BgNbd;

namespace CrmAnalytics.Core.Tests.Clv.Covariates;

public sealed class CovariateLikelihoodTests
{
    private static (CovariatePatterns Data, RepeatPatterns Plain) Sample(string model)
    {
        var (purchase, dropout) = SimulatedCovariates.Designs(600);
        double[] truth = model == "bgnbd" ? [0.25, 4, 0.8, 2.5, 0.3, -0.2, 0.4] : [0.55, 10.5, 0.6, 11.5, 0.3, -0.2, 0.4];
        var histories = CovariateSimulator.Simulate(model, truth, purchase, dropout, new BgNbdSimulationOptions { MinAge = 26, MaxAge = 78, Seed = 3 });
        return (CovariatePatterns.From(histories, purchase, dropout), RepeatPatterns.From(histories));
    }

    [TestCase("bgnbd", 0.25, 4.0, 0.8, 2.5)]
    [TestCase("paretonbd", 0.55, 10.5, 0.6, 11.5)]
    public void Evaluate_ZeroCoefficients_EqualsTheModelWithoutCovariates(string model, double r, double alpha, double third, double fourth)
    {
        // At γ = 0 every customer has the model's own parameters: the sum of the per-customer likelihoods of the model
        // without covariates (its public LikelihoodLn), and its gradient in (r, α, third, fourth).
        var (data, plain) = Sample(model);
        var likelihood = new CovariateLikelihood(CovariateModel.For(model), data);
        var gradient = new double[7];
        var ll = likelihood.Evaluate([r, alpha, third, fourth, 0, 0, 0], gradient);
        double expected = 0;
        var expectedGradient = new double[4];
        for (var i = 0; i < plain.Count; i++)
        {
            var g = new double[4];
            expected += plain.Weight[i] * (model == "bgnbd"
                ? BgNbdModel.LikelihoodLn(new BgNbdParameters(r, alpha, third, fourth), plain.X[i], plain.Tx[i], plain.T[i], g)
                : ParetoNbdModel.LikelihoodLn(new ParetoNbdParameters(r, alpha, third, fourth), plain.X[i], plain.Tx[i], plain.T[i], g));
            for (var j = 0; j < 4; j++)
            {
                expectedGradient[j] += plain.Weight[i] * g[j];
            }
        }

        Assert.That(ll, Is.EqualTo(expected).Within(1e-9 * Math.Abs(expected)));
        GradientChecks.AssertClose(gradient[..4], expectedGradient, 1e-9, model);
    }

    [TestCase("bgnbd", new[] { 0.3, 5.0, 0.9, 2.0, 0.2, -0.15, 0.3 })]
    [TestCase("paretonbd", new[] { 0.6, 9.0, 0.7, 12.0, 0.2, -0.15, 0.3 })]
    public void Evaluate_Gradient_MatchesCentralDifferences(string model, double[] theta)
    {
        var (data, _) = Sample(model);
        var likelihood = new CovariateLikelihood(CovariateModel.For(model), data);
        var analytic = new double[theta.Length];
        likelihood.Evaluate(theta, analytic);
        var numeric = GradientChecks.CentralDifferences(theta, t => likelihood.Evaluate(t, []));
        GradientChecks.AssertClose(analytic, numeric, 1e-5, model);
    }
}
