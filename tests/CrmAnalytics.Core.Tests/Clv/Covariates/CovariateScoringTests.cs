using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Uncertainty;
using CrmAnalytics.Core.Clv.Value;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Tests.Clv.Uncertainty;

namespace CrmAnalytics.Core.Tests.Clv.Covariates;

public sealed class CovariateScoringTests
{
    private const int N = 3000;

    private static readonly ClvScoringOptions Bgnbd = new() { Model = "bgnbd", Value = new ClvOptions { HorizonMonths = 12, MonthlyDiscountRate = 0.01, Margin = 0.3 } };

    private static readonly Lazy<CustomerSummary[]> Customers = new(() => SimulatedCustomers.Create(N, seed: 3));

    private static readonly Dictionary<string, ClvScoringResult> Plain = [];

    /// <summary>γ: channel=referral and age_band on the purchase process, channel=referral on dropout (<see cref="CovariateTestData"/>).</summary>
    private static readonly double[] Gamma = [0.4, -0.25, 0.6];

    private static ClvScoringOptions Options(string model) => Bgnbd with { Model = model };

    private static ClvScoringResult PlainScores(string model)
    {
        lock (Plain)
        {
            return Plain.TryGetValue(model, out var plain) ? plain : Plain[model] = ClvScorer.Score(Customers.Value, Options(model));
        }
    }

