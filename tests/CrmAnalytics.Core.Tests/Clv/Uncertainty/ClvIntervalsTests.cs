using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Uncertainty;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CrmAnalytics.Core.Tests.Clv.Uncertainty;

[TestFixture]
public sealed class ClvIntervalsTests
{
    private const double Year = 365 / 7.0;

    [Test]
    [Category("Integration")]
    public void Compute_200SimulatedPopulations_The90PercentIntervalOfExpectedPurchasesCoversTheTruthIn85To95Percent()
    {
        // 200 seeded populations of 2,000 customers from known BG/NBD and Gamma-Gamma parameters, each fitted; the
        // truth is each customer's E[Y(365 days) | x, t_x, T] under the true parameters. 2,000 customers per population
        // keeps the test near 10 s on two cores; the fits' sampling error (what the interval covers) is as large as
        // the test needs at that size.
        const int populations = 200;
        var covered = new long[3];
        long cases = 0;
        var perPopulation = new double[populations];
        for (var seed = 0; seed < populations; seed++)
        {
            var customers = SimulatedCustomers.Create(2000, seed + 1);
            var result = ClvScorer.Score(customers, new ClvScoringOptions { IntervalLevel = 0.9 });
            var hits = 0;
            for (var i = 0; i < customers.Length; i++)
            {
                var c = customers[i];
                var (x, tx, T) = ((double)c.Frequency, c.TxDays / 7.0, c.AgeDays / 7.0);
                var bounds = result.Customers[i].Interval!.Value;
                var purchases = BgNbdModel.ConditionalExpectedPurchases(SimulatedCustomers.Purchase, Year, x, tx, T);
                var alive = BgNbdModel.ProbabilityAlive(SimulatedCustomers.Purchase, x, tx, T);
                var spend = GammaGammaModel.ConditionalExpectedAverageSpend(SimulatedCustomers.Spend, x, c.MeanRepeatValue);
                if (purchases >= bounds.ExpectedPurchases365dLow && purchases <= bounds.ExpectedPurchases365dHigh)
                {
                    covered[0]++;
                    hits++;
                }

                covered[1] += alive >= bounds.ProbabilityAliveLow && alive <= bounds.ProbabilityAliveHigh ? 1 : 0;
                covered[2] += spend >= bounds.ExpectedAverageSpendLow && spend <= bounds.ExpectedAverageSpendHigh ? 1 : 0;
            }

            cases += customers.Length;
            perPopulation[seed] = hits / (double)customers.Length;
        }

        var coverage = covered.Select(c => c / (double)cases).ToArray();
        TestContext.Out.WriteLine($"coverage over {cases:N0} customers in {populations} populations: expected_purchases_365d {coverage[0]:P2}, p_alive {coverage[1]:P2}, expected_avg_spend {coverage[2]:P2}; populations fully covering {perPopulation.Count(p => p == 1)}, fully missing {perPopulation.Count(p => p == 0)}");
        Assert.That(coverage[0], Is.InRange(0.85, 0.95));
    }

    [Test]
    public void Compute_CdnowLikePopulation_BoundsMatchABruteForceParametricBootstrap()
    {
        // The independent check of the first-order interval: 4,000 draws θ_d = exp(φ̂ + L z_d) from the same
        // information matrix, each customer's E[Y(365 days)] evaluated under every draw, the empirical 5 % and 95 %
        // quantiles. They agree with the computed bounds to a few percent of the interval's width.
        var customers = SimulatedCustomers.Create(2000, 7);
        var result = ClvScorer.Score(customers, new ClvScoringOptions { IntervalLevel = 0.9 });
        var fit = result.PurchaseModel.Fit;
        var k = fit.Estimates.Count;
        var cov = Matrix<double>.Build.Dense(k, k, (i, j) => fit.Covariance![(i * k) + j] / (fit.Estimates[i] * fit.Estimates[j]));
        var chol = cov.Cholesky().Factor;
        var normal = new Normal(0, 1, new Random(12345));
        const int draws = 4000;
        var models = new BgNbdModel[draws];
        for (var d = 0; d < draws; d++)
        {
            var phi = chol * Vector<double>.Build.Dense(k, _ => normal.Sample());
            models[d] = new BgNbdModel(new BgNbdParameters(
                fit.Estimates[0] * Math.Exp(phi[0]), fit.Estimates[1] * Math.Exp(phi[1]), fit.Estimates[2] * Math.Exp(phi[2]), fit.Estimates[3] * Math.Exp(phi[3])));
        }

        foreach (var i in new[] { 0, 1, 2, 3, 5, 8, 13, 21, 34, 55 })
        {
            var c = customers[i];
            var values = models.Select(m => m.ConditionalExpectedPurchases(Year, c.Frequency, c.TxDays / 7.0, c.AgeDays / 7.0)).Order().ToArray();
            var (low, high) = (values[(int)(0.05 * draws)], values[(int)(0.95 * draws)]);
            var bounds = result.Customers[i].Interval!.Value;
            var width = high - low;
            Assert.That(bounds.ExpectedPurchases365dLow, Is.EqualTo(low).Within(0.05 * width), $"customer {i} (x={c.Frequency})");
            Assert.That(bounds.ExpectedPurchases365dHigh, Is.EqualTo(high).Within(0.05 * width), $"customer {i} (x={c.Frequency})");
        }
    }

