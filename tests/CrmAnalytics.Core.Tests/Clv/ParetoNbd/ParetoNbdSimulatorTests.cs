using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Simulation;

namespace CrmAnalytics.Core.Tests.Clv.ParetoNbd;

public sealed class ParetoNbdSimulatorTests
{
    private static readonly ParetoNbdParameters Truth = new(0.55, 10.5, 0.6, 11.5);

    [Test]
    public void Simulate_SameSeed_SameCustomers()
    {
        var options = new BgNbdSimulationOptions { Customers = 40_000, MinAge = 20, MaxAge = 80, Seed = 5 };
        Assert.That(ParetoNbdSimulator.Simulate(Truth, options), Is.EqualTo(ParetoNbdSimulator.Simulate(Truth, options)));
    }

    [Test]
    public void Simulate_FixedAge_CountsMatchPmfAndExpectation()
    {
        // The simulator follows the model's story; FH05 §4 and the pmf of Fader & Hardie (2006) are closed forms
        // derived from it. 200,000 customers of age 52: the mean and the shares of 0 and 1 purchases agree within 4
        // standard errors of their sample estimates.
        const int N = 200_000;
        var rows = ParetoNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = N, MinAge = 52, MaxAge = 52, Seed = 9 });
        var x = rows.Select(row => row.X).ToArray();
        var mean = x.Average();
        var sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (N - 1));
        var zeros = x.Count(v => v == 0) / (double)N;
        var ones = x.Count(v => v == 1) / (double)N;
        var p0 = ParetoNbdModel.ProbabilityOfPurchases(Truth, 0, 52);
        var p1 = ParetoNbdModel.ProbabilityOfPurchases(Truth, 1, 52);
        Assert.Multiple(() =>
        {
            Assert.That(mean, Is.EqualTo(ParetoNbdModel.ExpectedPurchases(Truth, 52)).Within(4 * sd / Math.Sqrt(N)));
            Assert.That(zeros, Is.EqualTo(p0).Within(4 * Math.Sqrt(p0 * (1 - p0) / N)));
            Assert.That(ones, Is.EqualTo(p1).Within(4 * Math.Sqrt(p1 * (1 - p1) / N)));
            Assert.That(rows.All(row => row.Tx <= row.T && (row.X > 0 || row.Tx == 0)), Is.True);
        });
    }

    [Test]
    public void Fit_SimulatedCustomers_RecoversParametersWithinFourStandardErrors()
    {
        // Parameter recovery: 20,000 customers with ages uniform on [20, 80] weeks from CDNOW-like parameters.
        var data = RepeatPatterns.From(ParetoNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 20_000, MinAge = 20, MaxAge = 80, Seed = 21 }));
        var fit = ParetoNbdModel.Fit(data).FitResult!;
        double[] truth = [Truth.R, Truth.Alpha, Truth.S, Truth.Beta];
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.That(fit.StandardErrors[i], Is.GreaterThan(0).And.LessThan(0.2 * truth[i]), fit.Names[i]);
                Assert.That(fit.Estimates[i], Is.EqualTo(truth[i]).Within(4 * fit.StandardErrors[i]), fit.Names[i]);
            }
        });
    }

    [Test]
    public void Fit_ManyPatterns_UsesWarmStartAndRecoversParameters()
    {
        // 120,000 customers with continuous times are ~120,000 distinct patterns: above the warm-start threshold and
        // the parallel threshold. Parameters with α/β = 10 (few repeat purchases), where ₂F₁ needs the continued fraction.
        var truth = new ParetoNbdParameters(0.5, 20, 0.5, 2);
        var data = RepeatPatterns.From(ParetoNbdSimulator.Simulate(truth, new BgNbdSimulationOptions { Customers = 120_000, MinAge = 10, MaxAge = 80, Seed = 4 }));
        Assert.That(data.Count, Is.GreaterThan(FitStart.WarmStartAbove));
        var fit = ParetoNbdModel.Fit(data).FitResult!;
        double[] expected = [truth.R, truth.Alpha, truth.S, truth.Beta];
        Assert.Multiple(() =>
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.That(fit.Estimates[i], Is.EqualTo(expected[i]).Within(4 * fit.StandardErrors[i]), fit.Names[i]);
            }
        });
    }

    [Test]
    public void Simulate_InvalidOptions_ThrowsConfigurationException()
    {
        Assert.That(
            () => ParetoNbdSimulator.Simulate(Truth, new BgNbdSimulationOptions { Customers = 10, MinAge = 50, MaxAge = 10 }),
            Throws.InstanceOf<ConfigurationException>());
    }
}
