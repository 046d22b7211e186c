using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Core.Tests.Clv.Covariates;

public sealed class CovariateCdnowTests
{
    [TestCase("bgnbd")]
    [TestCase("paretonbd")]
    public void Run_CdnowMasterFirstPurchaseHighLow_ConvergesAndBeatsNoCovariatesByLikelihoodRatio(string model)
    {
        // CDNOW master calibrated to 1997-10-01 (23,570 customers, the window of the auto-selection test). The covariate
        // is whether the first purchase day's dollar value is above the median, on both processes. Measured: BG/NBD
        // LR 212.0 (γ_purchase 0.470 ± 0.033), Pareto/NBD LR 320.7 (γ_purchase 0.303 ± 0.028, γ_dropout −0.468 ± 0.071):
        // big first spenders buy more often, and (Pareto/NBD) stay longer.
        var customers = CdnowMaster.Split(new DateOnly(1997, 10, 1), new DateOnly(1998, 7, 1)).Calibration;
        var high = CdnowFirstPurchase.High(customers.Select(c => c.CustomerId).ToArray()).Select(h => h ? 1.0 : 0.0).ToArray();
        var purchase = CovariateDesign.FromValues(["first_purchase=high"], high);
        var dropout = CovariateDesign.FromValues(["first_purchase=high"], high);
        var histories = customers.Select(c => ((double)c.Frequency, c.TxDays / 7.0, c.AgeDays / 7.0)).ToArray();

        var result = CovariateFit.Run(model, histories, purchase, dropout);

        var estimates = string.Join("; ", result.Fit.Names.Select((n, i) => FormattableString.Invariant($"{n} {result.Fit.Estimates[i]:G6} ({result.Fit.StandardErrors[i]:G3})")));
        TestContext.Out.WriteLine(FormattableString.Invariant(
            $"{model}: LL {result.Fit.LogLikelihood:F3} vs {result.WithoutCovariates.LogLikelihood:F3}, LR {result.LikelihoodRatio!.Statistic:F2} p {result.LikelihoodRatio.PValue:G3}; {result.Fit.Optimizer} {result.Fit.Iterations} it; {estimates}"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Fit.Optimizer, Is.EqualTo("BFGS"));
            Assert.That(result.Fit.StandardErrors, Has.All.Matches<double>(double.IsFinite));
            Assert.That(result.LikelihoodRatio.DegreesOfFreedom, Is.EqualTo(2));
            Assert.That(result.LikelihoodRatio.PValue, Is.LessThan(0.001));
            Assert.That(result.Coefficients[0].Estimate, Is.GreaterThan(4 * result.Coefficients[0].StandardError), "big first spenders buy more often");
        });
    }
}
