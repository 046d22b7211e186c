using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.ModifiedBgNbd;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Tests.Clv.BgNbd;

namespace CrmAnalytics.Core.Tests.Clv;

/// <summary>
/// What every purchase model must satisfy, run once per model with its reference values
/// (<see cref="PurchaseModelReference"/>). The model-specific published and mpmath values stay in each model's tests.
/// </summary>
[TestFixture(typeof(BgNbdModel), typeof(BgNbdParameters))]
[TestFixture(typeof(ModifiedBgNbdModel), typeof(ModifiedBgNbdParameters))]
[TestFixture(typeof(ParetoNbdModel), typeof(ParetoNbdParameters))]
public sealed class PurchaseModelFamilyTests<TModel, TParameters>
    where TModel : PurchaseModel<TModel, TParameters>, IPurchaseModelMath<TModel, TParameters>
    where TParameters : PurchaseParameters
{
    private static readonly PurchaseModelReference Reference = PurchaseModelReference.For(typeof(TModel));

    private static readonly TParameters Known = Create(Reference.Known);

    private static readonly Lazy<TModel> Fitted = new(() => PurchaseModel<TModel, TParameters>.Fit(CdnowSummary.Patterns));

    private static TParameters Create(double[] theta) => (TParameters)Reference.Parameters(theta);

    private static IEnumerable<TestCaseData> SumAndMeanCases() =>
        Reference.SumAndMean.Select(c => new TestCaseData(c.Theta, c.T).SetArgDisplayNames(Show(c.Theta), c.T.ToString("R", null)));

    private static IEnumerable<TestCaseData> GradientPoints() => Points(Reference.GradientPoints);

    private static IEnumerable<TestCaseData> CdnowGradientPoints() => Points(Reference.CdnowGradientPoints);

    private static IEnumerable<TestCaseData> EngineSums() =>
        Reference.EngineSums.Select(c => new TestCaseData(c.Data, c.Theta, c.GradientTolerance).SetArgDisplayNames(c.Data, Show(c.Theta)));

    private static IEnumerable<TestCaseData> CdnowEstimates() =>
        Reference.CdnowEstimates.Select(c => new TestCaseData(c.Expected, c.Tolerance).SetArgDisplayNames(c.Source));

    private static IEnumerable<TestCaseData> ExtremeHistories() =>
        Reference.ExtremeHistories.Select(c => new TestCaseData(c.Theta, c.X, c.Tx, c.T, c.Expected, c.Tolerance)
            .SetArgDisplayNames(Show(c.Theta), c.X.ToString("R", null), c.Tx.ToString("R", null), c.T.ToString("R", null)));

    private static IEnumerable<TestCaseData> Points(double[][] points) =>
        points.Select(theta => new TestCaseData(theta).SetArgDisplayNames(Show(theta)));

    private static string Show(double[] theta) => string.Join(", ", theta.Select(v => v.ToString("R", null)));

    [TestCaseSource(nameof(CdnowEstimates))]
    public void Fit_Cdnow_MatchesPublishedEstimates(double[] expected, double[] tolerance)
    {
        var estimates = Fitted.Value.Parameters.ToArray();
        Assert.Multiple(() =>
        {
            for (var j = 0; j < 4; j++)
            {
                Assert.That(estimates[j], Is.EqualTo(expected[j]).Within(tolerance[j]), Reference.ParameterNames[j]);
            }
        });
    }

    [Test]
    public void Fit_Cdnow_LogLikelihoodIsPublishedValue()
    {
        var fit = Fitted.Value.FitResult!;
        Assert.Multiple(() =>
        {
            Assert.That(fit.LogLikelihood, Is.EqualTo(Reference.CdnowLogLikelihood.Value).Within(0.01));
            Assert.That(fit.LogLikelihood, Is.GreaterThanOrEqualTo(Reference.CdnowLogLikelihood.Floor));
            Assert.That(fit.Customers, Is.EqualTo(2357));
            Assert.That(fit.Names, Is.EqualTo(Reference.ParameterNames));
            Assert.That(fit.StandardErrors, Has.All.GreaterThan(0));
        });
    }

    /// <summary>The holdout check and the churn cut-offs fit without standard errors: the same estimates, no uncertainty.</summary>
    [Test]
    public void Fit_WithoutStandardErrors_SameEstimatesAndNoUncertainty()
    {
        var plain = Fitted.Value.FitResult!;
        var fit = PurchaseModel<TModel, TParameters>.Fit(CdnowSummary.Patterns, new FitOptions { StandardErrors = false }).FitResult!;
        Assert.Multiple(() =>
        {
            Assert.That(fit.Estimates, Is.EqualTo(plain.Estimates));
            Assert.That(fit.LogLikelihood, Is.EqualTo(plain.LogLikelihood));
            Assert.That(fit.StandardErrors, Has.Count.EqualTo(plain.Names.Count).And.All.NaN);
            Assert.That(fit.Covariance, Is.Null);
            Assert.That(plain.Covariance, Is.Not.Null);
        });
    }

    [Test]
    public void Fit_NoCustomers_ThrowsModelFitException()
    {
        var empty = RepeatPatterns.From(Array.Empty<(double, double, double)>());
        Assert.That(() => PurchaseModel<TModel, TParameters>.Fit(empty), Throws.InstanceOf<ModelFitException>());
    }

    [Test]
    public void IPurchaseModel_FittedModel_ExposesNameAndFit()
    {
        IPurchaseModel model = Fitted.Value;
        Assert.Multiple(() =>
        {
            Assert.That(model.Name, Is.EqualTo(Reference.Name));
            Assert.That(model.Fit.LogLikelihood, Is.EqualTo(Fitted.Value.FitResult!.LogLikelihood));
            Assert.That(model.ExpectedPurchases(39), Is.EqualTo(PurchaseModel<TModel, TParameters>.ExpectedPurchases(Fitted.Value.Parameters, 39)));
            Assert.That(model.ProbabilityOfPurchases(2, 39), Is.EqualTo(PurchaseModel<TModel, TParameters>.ProbabilityOfPurchases(Fitted.Value.Parameters, 2, 39)));
        });
    }

    [Test]
    public void IPurchaseModel_KnownParameters_FitThrowsInvalidOperation()
    {
        var model = Reference.Model(Known);
        Assert.Multiple(() =>
        {
            Assert.That(model.Name, Is.EqualTo(Reference.Name));
            Assert.That(() => model.Fit, Throws.InvalidOperationException);
        });
    }

    // Not finite and positive, one parameter at a time.
    [TestCase(0.0, 1.0, 1.0, 1.0)]
    [TestCase(1.0, -1.0, 1.0, 1.0)]
    [TestCase(1.0, 1.0, double.PositiveInfinity, 1.0)]
    [TestCase(1.0, 1.0, 1.0, double.NaN)]
    [TestCase(1.0, 1.0, 0.0, 1.0)]
    [TestCase(1.0, double.NaN, 1.0, 1.0)]
    public void Parameters_InvalidSet_Throws(double r, double alpha, double third, double fourth)
    {
        Assert.Multiple(() =>
        {
            Assert.That(PurchaseParameters.IsValidParameterSet(r, alpha, third, fourth), Is.False);
            Assert.That(() => Create([r, alpha, third, fourth]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Parameters_PositiveFinite_AreValid()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PurchaseParameters.IsValidParameterSet(1e-300, 1e300, 0.5, 2), Is.True);
            Assert.That(Create([1e-300, 1e300, 0.5, 2]).R, Is.EqualTo(1e-300));
        });
    }

    [Test]
    public void Functions_InvalidArguments_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => PurchaseModel<TModel, TParameters>.ExpectedPurchases(Known, -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => PurchaseModel<TModel, TParameters>.ProbabilityAlive(Known, 1, 40, 39), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => PurchaseModel<TModel, TParameters>.ConditionalExpectedPurchases(Known, 10, -1, 0, 39), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => PurchaseModel<TModel, TParameters>.ExpectedPurchasesIfAlive(Known, double.NaN, 1, 39), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => PurchaseModel<TModel, TParameters>.ProbabilityOfPurchases(Known, -1, 39), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => PurchaseModel<TModel, TParameters>.LikelihoodLn(Known, 1, 1, double.PositiveInfinity), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => PurchaseModel<TModel, TParameters>.LikelihoodLn(Known, 1, 1, 2, new double[3]), Throws.ArgumentException);
        });
    }

    /// <summary>The churn features compute E[Y(90 days)] given P(alive); every model must give the number its plain form gives, bit for bit.</summary>
    [Test]
    public void ConditionalExpectedPurchases_GivenProbabilityAlive_EqualsThePlainFormBitForBit()
    {
        var model = (IPurchaseModel)Fitted.Value;
        var data = CdnowSummary.Patterns;
        var mismatches = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var (x, tx, T) = (data.X[i], data.Tx[i], data.T[i]);
            var alive = model.ProbabilityAlive(x, tx, T);
            foreach (var t in new[] { 0.0, 90 / 7.0, 52.0 })
            {
                if (BitConverter.DoubleToInt64Bits(model.ConditionalExpectedPurchases(t, x, tx, T, alive)) != BitConverter.DoubleToInt64Bits(model.ConditionalExpectedPurchases(t, x, tx, T)))
                {
                    mismatches++;
                }
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(data.Count, Is.GreaterThan(100));
            Assert.That(mismatches, Is.Zero);
            Assert.That(() => model.ConditionalExpectedPurchases(-1, 1, 1, 2, 0.5), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void ExpectedPurchases_AtZero_IsZero()
    {
        Assert.That(PurchaseModel<TModel, TParameters>.ExpectedPurchases(Create(Reference.SumAndMean[0].Theta), 0), Is.EqualTo(0));
    }

    [Test]
    public void ProbabilityOfPurchases_AtZero_IsPointMassAtZero()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PurchaseModel<TModel, TParameters>.ProbabilityOfPurchases(Known, 0, 0), Is.EqualTo(1));
            Assert.That(PurchaseModel<TModel, TParameters>.ProbabilityOfPurchases(Known, 3, 0), Is.EqualTo(0));
        });
    }

    [TestCaseSource(nameof(SumAndMeanCases))]
    public void ProbabilityOfPurchases_SumAndMean_AreOneAndExpectedPurchases(double[] theta, double t)
    {
        // The pmf and E[X(t)] are derived separately; Σ P(X(t) = n) = 1 and Σ n·P(X(t) = n) = E[X(t)] tie them together.
        var parameters = Create(theta);
        double total = 0, mean = 0;
        for (var n = 0; n < Reference.SumAndMeanTerms; n++)
        {
            var p = PurchaseModel<TModel, TParameters>.ProbabilityOfPurchases(parameters, n, t);
            total += p;
            mean += n * p;
        }

        Assert.Multiple(() =>
        {
            Assert.That(total, Is.EqualTo(1).Within(1e-12));
            Assert.That(mean, Is.EqualTo(PurchaseModel<TModel, TParameters>.ExpectedPurchases(parameters, t)).Within(1e-10));
        });
    }

    [Test]
    public void ProbabilityAlive_GridOfHistories_StaysInUnitInterval()
    {
        // lifetimes' test_conditional_probability_alive_is_between_0_and_1, on the fitted CDNOW model.
        var model = Fitted.Value;
        for (var x = 0; x < 100; x += 10)
        {
            for (var tx = 0; tx < 100; tx += 10)
            {
                for (var T = tx; T < 100; T += 10)
                {
                    Assert.That(model.ProbabilityAlive(x, tx, T), Is.InRange(0.0, 1.0), $"x={x}, t_x={tx}, T={T}");
                }
            }
        }
    }

    [TestCaseSource(nameof(ExtremeHistories))]
    public void LikelihoodLn_ExtremeHistories_AreFiniteAndMatchMpmath(double[] theta, double x, double tx, double T, double expected, double tolerance)
    {
        var gradient = new double[4];
        var ll = PurchaseModel<TModel, TParameters>.LikelihoodLn(Create(theta), x, tx, T, gradient);
        Assert.Multiple(() =>
        {
            Assert.That(double.IsFinite(ll), Is.True, $"ln L = {ll}");
            Assert.That(ll, Is.EqualTo(expected).Within(Math.Abs(expected) * tolerance));
            Assert.That(gradient.All(double.IsFinite), Is.True, string.Join(", ", gradient));
        });
    }

    [TestCaseSource(nameof(GradientPoints))]
    public void LikelihoodLn_Gradient_MatchesCentralDifferences(double[] theta)
    {
        (double X, double Tx, double T)[] histories = [(0, 0, 38.86), (1, 1.71, 38.86), (2, 30.43, 38.86), (7, 20, 20), (25, 60.5, 300)];
        foreach (var (x, tx, T) in histories)
        {
            var analytic = new double[4];
            PurchaseModel<TModel, TParameters>.LikelihoodLn(Create(theta), x, tx, T, analytic);
            var numeric = GradientChecks.CentralDifferences(theta, t => PurchaseModel<TModel, TParameters>.LikelihoodLn(Create(t), x, tx, T));
            GradientChecks.AssertClose(analytic, numeric, Reference.GradientTolerance, $"x={x}, t_x={tx}, T={T}");
        }
    }

    [TestCaseSource(nameof(CdnowGradientPoints))]
    public void Evaluate_CdnowGradient_MatchesCentralDifferences(double[] theta)
    {
        var likelihood = Reference.Likelihood(CdnowSummary.Patterns);
        var analytic = new double[4];
        likelihood(theta, analytic);
        var numeric = GradientChecks.CentralDifferences(theta, t => likelihood(t, new double[4]));
        GradientChecks.AssertClose(analytic, numeric, Reference.GradientTolerance, "CDNOW");
    }

    [TestCaseSource(nameof(EngineSums))]
    public void Evaluate_Patterns_EqualsSumOfCustomerLikelihoods(string data, double[] theta, double gradientTolerance)
    {
        // The fit's engine (runs of equal x, vector lanes, parallel chunks) against the scalar per-customer form.
        var patterns = data == "cdnow" ? CdnowSummary.Patterns : Reference.Simulated.Value;
        if (data == "simulated")
        {
            // 60,000 customers give ~60,000 patterns: the parallel path.
            Assert.That(patterns.Count, Is.GreaterThan(PatternChunks.ParallelThreshold));
        }

        var gradient = new double[4];
        var ll = Reference.Likelihood(patterns)(theta, gradient);
        var parameters = Create(theta);
        var expectedGradient = new double[4];
        var perCustomer = new double[4];
        var expected = 0.0;
        for (var i = 0; i < patterns.Count; i++)
        {
            Array.Clear(perCustomer);
            expected += patterns.Weight[i] * PurchaseModel<TModel, TParameters>.LikelihoodLn(parameters, patterns.X[i], patterns.Tx[i], patterns.T[i], perCustomer);
            for (var j = 0; j < 4; j++)
            {
                expectedGradient[j] += patterns.Weight[i] * perCustomer[j];
            }
        }

        Assert.That(ll, Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-12));
        GradientChecks.AssertClose(gradient, expectedGradient, gradientTolerance, "engine vs per-customer");
    }

    [Test]
    public void Evaluate_Twice_IsBitwiseIdentical()
    {
        // Chunk partial sums are combined in chunk order, so thread scheduling cannot change the result.
        var likelihood = Reference.Likelihood(Reference.Simulated.Value);
        var g1 = new double[4];
        var g2 = new double[4];
        var ll1 = likelihood(Reference.SimulatedTheta, g1);
        var ll2 = likelihood(Reference.SimulatedTheta, g2);
        Assert.Multiple(() =>
        {
            Assert.That(BitConverter.DoubleToInt64Bits(ll2), Is.EqualTo(BitConverter.DoubleToInt64Bits(ll1)));
            Assert.That(g2, Is.EqualTo(g1));
        });
    }

    [Test]
    public void Evaluate_AddsIntoGradient()
    {
        // The LogLikelihoodFunction contract: the gradient is added, not assigned.
        var likelihood = Reference.Likelihood(CdnowSummary.Patterns);
        var fresh = new double[4];
        likelihood(Reference.Known, fresh);
        double[] offset = [1, 2, 3, 4];
        likelihood(Reference.Known, offset);
        for (var j = 0; j < 4; j++)
        {
            Assert.That(offset[j], Is.EqualTo(fresh[j] + j + 1).Within(1e-9 * Math.Max(1, Math.Abs(fresh[j]))));
        }
    }
}
