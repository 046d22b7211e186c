using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Simulation;

namespace CrmAnalytics.Core.Tests.Clv.GammaGamma;

public sealed class GammaGammaSimulatorTests
{
    private static readonly GammaGammaParameters Truth = new(6, 4, 15);

    [Test]
    public void Simulate_SameSeed_SameCustomers()
    {
        var options = new GammaGammaSimulationOptions { Customers = 40_000, MeanFrequency = 4, Seed = 5 };
        Assert.That(GammaGammaSimulator.Simulate(Truth, options), Is.EqualTo(GammaGammaSimulator.Simulate(Truth, options)));
    }

    [Test]
    public void Simulate_OtherSeed_OtherCustomers()
    {
        var a = GammaGammaSimulator.Simulate(Truth, new GammaGammaSimulationOptions { Customers = 1000, Seed = 5 });
        var b = GammaGammaSimulator.Simulate(Truth, new GammaGammaSimulationOptions { Customers = 1000, Seed = 6 });
        Assert.That(a.Zip(b).Count(pair => pair.First.MeanValue != pair.Second.MeanValue), Is.EqualTo(1000));
    }

    [Test]
    public void Simulate_Blocks_DrawFromDistinctStreams()
    {
        // 50,000 customers span four generator blocks; a block reusing another's stream would repeat its customers.
        var rows = GammaGammaSimulator.Simulate(Truth, new GammaGammaSimulationOptions { Customers = 50_000, Seed = 9 });
        Assert.That(rows.Select(r => r.MeanValue).Distinct().Count(), Is.EqualTo(rows.Length));
    }

    [Test]
    public void Simulate_FirstCustomersOfLargerRun_AreTheSmallerRun()
    {
        // Blocks are seeded from (seed, block index), so customer i does not depend on how many follow it.
        var small = GammaGammaSimulator.Simulate(Truth, new GammaGammaSimulationOptions { Customers = 20_000, Seed = 9 });
        var large = GammaGammaSimulator.Simulate(Truth, new GammaGammaSimulationOptions { Customers = 50_000, Seed = 9 });
        Assert.That(large.Take(small.Length), Is.EqualTo(small));
    }

    [Test]
    public void Simulate_Frequencies_AreOnePlusPoisson()
    {
        // x − 1 ~ Poisson(MeanFrequency − 1 = 2): mean 2 and variance 2; their sample values from 200,000 customers are
        // within 4 standard errors (√(2/n) ≈ 0.0032 for the mean, √((2 + 2·2²)/n) ≈ 0.0071 for the variance).
        var rows = GammaGammaSimulator.Simulate(Truth, new GammaGammaSimulationOptions { Customers = 200_000, MeanFrequency = 3, Seed = 2 });
        var extra = rows.Select(r => r.X - 1).ToArray();
        var mean = extra.Average();
        var variance = extra.Select(e => (e - mean) * (e - mean)).Average();
        Assert.Multiple(() =>
        {
            Assert.That(rows.All(r => r.X >= 1 && r.X == Math.Floor(r.X) && r.MeanValue > 0), Is.True);
            Assert.That(mean, Is.EqualTo(2).Within(4 * Math.Sqrt(2.0 / rows.Length)));
            Assert.That(variance, Is.EqualTo(2).Within(4 * Math.Sqrt(10.0 / rows.Length)));
        });
    }

    [Test]
    public void Simulate_MeanValue_MatchesPopulationMeanAtEveryFrequency()
    {
        // E[z̄ | x] = E[p/ν] = p·v/(q − 1) = 30 whatever x (Fader & Hardie 2013): checked for x = 1, 2, 3 and ≥ 4 on
        // 200,000 customers, each against 4 of its own standard errors (sample sd/√n; Var z̄ is finite for q > 2).
        var rows = GammaGammaSimulator.Simulate(Truth, new GammaGammaSimulationOptions { Customers = 200_000, MeanFrequency = 3, Seed = 3 });
        var mean = GammaGammaModel.PopulationMean(Truth);
        Assert.Multiple(() =>
        {
            foreach (var group in rows.GroupBy(r => Math.Min(r.X, 4)))
            {
                var values = group.Select(r => r.MeanValue).ToArray();
                var average = values.Average();
                var sd = Math.Sqrt(values.Select(z => (z - average) * (z - average)).Average());
                Assert.That(average, Is.EqualTo(mean).Within(4 * sd / Math.Sqrt(values.Length)), $"x = {group.Key}");
            }
        });
    }