    /// <summary>
    /// A covariate fit made by hand: the plain fit's (r, α, third, fourth) and covariance, <paramref name="gamma"/> with
    /// covariance 0.05² · 0.3^|i−j| (positive definite), or zero when <paramref name="gammaVariance"/> is false.
    /// </summary>
    private static CovariateFitResult HandFit(string model, double[] gamma, bool gammaVariance = true)
    {
        var plain = PlainScores(model).PurchaseModel.Fit;
        var (purchase, dropout) = SimulatedCovariates.Designs(N);
        double[] theta = [.. plain.Estimates, .. gamma];
        var k = theta.Length;
        var covariance = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                covariance[(i * k) + j] = i < 4 && j < 4 ? plain.Covariance![(i * 4) + j]
                    : i >= 4 && j >= 4 && gammaVariance ? 0.05 * 0.05 * Math.Pow(0.3, Math.Abs(i - j)) : 0;
            }
        }

        string[] names = [.. plain.Names, "purchase:channel=referral", "purchase:age_band", "dropout:channel=referral"];
        var fit = new FitResult(names, theta, [.. Enumerable.Range(0, k).Select(i => Math.Sqrt(covariance[(i * k) + i]))], plain.LogLikelihood + 10, 20, "BFGS", "converged", N, N, 0)
        {
            Covariance = covariance,
        };
        return new CovariateFitResult(model, fit, plain, [], null, purchase, dropout);
    }

    /// <summary>
    /// A customer's own parameters as CLVTools defines them (src/bgnbd.cpp <c>bgnbd_staticcov_alpha_i</c>, <c>_a_i</c>,
    /// <c>_b_i</c>; src/pnbd.cpp <c>pnbd_staticcov_alpha_i</c>, <c>_beta_i</c>): α_i = α·exp(−γ_pᵀx); BG/NBD a_i, b_i =
    /// a, b·exp(γ_dᵀz); Pareto/NBD β_i = β·exp(−γ_dᵀz), s unchanged.
    /// </summary>
    private static double[] Own(string model, IReadOnlyList<double> theta, ReadOnlySpan<double> x, ReadOnlySpan<double> z)
    {
        var purchase = (theta[4] * x[0]) + (theta[5] * x[1]);
        var dropout = theta[6] * z[0];
        return model == "bgnbd"
            ? [theta[0], theta[1] * Math.Exp(-purchase), theta[2] * Math.Exp(dropout), theta[3] * Math.Exp(dropout)]
            : [theta[0], theta[1] * Math.Exp(-purchase), theta[2], theta[3] * Math.Exp(-dropout)];
    }

    private static IPurchaseModel BaseModel(string model, double[] p, FitResult? fit = null) => model == "bgnbd"
        ? new BgNbdModel(new BgNbdParameters(p[0], p[1], p[2], p[3]), fit)
        : new ParetoNbdModel(new ParetoNbdParameters(p[0], p[1], p[2], p[3]), fit);

    [TestCase("bgnbd")]
    [TestCase("paretonbd")]
    public void Score_OwnCovariates_EachCustomerValuedByTheBaseModelAtTheirOwnParameters(string model)
    {
        var fit = HandFit(model, Gamma);
        var plain = PlainScores(model);
        var customers = Customers.Value;
        var spend = (GammaGammaModel)plain.SpendModel;

        var result = CovariateScoring.Score(fit, plain, customers, Options(model));

        Assert.That(result.Groups, Is.EqualTo(6), "referral or not × three age bands");
        Assert.That(result.Scores.HasIntervals, Is.True);
        for (var i = 0; i < customers.Length; i++)
        {
            var c = customers[i];
            var p = Own(model, fit.Fit.Estimates, fit.PurchaseDesign.Row(i), fit.DropoutDesign.Row(i));
            var own = BaseModel(model, p);
            double x = c.Frequency, tx = c.TxDays / 7.0, T = c.AgeDays / 7.0;
            // BG/NBD P(alive): Fader, Hardie & Lee (2008, "Computing P(alive) using the BG/NBD model", eq. 2).
            var alive = model == "bgnbd"
                ? 1 / (1 + (x > 0 ? p[2] / (p[3] + x - 1) * Math.Pow((p[1] + T) / (p[1] + tx), p[0] + x) : 0))
                : own.ProbabilityAlive(x, tx, T);
            var avgSpend = SpendPatterns.IsModelled(c.Frequency, c.MeanRepeatValue) ? spend.ConditionalExpectedAverageSpend(x, c.MeanRepeatValue) : spend.PopulationMeanSpend;
            var clv = ClvCalculator.Compute(own, avgSpend, x, tx, T, Bgnbd.Value, 7);
            var row = result.Scores.Customers[i];
            Assert.That(row.ProbabilityAlive, Is.EqualTo(alive).Within(1e-12), c.CustomerId);
            Assert.That(row.ExpectedPurchases90d, Is.EqualTo(own.ConditionalExpectedPurchases(90 / 7.0, x, tx, T)).Within(1e-12), c.CustomerId);
            Assert.That(row.ExpectedPurchases365d, Is.EqualTo(own.ConditionalExpectedPurchases(365 / 7.0, x, tx, T)).Within(1e-12), c.CustomerId);
            Assert.That(row.ExpectedAverageSpend, Is.EqualTo(avgSpend), c.CustomerId);
            Assert.That(row.Clv, Is.EqualTo(clv).Within(1e-9 * Math.Max(1, clv)), c.CustomerId);
        }
    }

    [TestCase("bgnbd")]
    [TestCase("paretonbd")]
    public void Score_OneCovariateGroup_EqualsPlainScoringAtTheGroupsParametersAndDeltaMethodCovariance(string model)
    {
        // Each group is a plain model at its own parameters; its covariance is J Σ Jᵀ with J = ∂(r, α_i, …)/∂θ taken
        // here by central differences of the parameterisation, so the intervals carry the coefficients' uncertainty.
        var fit = HandFit(model, Gamma);
        var plain = PlainScores(model);
        var customers = Customers.Value;
        var result = CovariateScoring.Score(fit, plain, customers, Options(model));
        var theta = fit.Fit.Estimates.ToArray();
        var k = theta.Length;

        foreach (var first in new[] { 0, 1, 2, 3, 4, 5 })
        {
            var (x, z) = (fit.PurchaseDesign.Row(first).ToArray(), fit.DropoutDesign.Row(first).ToArray());
            var members = Enumerable.Range(0, N).Where(i => fit.PurchaseDesign.Row(i).SequenceEqual(x) && fit.DropoutDesign.Row(i).SequenceEqual(z)).ToArray();
            var p = Own(model, theta, x, z);
            var jacobian = new double[4, k];
            for (var j = 0; j < k; j++)
            {
                var h = 1e-6 * Math.Max(1, Math.Abs(theta[j]));
                var (up, down) = ((double[])theta.Clone(), (double[])theta.Clone());
                up[j] += h;
                down[j] -= h;
                var (pu, pd) = (Own(model, up, x, z), Own(model, down, x, z));
                for (var r = 0; r < 4; r++)
                {
                    jacobian[r, j] = (pu[r] - pd[r]) / (2 * h);
                }
            }

            var covariance = new double[16];
            for (var r = 0; r < 4; r++)
            {
                for (var c = 0; c < 4; c++)
                {
                    for (var i = 0; i < k; i++)
                    {
                        for (var j = 0; j < k; j++)
                        {
                            covariance[(r * 4) + c] += jacobian[r, i] * fit.Fit.Covariance![(i * k) + j] * jacobian[c, j];
                        }
                    }
                }
            }

            var group = BaseModel(model, p, plain.PurchaseModel.Fit with { Estimates = p, Covariance = covariance });
            var subset = members.Select(i => customers[i]).ToArray();
            var points = ClvScorer.ScoreCustomers(group, plain.SpendModel, subset, Options(model));
            var bounds = ClvIntervals.Compute(group, (GammaGammaModel)plain.SpendModel, subset, points, Options(model), 0.9)!;
            for (var m = 0; m < members.Length; m++)
            {
                var (row, expected, interval) = (result.Scores.Customers[members[m]], points[m], bounds[m]);
                var actual = row.Interval!.Value;
                Assert.That(row with { Interval = null }, Is.EqualTo(expected), subset[m].CustomerId);
                Assert.That(actual.ProbabilityAliveLow, Is.EqualTo(interval.ProbabilityAliveLow).Within(1e-7).Percent, subset[m].CustomerId);
                Assert.That(actual.ProbabilityAliveHigh, Is.EqualTo(interval.ProbabilityAliveHigh).Within(1e-7).Percent, subset[m].CustomerId);
                Assert.That(actual.ExpectedPurchases365dLow, Is.EqualTo(interval.ExpectedPurchases365dLow).Within(1e-7).Percent, subset[m].CustomerId);
                Assert.That(actual.ExpectedPurchases365dHigh, Is.EqualTo(interval.ExpectedPurchases365dHigh).Within(1e-7).Percent, subset[m].CustomerId);
                Assert.That(actual.ClvLow, Is.EqualTo(interval.ClvLow).Within(1e-7).Percent, subset[m].CustomerId);
                Assert.That(actual.ClvHigh, Is.EqualTo(interval.ClvHigh).Within(1e-7).Percent, subset[m].CustomerId);
            }
        }
    }

    [TestCase("bgnbd")]
    [TestCase("paretonbd")]
    public void Score_ZeroEffectsWithoutCoefficientVariance_EqualsTheColumnsWithoutCovariates(string model)
    {
        // γ = 0 held exactly: every customer's parameters and covariance are the plain fit's, so are the columns and bounds.
        var plain = PlainScores(model);

        var result = CovariateScoring.Score(HandFit(model, [0, 0, 0], gammaVariance: false), plain, Customers.Value, Options(model));

        Assert.That(result.Scores.Customers, Is.EqualTo(plain.Customers));
    }

    [Test]
    public void Score_IntervalLevelZero_NoBounds()
    {
        var options = Bgnbd with { IntervalLevel = 0 };

        var result = CovariateScoring.Score(HandFit("bgnbd", Gamma), PlainScores("bgnbd"), Customers.Value, options);

        Assert.That(result.Scores.HasIntervals, Is.False);
        Assert.That(result.Scores.Customers.Select(c => c.Interval), Is.All.Null);
    }
}
