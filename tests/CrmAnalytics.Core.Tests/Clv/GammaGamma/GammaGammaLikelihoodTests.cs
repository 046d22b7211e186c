using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Tests.Clv.BgNbd;

namespace CrmAnalytics.Core.Tests.Clv.GammaGamma;

public sealed class GammaGammaLikelihoodTests
{
    private static readonly Lazy<SpendPatterns> Simulated = new(() => SpendPatterns.From(GammaGammaSimulator.Simulate(
        new GammaGammaParameters(6, 4, 15),
        new GammaGammaSimulationOptions { Customers = 60_000, MeanFrequency = 3, Seed = 7 })));

    [Test]
    public void LikelihoodLn_OneRepeatTransaction_IsHandWorkedValue()
    {
        // Eq. 3 with x = 1 is the Gamma–Gamma (beta prime) density Γ(p+q)/(Γ(p)Γ(q)) · v^q z^(p−1) / (v+z)^(p+q).
        // p = 1, q = 2, v = 10, z = 5: Γ(3)/(Γ(1)Γ(2)) · 10² · 5⁰ / 15³ = 2·100/3375 = 0.0592592…, ln = −2.8258925…
        var ll = GammaGammaModel.LikelihoodLn(new GammaGammaParameters(1, 2, 10), 1, 5);
        Assert.That(ll, Is.EqualTo(Math.Log(200.0 / 3375.0)).Within(1e-14));
    }

