using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.GammaGamma;

namespace CrmAnalytics.Core.Tests.Clv.GammaGamma;

public sealed class GammaGammaModelTests
{
    /// <summary>
    /// The maximum-likelihood estimates on CDNOW's 946 repeat buyers by mpmath 1.3 at 30 digits (findroot on the
    /// analytic score of eq. 3, summed over the file's rows); the rounded p = 6.25, q = 3.74, v = 15.44 are Fader &amp;
    /// Hardie's (2013) note and lifetimes' test_params_out_is_close_to_Hardie_paper.
    /// </summary>
    private static readonly double[] Mle = [6.24880248970909699, 3.74458845328746903, 15.4477480094637163];

    private static readonly Lazy<GammaGammaModel> Fitted = new(() => GammaGammaModel.Fit(CdnowSpend.Patterns));

    [Test]
    public void Fit_Cdnow_MatchesPublishedEstimates()
    {
        // p = 6.2488, q = 3.7446, v = 15.4477 (lifetimes' GammaGammaFitter on the same file; Fader & Hardie 2013 print
        // 6.25, 3.74, 15.44), compared within 1e-3 relative as CLVTools and lifetimes do.
        var p = Fitted.Value.Parameters;
        Assert.Multiple(() =>
        {
            Assert.That(p.P, Is.EqualTo(6.2488).Within(6.2488e-3));
            Assert.That(p.Q, Is.EqualTo(3.7446).Within(3.7446e-3));
            Assert.That(p.V, Is.EqualTo(15.4477).Within(15.4477e-3));
        });
    }