    [Test]
    public void Compute_EveryCustomer_BoundsBracketThePointAndStayInRange()
    {
        var customers = SimulatedCustomers.Create(1500, 3);

        var result = ClvScorer.Score(customers, new ClvScoringOptions());

        Assert.That(result.HasIntervals, Is.True);
        foreach (var row in result.Customers)
        {
            var b = row.Interval!.Value;
            // BG/NBD's P(alive) is exactly 1 without a repeat purchase (no chance to drop out yet): a point, no interval.
            Assert.That(b.ProbabilityAliveLow, Is.GreaterThan(0).And.LessThanOrEqualTo(row.ProbabilityAlive));
            Assert.That(b.ProbabilityAliveHigh, row.ProbabilityAlive < 1 ? Is.GreaterThan(row.ProbabilityAlive).And.LessThan(1) : Is.EqualTo(1.0));
            Assert.That(b.ExpectedPurchases90dLow, Is.LessThan(row.ExpectedPurchases90d).And.GreaterThan(0));
            Assert.That(b.ExpectedPurchases90dHigh, Is.GreaterThan(row.ExpectedPurchases90d));
            Assert.That(b.ExpectedPurchases365dLow, Is.LessThan(row.ExpectedPurchases365d));
            Assert.That(b.ExpectedPurchases365dHigh, Is.GreaterThan(row.ExpectedPurchases365d));
            Assert.That(b.ExpectedAverageSpendLow, Is.LessThan(row.ExpectedAverageSpend));
            Assert.That(b.ExpectedAverageSpendHigh, Is.GreaterThan(row.ExpectedAverageSpend));
            Assert.That(b.ClvLow, Is.LessThan(row.Clv));
            Assert.That(b.ClvHigh, Is.GreaterThan(row.Clv));
        }
    }

    [Test]
    public void Compute_HigherLevel_WiderBoundsAroundTheSamePoint()
    {
        var customers = SimulatedCustomers.Create(1000, 5);

        var at90 = ClvScorer.Score(customers, new ClvScoringOptions { IntervalLevel = 0.9 }).Customers;
        var at99 = ClvScorer.Score(customers, new ClvScoringOptions { IntervalLevel = 0.99 }).Customers;

        for (var i = 0; i < customers.Length; i++)
        {
            Assert.That(at99[i].Clv, Is.EqualTo(at90[i].Clv));
            Assert.That(at99[i].Interval!.Value.ClvLow, Is.LessThan(at90[i].Interval!.Value.ClvLow));
            Assert.That(at99[i].Interval!.Value.ClvHigh, Is.GreaterThan(at90[i].Interval!.Value.ClvHigh));
        }
    }

    [Test]
    public void Score_LevelZero_NoIntervals()
    {
        var result = ClvScorer.Score(SimulatedCustomers.Create(500, 2), new ClvScoringOptions { IntervalLevel = 0 });

        Assert.That(result.HasIntervals, Is.False);
        Assert.That(result.Customers.All(c => c.Interval is null), Is.True);
    }