    [Test]
    public void Simulate_GivenFrequencies_KeepsThemAndZeroMeanForNoRepeat()
    {
        // x from a BG/NBD population, as a CLV simulation would chain them; x = 0 gets z̄ = 0 like CustomerSummary.
        var purchases = BgNbdSimulator.Simulate(new BgNbdParameters(0.25, 4, 0.8, 2.5), new BgNbdSimulationOptions { Customers = 30_000, MinAge = 30, MaxAge = 80, Seed = 4 });
        var x = purchases.Select(c => c.X).ToArray();
        var rows = GammaGammaSimulator.Simulate(Truth, x, seed: 4);
        var data = SpendPatterns.From(rows);
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.X), Is.EqualTo(x));
            Assert.That(rows.All(r => (r.X == 0) == (r.MeanValue == 0)), Is.True);
            Assert.That(data.Excluded, Is.EqualTo(x.Count(v => v == 0)));
            Assert.That(data.Customers, Is.EqualTo(x.Count(v => v > 0)));
        });
    }

    [Test]
    public void Fit_SimulatedPopulation_RecoversParametersWithinFourStandardErrors()
    {
        // 200,000 customers from p = 6, q = 4, v = 15 with x = 1 + Poisson(2). The MLE is asymptotically normal around
        // the truth with the reported standard errors, so |θ̂ − θ| < 4 SE fails for a random seed with probability about
        // 6e-5 per parameter; the seed is fixed, so the test is deterministic. The SEs are also checked to be below 10%
        // of the value, so that the bound means something.
        var rows = GammaGammaSimulator.Simulate(Truth, new GammaGammaSimulationOptions { Customers = 200_000, MeanFrequency = 3, Seed = 20240601 });
        var fit = GammaGammaModel.Fit(SpendPatterns.From(rows)).FitResult!;
        double[] truth = [Truth.P, Truth.Q, Truth.V];
        Assert.Multiple(() =>
        {
            Assert.That(fit.Customers, Is.EqualTo(200_000));
            for (var i = 0; i < 3; i++)
            {
                Assert.That(fit.StandardErrors[i], Is.LessThan(0.1 * truth[i]), fit.Names[i]);
                Assert.That(fit.Estimates[i], Is.EqualTo(truth[i]).Within(4 * fit.StandardErrors[i]), fit.Names[i]);
            }
        });
    }

    [Test]
    public void Fit_SameSimulation_IsBitwiseIdentical()
    {
        // Seeded data and a deterministic reduction: two fits give the same bits (the parallel path, ~100,000 patterns).
        var rows = GammaGammaSimulator.Simulate(Truth, new GammaGammaSimulationOptions { Customers = 100_000, Seed = 8 });
        var first = GammaGammaModel.Fit(SpendPatterns.From(rows)).FitResult!;
        var second = GammaGammaModel.Fit(SpendPatterns.From(rows)).FitResult!;
        Assert.Multiple(() =>
        {
            Assert.That(second.Estimates, Is.EqualTo(first.Estimates));
            Assert.That(BitConverter.DoubleToInt64Bits(second.LogLikelihood), Is.EqualTo(BitConverter.DoubleToInt64Bits(first.LogLikelihood)));
        });
    }

    [Test]
    public void Simulate_InvalidOptions_ReportsEveryError()
    {
        var options = new GammaGammaSimulationOptions { Customers = -1, MeanFrequency = 0.5 };
        Assert.Multiple(() =>
        {
            Assert.That(options.Validate(), Has.Count.EqualTo(2));
            Assert.That(() => GammaGammaSimulator.Simulate(Truth, options), Throws.InstanceOf<ConfigurationException>());
            Assert.That(() => GammaGammaSimulator.Simulate(Truth, [1.0, -2.0], 1), Throws.ArgumentException);
        });
    }
}
