using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.ModifiedBgNbd;
using CrmAnalytics.Core.Clv.Simulation;

namespace CrmAnalytics.Core.Tests.Clv.Simulation;

public sealed class BgNbdSimulatorTests
{
    private static readonly BgNbdParameters Truth = new(0.25, 4, 0.8, 2.5);

    [Test]
    public void Simulate_SameSeed_SameCustomers()
    {
        var options = new BgNbdSimulationOptions { Customers = 40_000, MinAge = 30, MaxAge = 80, Seed = 5 };
        Assert.That(BgNbdSimulator.Simulate(Truth, options), Is.EqualTo(BgNbdSimulator.Simulate(Truth, options)));
    }

    [Test]
    public void Simulate_OtherSeed_OtherCustomers()
    {
        var a = BgNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 1000, Seed = 5 });
        var b = BgNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 1000, Seed = 6 });
        Assert.That(a.Zip(b).Count(pair => pair.First != pair.Second), Is.GreaterThan(300));
    }

    [Test]
    public void Simulate_FirstCustomersOfLargerRun_AreTheSmallerRun()
    {
        // Blocks are seeded from (seed, block index), so customer i does not depend on how many follow it.
        var small = BgNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 20_000, Seed = 9 });
        var large = BgNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 50_000, Seed = 9 });
        Assert.That(large.Take(small.Length), Is.EqualTo(small));
    }

    [Test]
    public void Simulate_Histories_AreConsistent()
    {
        var rows = BgNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 20_000, MinAge = 30, MaxAge = 80, Seed = 1 });
        Assert.Multiple(() =>
        {
            Assert.That(rows.All(c => c.T >= 30 && c.T <= 80), Is.True);
            Assert.That(rows.All(c => c.X >= 0 && c.X == Math.Floor(c.X)), Is.True);
            Assert.That(rows.All(c => c.Tx >= 0 && c.Tx <= c.T && (c.X > 0 || c.Tx == 0)), Is.True);
            Assert.That(rows.Count(c => c.X > 0 && c.Tx == 0), Is.Zero);
        });
    }

    [Test]
    public void Simulate_MeanPurchases_MatchesExpectedPurchases()
    {
        // With a fixed age T the sample mean of x estimates E[X(T)] (Fader, Hardie & Lee 2005 eq. 9) = 2.094 for T = 52.
        // x has a standard deviation below 6 here, so the mean of 200,000 is within 4·6/√200,000 ≈ 0.054 but for 6e-5.
        var rows = BgNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 200_000, MinAge = 52, MaxAge = 52, Seed = 3 });
        var sd = Math.Sqrt(rows.Select(c => c.X * c.X).Average() - Math.Pow(rows.Average(c => c.X), 2));
        Assert.Multiple(() =>
        {
            Assert.That(sd, Is.LessThan(6));
            Assert.That(rows.Average(c => c.X), Is.EqualTo(BgNbdModel.ExpectedPurchases(Truth, 52)).Within(4 * sd / Math.Sqrt(rows.Length)));
        });
    }

    [Test]
    public void Simulate_NoPurchaseShare_MatchesProbabilityOfPurchases()
    {
        // P(X(T) = 0) from eq. 8 vs the share of x = 0: binomial standard error √(p(1−p)/n) ≈ 0.0011 for n = 200,000.
        var rows = BgNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 200_000, MinAge = 52, MaxAge = 52, Seed = 4 });
        var p = BgNbdModel.ProbabilityOfPurchases(Truth, 0, 52);
        var share = rows.Count(c => c.X == 0) / (double)rows.Length;
        Assert.That(share, Is.EqualTo(p).Within(4 * Math.Sqrt(p * (1 - p) / rows.Length)));
    }

    [Test]
    public void Simulate_Modified_NoPurchaseShare_MatchesProbabilityOfPurchases()
    {
        // MBG/NBD: the time-0 dropout raises P(X = 0); same binomial bound as above.
        var mbg = new ModifiedBgNbdParameters(0.525, 6.183, 0.891, 1.614);
        var rows = BgNbdSimulator.Simulate(mbg, new BgNbdSimulationOptions { Customers = 200_000, MinAge = 39, MaxAge = 39, Seed = 4 });
        var p = ModifiedBgNbdModel.ProbabilityOfPurchases(mbg, 0, 39);
        var share = rows.Count(c => c.X == 0) / (double)rows.Length;
        Assert.That(share, Is.EqualTo(p).Within(4 * Math.Sqrt(p * (1 - p) / rows.Length)));
    }

    [Test]
    public void Fit_SimulatedPopulation_RecoversParametersWithinFourStandardErrors()
    {
        // 200,000 customers from r = 0.25, α = 4, a = 0.8, b = 2.5 with T ~ U[30, 80] weeks. The MLE is asymptotically
        // normal around the truth with the reported standard errors, so |θ̂ − θ| < 4 SE fails for a random seed with
        // probability about 6e-5 per parameter; the seed is fixed, so the test is deterministic. The SEs are also checked
        // to be small enough (below 10% of the value) for the bound to mean something.
        var rows = BgNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 200_000, MinAge = 30, MaxAge = 80, Seed = 20240601 });
        var model = BgNbdModel.Fit(RepeatPatterns.From(rows));
        double[] truth = [Truth.R, Truth.Alpha, Truth.A, Truth.B];
        var fit = model.FitResult!;
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.That(fit.StandardErrors[i], Is.LessThan(0.1 * truth[i]), fit.Names[i]);
                Assert.That(fit.Estimates[i], Is.EqualTo(truth[i]).Within(4 * fit.StandardErrors[i]), fit.Names[i]);
            }
        });
    }

    [Test]
    public void Fit_SimulatedModifiedPopulation_RecoversParametersWithinFourStandardErrors()
    {
        // As above for MBG/NBD with the BTYDplus CDNOW estimates as truth and 100,000 customers.
        var mbg = new ModifiedBgNbdParameters(0.525, 6.183, 0.891, 1.614);
        var rows = BgNbdSimulator.Simulate(mbg, new BgNbdSimulationOptions { Customers = 100_000, MinAge = 30, MaxAge = 80, Seed = 20240602 });
        var fit = ModifiedBgNbdModel.Fit(RepeatPatterns.From(rows)).FitResult!;
        double[] truth = [mbg.R, mbg.Alpha, mbg.A, mbg.B];
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.That(fit.StandardErrors[i], Is.LessThan(0.2 * truth[i]), fit.Names[i]);
                Assert.That(fit.Estimates[i], Is.EqualTo(truth[i]).Within(4 * fit.StandardErrors[i]), fit.Names[i]);
            }
        });
    }

    [Test]
    public void Simulate_DayGrid_TimesAreWholeDays()
    {
        // TimeGrid = 1/7 week: t_x and T are whole days, as in summaries built from dated transactions.
        var rows = BgNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 5000, MinAge = 30, MaxAge = 80, Seed = 2, TimeGrid = 1.0 / 7 });
        Assert.Multiple(() =>
        {
            Assert.That(rows.All(c => IsWholeDay(c.T) && IsWholeDay(c.Tx)), Is.True);
            Assert.That(rows.All(c => c.Tx <= c.T && (c.X > 0 || c.Tx == 0)), Is.True);
        });
    }

    [Test]
    public void Simulate_InvalidOptions_ReportsEveryError()
    {
        var options = new BgNbdSimulationOptions { Customers = -1, MinAge = 10, MaxAge = 5, TimeGrid = double.NaN };
        Assert.Multiple(() =>
        {
            Assert.That(options.Validate(), Has.Count.EqualTo(3));
            Assert.That(() => BgNbdSimulator.Simulate(Truth, options), Throws.InstanceOf<ConfigurationException>());
        });
    }

    private static bool IsWholeDay(double weeks) => Math.Abs((weeks * 7) - Math.Round(weeks * 7)) < 1e-9;
}