    [Test]
    public void Fit_Cdnow_MatchesMpmathMaximumToSevenDigits()
    {
        var e = Fitted.Value.FitResult!.Estimates;
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.That(e[i], Is.EqualTo(Mle[i]).Within(Mle[i] * 1e-7), GammaGammaFit.ParameterNames[i]);
            }
        });
    }

    [Test]
    public void Fit_Cdnow_LogLikelihoodAndStandardErrorsArePublishedValues()
    {
        // Fader & Hardie (2013) / lifetimes: LL = −4055.92 on 946 customers (mpmath: −4055.923243502864 at the maximum).
        // Standard errors from the inverse observed information, mpmath's exact Hessian: 1.189687, 0.29016562, 4.1599939.
        var fit = Fitted.Value.FitResult!;
        Assert.Multiple(() =>
        {
            Assert.That(fit.LogLikelihood, Is.EqualTo(-4055.92).Within(0.01));
            Assert.That(fit.LogLikelihood, Is.EqualTo(-4055.923243502864).Within(1e-7));
            Assert.That(fit.Customers, Is.EqualTo(946));
            Assert.That(CdnowSpend.Patterns.Excluded, Is.EqualTo(2357 - 946));
            Assert.That(fit.Names, Is.EqualTo(new[] { "p", "q", "v" }));
            Assert.That(fit.StandardErrors[0], Is.EqualTo(1.189687).Within(1.189687e-4));
            Assert.That(fit.StandardErrors[1], Is.EqualTo(0.29016562).Within(0.29016562e-4));
            Assert.That(fit.StandardErrors[2], Is.EqualTo(4.1599939).Within(4.1599939e-4));
        });
    }

    [Test]
    public void ConditionalExpectedAverageSpend_CdnowFirstTenCustomers_MatchesLifetimesDocumentation()
    {
        // lifetimes' Quickstart, ggf.conditional_expected_average_profit(...).head(10) on all 2,357 rows in file order:
        // 24.658619, 18.911489, 35.170981 (x = 0: the population mean), ..., 71.462843, 27.282408, printed to 6 decimals
        // at lifetimes' optimizer's stopping point; 5e-5 covers that point's distance from the exact maximum.
        double[] lifetimes = [24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843, 18.911489, 35.170981, 27.282408, 35.170981];
        var model = Fitted.Value;
        var rows = CdnowSpend.Rows;
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                var e = SpendPatterns.IsModelled(rows[i].X, rows[i].MeanValue)
                    ? model.ConditionalExpectedAverageSpend(rows[i].X, rows[i].MeanValue)
                    : model.PopulationMeanSpend;
                Assert.That(e, Is.EqualTo(lifetimes[i]).Within(5e-5), $"customer {i + 1}");
                Assert.That(model.ConditionalExpectedAverageSpend(rows[i].X, rows[i].MeanValue), Is.EqualTo(e), $"customer {i + 1}");
            }
        });
    }

    [Test]
    public void ConditionalExpectedAverageSpend_CdnowFirstTenCustomers_MatchesMpmathAtMaximum()
    {
        // mpmath: eq. 5, p(v + x z̄)/(px + q − 1), at the exact maximum; x = 0 rows get p·v/(q − 1).
        double[] expected = [24.658616174326712, 18.9114798415671, 35.171002088240966, 35.171002088240966, 35.171002088240966,
            71.462850804518416, 18.9114798415671, 35.171002088240966, 27.282407566996312, 35.171002088240966];
        var model = Fitted.Value;
        var rows = CdnowSpend.Rows;
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.That(model.ConditionalExpectedAverageSpend(rows[i].X, rows[i].MeanValue), Is.EqualTo(expected[i]).Within(expected[i] * 1e-7), $"customer {i + 1}");
            }
        });
    }

    [Test]
    public void ConditionalExpectedAverageSpend_HandWorked_IsWeightedAverage()
    {
        // p = 2, q = 3, v = 10: population mean p·v/(q − 1) = 10. x = 4, z̄ = 25: weight px/(px + q − 1) = 8/10, so
        // E = 0.2·10 + 0.8·25 = 22 = p(v + x z̄)/(px + q − 1) = 2·110/10.
        var parameters = new GammaGammaParameters(2, 3, 10);
        Assert.Multiple(() =>
        {
            Assert.That(GammaGammaModel.PopulationMean(parameters), Is.EqualTo(10).Within(1e-14));
            Assert.That(GammaGammaModel.ConditionalExpectedAverageSpend(parameters, 4, 25), Is.EqualTo(22).Within(1e-13));
            Assert.That(GammaGammaModel.ConditionalExpectedAverageSpend(parameters, 0, 0), Is.EqualTo(10).Within(1e-14));
        });
    }

    [Test]
    public void ConditionalExpectedAverageSpend_ManyTransactions_ApproachesOwnMean()
    {
        // Eq. 5's weight on z̄ is px/(px + q − 1) → 1 as x grows: x = 10⁶ leaves (q − 1)/(px + q − 1) = 1e-6 on the prior.
        var model = new GammaGammaModel(new GammaGammaParameters(2, 3, 10));
        Assert.That(model.ConditionalExpectedAverageSpend(1e6, 40), Is.EqualTo(40 - (30 * 2 / (2e6 + 2))).Within(1e-9));
    }

    [Test]
    public void ISpendModel_FittedModel_ExposesNameFitAndMeans()
    {
        ISpendModel spend = Fitted.Value;
        Assert.Multiple(() =>
        {
            Assert.That(spend.Name, Is.EqualTo("gammagamma"));
            Assert.That(spend.Fit.LogLikelihood, Is.EqualTo(Fitted.Value.FitResult!.LogLikelihood));
            Assert.That(spend.PopulationMeanSpend, Is.EqualTo(35.171002088240966).Within(35.171002088240966 * 1e-7));
            Assert.That(spend.ConditionalExpectedAverageSpend(2, 22.35), Is.EqualTo(24.658616174326712).Within(24.658616174326712 * 1e-7));
        });
    }

    [Test]
    public void ISpendModel_KnownParameters_FitThrowsInvalidOperation()
    {
        ISpendModel spend = new GammaGammaModel(new GammaGammaParameters(6.25, 3.74, 15.44));
        Assert.That(() => spend.Fit, Throws.InvalidOperationException);
    }

    [Test]
    public void Fit_NoCustomers_ThrowsModelFitException()
    {
        var empty = SpendPatterns.From(Array.Empty<(double, double)>());
        Assert.That(() => GammaGammaModel.Fit(empty), Throws.InstanceOf<ModelFitException>());
    }

    [Test]
    public void Fit_OnlyOneTimeBuyers_ThrowsModelFitException()
    {
        var none = SpendPatterns.From([(0.0, 0.0), (0.0, 0.0), (3.0, -5.0)]);
        Assert.Multiple(() =>
        {
            Assert.That(none.Excluded, Is.EqualTo(3));
            Assert.That(() => GammaGammaModel.Fit(none), Throws.InstanceOf<ModelFitException>());
        });
    }

    [Test]
    public void Fit_IdenticalMeanValues_ThrowsModelFitException()
    {
        // 100 customers with x = 2 and z̄ = 10: eq. 3 grows without bound as p, q → ∞ with the mean fixed (the spend
        // distribution collapses onto 10), so there is no maximum to report. Likewise for a single customer.
        Assert.Multiple(() =>
        {
            Assert.That(() => GammaGammaModel.Fit(SpendPatterns.From(Enumerable.Repeat((2.0, 10.0), 100))),
                Throws.InstanceOf<ModelFitException>().With.Message.Contains("no proper maximum"));
            Assert.That(() => GammaGammaModel.Fit(SpendPatterns.From([(2.0, 10.0)])), Throws.InstanceOf<ModelFitException>());
        });
    }

    [Test]
    public void Fit_CdnowInCents_ScalesVAndLogLikelihoodOnly()
    {
        // Eq. 3 is a density of z̄ with v as its scale: values ×100 leave p and q unchanged, multiply v by 100 and shift
        // LL by −N·ln 100 (the Jacobian of z̄ → 100 z̄), N = 946. The start value v = mean z̄ scales the same way.
        var cents = GammaGammaModel.Fit(SpendPatterns.From(CdnowSpend.Rows.Select(r => (r.X, r.MeanValue * 100))));
        var dollars = Fitted.Value;
        Assert.Multiple(() =>
        {
            Assert.That(cents.Parameters.P, Is.EqualTo(dollars.Parameters.P).Within(dollars.Parameters.P * 1e-7));
            Assert.That(cents.Parameters.Q, Is.EqualTo(dollars.Parameters.Q).Within(dollars.Parameters.Q * 1e-7));
            Assert.That(cents.Parameters.V, Is.EqualTo(dollars.Parameters.V * 100).Within(dollars.Parameters.V * 100 * 1e-7));
            Assert.That(cents.FitResult!.LogLikelihood, Is.EqualTo(dollars.FitResult!.LogLikelihood - (946 * Math.Log(100))).Within(1e-6));
            Assert.That(cents.PopulationMeanSpend, Is.EqualTo(dollars.PopulationMeanSpend * 100).Within(dollars.PopulationMeanSpend * 100 * 1e-7));
        });
    }

    [Test]
    public void Fit_HeavyTailedSpend_ThrowsModelFitExceptionNamingQ()
    {
        // 20,000 customers simulated with q = 0.7: the population mean is infinite, and the MLE of q (asymptotically
        // normal around 0.7, standard error ≈ 0.01 here) is below 1, so the fit must refuse rather than return a
        // model whose x = 0 customers would be valued at a negative or infinite mean.
        var rows = GammaGammaSimulator.Simulate(new GammaGammaParameters(5, 0.7, 10), new GammaGammaSimulationOptions { Customers = 20_000, MeanFrequency = 3, Seed = 11 });
        Assert.That(() => GammaGammaModel.Fit(SpendPatterns.From(rows)), Throws.InstanceOf<ModelFitException>().With.Message.Contains("q = 0.").And.Message.Contains("infinite"));
    }

    [Test]
    public void Constructor_QAtMostOne_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new GammaGammaModel(new GammaGammaParameters(2, 1, 10)), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => GammaGammaModel.PopulationMean(new GammaGammaParameters(2, 0.5, 10)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [TestCase(0.0, 1.0, 1.0)]
    [TestCase(1.0, -1.0, 1.0)]
    [TestCase(1.0, 2.0, double.PositiveInfinity)]
    [TestCase(double.NaN, 2.0, 1.0)]
    public void Parameters_InvalidSet_Throws(double p, double q, double v)
    {
        Assert.Multiple(() =>
        {
            Assert.That(GammaGammaParameters.IsValidParameterSet(p, q, v), Is.False);
            Assert.That(() => new GammaGammaParameters(p, q, v), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Parameters_PositiveFinite_AreValid()
    {
        Assert.That(GammaGammaParameters.IsValidParameterSet(1e-300, 0.5, 1e300), Is.True);
    }

    [Test]
    public void Functions_CustomerOutsideModel_Throw()
    {
        var parameters = new GammaGammaParameters(2, 3, 10);
        Assert.Multiple(() =>
        {
            Assert.That(() => GammaGammaModel.ConditionalExpectedAverageSpend(parameters, -1, 10), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => GammaGammaModel.ConditionalExpectedAverageSpend(parameters, 2, 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => GammaGammaModel.ConditionalExpectedAverageSpend(parameters, 2, double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => GammaGammaModel.ConditionalExpectedAverageSpend(parameters, double.PositiveInfinity, 10), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => GammaGammaModel.LikelihoodLn(parameters, 0, 10), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => GammaGammaModel.LikelihoodLn(parameters, 2, -3), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => GammaGammaModel.LikelihoodLn(parameters, 2, 3, new double[4]), Throws.ArgumentException);
        });
    }

    [Test]
    public void ConditionalExpectedAverageSpend_QBelowOneWithRepeatBuyer_IsFiniteWhenPxPlusQExceedsOne()
    {
        // The posterior Gamma(px + q, v + x z̄) has a finite E[1/ν] once px + q > 1, even when the prior's q ≤ 1:
        // p = 1, q = 0.5, v = 10, x = 1, z̄ = 20 → 1·30/0.5 = 60. With px + q ≤ 1 it is infinite and refused.
        Assert.Multiple(() =>
        {
            Assert.That(GammaGammaModel.ConditionalExpectedAverageSpend(new GammaGammaParameters(1, 0.5, 10), 1, 20), Is.EqualTo(60).Within(1e-12));
            Assert.That(() => GammaGammaModel.ConditionalExpectedAverageSpend(new GammaGammaParameters(0.2, 0.5, 10), 1, 20), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }
}
