using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Simulation;

namespace CrmAnalytics.Core.Tests.Clv.Covariates;

public sealed class CovariateFitTests
{
    private static readonly BgNbdSimulationOptions Ages = new() { MinAge = 26, MaxAge = 78, TimeGrid = 1.0 / 7, Seed = 11 };

    [TestCase("bgnbd")]
    [TestCase("paretonbd")]
    public void Run_NoCovariates_EqualsTodaysFitExactly(string model)
    {
        var histories = BgNbdSimulator.Simulate(new BgNbdParameters(0.25, 4, 0.8, 2.5), Ages with { Customers = 3000 });
        var result = CovariateFit.Run(model, histories, CovariateDesign.None(histories.Length), CovariateDesign.None(histories.Length));
        var patterns = RepeatPatterns.From(histories);
        var today = model == "bgnbd" ? ((IPurchaseModel)BgNbdModel.Fit(patterns)).Fit : ((IPurchaseModel)ParetoNbdModel.Fit(patterns)).Fit;
        Assert.Multiple(() =>
        {
            Assert.That(result.Fit.Estimates, Is.EqualTo(today.Estimates));
            Assert.That(result.Fit.LogLikelihood, Is.EqualTo(today.LogLikelihood));
            Assert.That(result.Fit.Iterations, Is.EqualTo(today.Iterations));
            Assert.That(result.Coefficients, Is.Empty);
            Assert.That(result.LikelihoodRatio, Is.Null);
        });
    }

    [TestCase("bgnbd", new[] { 0.25, 4.0, 0.8, 2.5 })]
    [TestCase("paretonbd", new[] { 0.55, 10.5, 0.6, 11.5 })]
    public void Run_SimulatedKnownEffects_RecoversCoefficientsWithinFourStandardErrors(string model, double[] parameters)
    {
        // 30,000 customers; referral customers buy 30 % more often (γ = ln 1.3), each age band step 26 % less often
        // (γ = −0.3), and the referral dropout coefficient is 0.5.
        const int N = 30_000;
        double[] gamma = [Math.Log(1.3), -0.3, 0.5];
        double[] truth = [.. parameters, .. gamma];
        var (purchase, dropout) = SimulatedCovariates.Designs(N);
        var histories = CovariateSimulator.Simulate(model, truth, purchase, dropout, Ages);
        var result = CovariateFit.Run(model, histories, purchase, dropout);
        Assert.Multiple(() =>
        {
            for (var i = 0; i < truth.Length; i++)
            {
                Assert.That(result.Fit.StandardErrors[i], Is.GreaterThan(0).And.LessThan(0.25 * Math.Max(Math.Abs(truth[i]), 1)), result.Fit.Names[i]);
                Assert.That(result.Fit.Estimates[i], Is.EqualTo(truth[i]).Within(4 * result.Fit.StandardErrors[i]), result.Fit.Names[i]);
            }

            Assert.That(result.Coefficients.Select(c => c.Process), Is.EqualTo(new[] { "purchase", "purchase", "dropout" }));
            Assert.That(result.Coefficients.Select(c => c.Name), Is.EqualTo(new[] { "channel=referral", "age_band", "channel=referral" }));
            Assert.That(result.LikelihoodRatio!.DegreesOfFreedom, Is.EqualTo(3));
            Assert.That(result.LikelihoodRatio.PValue, Is.LessThan(1e-6));
            Assert.That(result.Fit.LogLikelihood, Is.GreaterThan(result.WithoutCovariates.LogLikelihood));
        });
    }

    [Test]
    public void Run_NoEffects_LikelihoodRatioTestDoesNotReject()
    {
        // Covariates that do nothing: the LR statistic is χ²(3) under the null; at this seed it is far from rejecting.
        var (purchase, dropout) = SimulatedCovariates.Designs(20_000);
        var histories = CovariateSimulator.Simulate("bgnbd", [0.25, 4, 0.8, 2.5, 0, 0, 0], purchase, dropout, Ages);
        var result = CovariateFit.Run("bgnbd", histories, purchase, dropout);
        Assert.That(result.LikelihoodRatio!.PValue, Is.GreaterThan(0.01));
    }

    [Test]
    public void Run_Penalizer_ShrinksCoefficientsTowardZero()
    {
        var (purchase, dropout) = SimulatedCovariates.Designs(5000);
        var histories = CovariateSimulator.Simulate("bgnbd", [0.25, 4, 0.8, 2.5, 0.5, -0.3, 0.5], purchase, dropout, Ages);
        var free = CovariateFit.Run("bgnbd", histories, purchase, dropout);
        var penalized = CovariateFit.Run("bgnbd", histories, purchase, dropout, penalizer: 0.05);
        var norm = (CovariateFitResult r) => r.Coefficients.Sum(c => c.Estimate * c.Estimate);
        Assert.That(norm(penalized), Is.LessThan(0.5 * norm(free)));
    }

    [Test]
    public void ModelFor_ReferralCustomer_ScalesAlphaAsCLVTools()
    {
        // CLVTools bgnbd_staticcov_alpha_i: α_i = α·exp(−γᵀx); a_i, b_i = a, b · exp(γ_dᵀz).
        var (purchase, dropout) = SimulatedCovariates.Designs(5000);
        var histories = CovariateSimulator.Simulate("bgnbd", [0.25, 4, 0.8, 2.5, 0.5, -0.3, 0.5], purchase, dropout, Ages);
        var result = CovariateFit.Run("bgnbd", histories, purchase, dropout);
        var e = result.Fit.Estimates;
        var model = (BgNbdModel)result.ModelFor([1, 1], [1]);
        Assert.Multiple(() =>
        {
            Assert.That(model.Parameters.Alpha, Is.EqualTo(e[1] * Math.Exp(-e[4] - e[5])).Within(1e-12 * e[1]));
            Assert.That(model.Parameters.A, Is.EqualTo(e[2] * Math.Exp(e[6])).Within(1e-12 * e[2]));
            Assert.That(model.Parameters.B, Is.EqualTo(e[3] * Math.Exp(e[6])).Within(1e-12 * e[3]));
        });
    }
}