    // mpmath 1.3 at 40 digits, eq. 3; each value also equals ln ∫ Gamma(z̄; px, rate νx) · Gamma(ν; q, rate v) dν by
    // mpmath.quad to 20 digits, so the closed form (with its x^(px) factor) is the density of the mean z̄.
    [TestCase(6.25, 3.74, 15.44, 2.0, 22.35, -3.5513167597317047305)]
    [TestCase(6.25, 3.74, 15.44, 1.0, 11.77, -3.7377096787408400427)]
    [TestCase(0.5, 1.5, 200.0, 50.0, 1234.5, -10.838438708696767755)]
    [TestCase(20.0, 2.5, 0.01, 7.0, 0.003, -39.461676943610958737)]
    public void LikelihoodLn_Customer_MatchesMpmath(double p, double q, double v, double x, double meanValue, double expected)
    {
        var ll = GammaGammaModel.LikelihoodLn(new GammaGammaParameters(p, q, v), x, meanValue);
        Assert.That(ll, Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-13));
    }

    [Test]
    public void Evaluate_CdnowAtPublishedEstimates_IsPublishedLogLikelihood()
    {
        // Fader & Hardie (2013) / lifetimes: LL = −4055.92 at p = 6.2488, q = 3.7446, v = 15.4477; mpmath on the same
        // rows and parameters: −4055.9232435605427.
        var likelihood = new GammaGammaLikelihood(CdnowSpend.Patterns);
        var ll = likelihood.Evaluate([6.2488, 3.7446, 15.4477], new double[3]);
        Assert.Multiple(() =>
        {
            Assert.That(ll, Is.EqualTo(-4055.92).Within(0.01));
            Assert.That(ll, Is.EqualTo(-4055.9232435605427).Within(1e-9));
        });
    }

    // Around and away from the CDNOW optimum, including p·x near 0 (ψ steep) and large x z̄ against v.
    [TestCase(6.25, 3.74, 15.44)]
    [TestCase(1.0, 2.0, 1.0)]
    [TestCase(0.05, 0.3, 500.0)]
    [TestCase(40.0, 12.0, 0.2)]
    public void LikelihoodLn_Gradient_MatchesCentralDifferences(double p, double q, double v)
    {
        (double X, double Z)[] customers = [(1, 11.77), (2, 22.35), (7, 73.74), (35, 3.5), (400, 1e4)];
        foreach (var (x, z) in customers)
        {
            double[] theta = [p, q, v];
            var analytic = new double[3];
            GammaGammaModel.LikelihoodLn(new GammaGammaParameters(p, q, v), x, z, analytic);
            var numeric = GradientChecks.CentralDifferences(theta, t => GammaGammaModel.LikelihoodLn(new GammaGammaParameters(t[0], t[1], t[2]), x, z));
            GradientChecks.AssertClose(analytic, numeric, 1e-5, $"x={x}, z={z}");
        }
    }

    [TestCase(6.25, 3.74, 15.44)]
    [TestCase(1.0, 2.0, 1.0)]
    [TestCase(0.05, 0.3, 500.0)]
    public void Evaluate_CdnowGradient_MatchesCentralDifferences(double p, double q, double v)
    {
        var likelihood = new GammaGammaLikelihood(CdnowSpend.Patterns);
        double[] theta = [p, q, v];
        var analytic = new double[3];
        likelihood.Evaluate(theta, analytic);
        var numeric = GradientChecks.CentralDifferences(theta, t => likelihood.Evaluate(t, new double[3]));
        GradientChecks.AssertClose(analytic, numeric, 1e-5, "CDNOW");
    }

    [Test]
    public void Evaluate_SimulatedPatterns_EqualsSumOfCustomerLikelihoods()
    {
        // Continuous spend makes ~60,000 patterns: the parallel, vectorized path, checked against the scalar per-customer form.
        var data = Simulated.Value;
        Assert.That(data.Count, Is.GreaterThan(PatternChunks.ParallelThreshold));
        double[] theta = [5, 3.5, 12];
        var gradient = new double[3];
        var ll = new GammaGammaLikelihood(data).Evaluate(theta, gradient);

        var parameters = new GammaGammaParameters(theta[0], theta[1], theta[2]);
        var expectedGradient = new double[3];
        var perCustomer = new double[3];
        var expected = 0.0;
        for (var i = 0; i < data.Count; i++)
        {
            Array.Clear(perCustomer);
            expected += data.Weight[i] * GammaGammaModel.LikelihoodLn(parameters, data.X[i], data.MeanValue[i], perCustomer);
            for (var j = 0; j < 3; j++)
            {
                expectedGradient[j] += data.Weight[i] * perCustomer[j];
            }
        }

        Assert.That(ll, Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-12));
        GradientChecks.AssertClose(gradient, expectedGradient, 1e-9, "engine vs per-customer");
    }

    [Test]
    public void Evaluate_Twice_IsBitwiseIdentical()
    {
        // Chunk partial sums are combined in chunk order, so thread scheduling cannot change the result.
        var likelihood = new GammaGammaLikelihood(Simulated.Value);
        double[] theta = [5, 3.5, 12];
        var g1 = new double[3];
        var g2 = new double[3];
        var first = likelihood.Evaluate(theta, g1);
        var second = likelihood.Evaluate(theta, g2);
        Assert.Multiple(() =>
        {
            Assert.That(BitConverter.DoubleToInt64Bits(second), Is.EqualTo(BitConverter.DoubleToInt64Bits(first)));
            Assert.That(g2, Is.EqualTo(g1));
        });
    }

    [Test]
    public void Evaluate_WeightedPatterns_EqualsRepeatedRows()
    {
        // A pattern of weight 3 counts as three customers: same LL and gradient as the rows listed three times.
        var weighted = new GammaGammaLikelihood([1, 2, 5], [10, 30, 12.5], [3, 1, 2]);
        var repeated = new GammaGammaLikelihood([1, 1, 1, 2, 5, 5], [10, 10, 10, 30, 12.5, 12.5], [1, 1, 1, 1, 1, 1]);
        double[] theta = [2, 3, 20];
        var gw = new double[3];
        var gr = new double[3];
        var lw = weighted.Evaluate(theta, gw);
        var lr = repeated.Evaluate(theta, gr);
        Assert.Multiple(() =>
        {
            Assert.That(lw, Is.EqualTo(lr).Within(Math.Abs(lr) * 1e-14));
            GradientChecks.AssertClose(gw, gr, 1e-13, "weighted vs repeated");
        });
    }
}