    [Test]
    public void Score_SameInputTwice_SameBoundsToTheLastBit()
    {
        var customers = SimulatedCustomers.Create(1000, 9);

        var first = ClvScorer.Score(customers, new ClvScoringOptions()).Customers;
        var second = ClvScorer.Score(customers, new ClvScoringOptions()).Customers;

        Assert.That(second.Select(c => c.Interval), Is.EqualTo(first.Select(c => c.Interval)));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(4.0)]
    public void ConditionalExpectedAverageSpendLogGradient_AnyFrequency_MatchesCentralDifferences(double x)
    {
        var (p, q, v, z) = (6.25, 3.74, 15.4, 22.35);
        Span<double> gradient = stackalloc double[3];
        GammaGammaMath.ConditionalExpectedAverageSpendLogGradient(p, q, v, x, z, gradient);

        const double h = 1e-6;
        double LnE(double lp, double lq, double lv) => Math.Log(GammaGammaMath.ConditionalExpectedAverageSpend(Math.Exp(lp), Math.Exp(lq), Math.Exp(lv), x, z));
        var (a, b, c) = (Math.Log(p), Math.Log(q), Math.Log(v));
        Assert.That(gradient[0], Is.EqualTo((LnE(a + h, b, c) - LnE(a - h, b, c)) / (2 * h)).Within(1e-7));
        Assert.That(gradient[1], Is.EqualTo((LnE(a, b + h, c) - LnE(a, b - h, c)) / (2 * h)).Within(1e-7));
        Assert.That(gradient[2], Is.EqualTo((LnE(a, b, c + h) - LnE(a, b, c - h)) / (2 * h)).Within(1e-7));
    }

    [Test]
    public void Compute_ParetoNbdAtItsNbdLimit_HoldsSAndBetaAndGivesFiniteBounds()
    {
        // Without dropout in the data the Pareto/NBD fit ends at its s → 0 limit, where s and β are not identified: the
        // covariance has zero rows for them, and P(alive) = 1 has a zero-width interval.
        var customers = SimulatedCustomers.Create(1500, 4);
        var options = new ClvScoringOptions { Model = "paretonbd" };
        var fit = Core.Clv.ParetoNbd.ParetoNbdModel.Fit(RepeatPatterns.From(NoDropout(customers)), options.Fit);
        Assume.That(fit.FitResult!.ExitCondition, Is.EqualTo("SToZeroNbdLimit"));

        var uncertainty = PurchaseUncertainty.From(fit, 0.9)!;
        Span<double> g = stackalloc double[4];
        uncertainty.LogGradient(m => m.ExpectedPurchasesIfAlive(Year, 2, 50), g);

        Assert.That(g[2], Is.Zero);
        Assert.That(g[3], Is.Zero);
        var (low, high) = uncertainty.Parameters.PositiveBounds(1.0, uncertainty.Parameters.Variance(g));
        Assert.That(low, Is.LessThan(1).And.GreaterThan(0.5));
        Assert.That(high, Is.GreaterThan(1).And.LessThan(2));
    }

    /// <summary>Every customer made their last purchase at the end of the window: no sign of dropout.</summary>
    private static IEnumerable<(double, double, double)> NoDropout(IEnumerable<Core.Customers.CustomerSummary> customers) =>
        customers.Select(c => ((double)c.Frequency, c.Frequency == 0 ? 0 : c.AgeDays / 7.0, c.AgeDays / 7.0));

    [Test]
    public void AliveBounds_ParetoNbdCustomerWhoseLastPurchaseIsOnTheLastDay_StayAtOne()
    {
        // Pareto/NBD's P(alive | x, t_x = T) is exactly 1 for any parameters (the dropout terms cancel), but it is
        // computed as 1 − 1e-16 or so, and the finite difference of ln(1 − P) was then rounding: on the 10M-line sample
        // 70 of 2,493 such customers got p_alive 1 with p_alive_lo below 1e-20. Over a grid of (x, T) on CDNOW's fit, every
        // lower bound is within 1e-6 of the estimate, and every estimate is within 1e-9 of 1.
        var model = ParetoNbdModel.Fit(CdnowSummary.Patterns);
        var uncertainty = PurchaseUncertainty.From(model, 0.9)!;
        var k = uncertainty.Count;
        var log = new double[k];
        var logit = new double[k];
        var worst = 1.0;
        for (var x = 1; x <= 40; x++)
        {
            for (var T = 2.0; T <= 78; T += 0.25)
            {
                var p = uncertainty.AliveGradients(x, T, T, log, logit);
                Assert.That(p, Is.EqualTo(1).Within(1e-9), $"x={x}, T={T}");
                var (low, high) = uncertainty.Parameters.ProbabilityBounds(p, uncertainty.Parameters.Variance(logit));
                Assert.That(high, Is.GreaterThanOrEqualTo(low));
                worst = Math.Min(worst, low - p);
            }
        }

        Assert.That(worst, Is.GreaterThan(-1e-6));
    }
}
