using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;

namespace CrmAnalytics.Core.Tests.Clv.BgNbd;

public sealed class BgNbdLikelihoodTests
{
    private static readonly BgNbdParameters Btyd = new(0.243, 4.414, 0.793, 2.426);

    [Test]
    public void LikelihoodLn_NoRepeatPurchases_IsHandWorkedValue()
    {
        // Eq. 6 with x = 0: ln L = r·ln(α/(α+T)) = 0.243 · ln(4.414/43.274) = 0.243 · (−2.282770...) = −0.554713276.
        Assert.That(BgNbdModel.LikelihoodLn(Btyd, 0, 0, 38.86), Is.EqualTo(-0.55471327643815845).Within(1e-14));
    }

    [Test]
    public void LikelihoodLn_TwoRepeatPurchases_MatchesMpmath()
    {
        // mpmath at 40 digits: ln of the two Beta/Gamma terms of eq. 6 for x = 2, t_x = 30.43, T = 38.86.
        Assert.That(BgNbdModel.LikelihoodLn(Btyd, 2, 30.43, 38.86), Is.EqualTo(-9.4586063070662712).Within(1e-12));
    }

    [Test]
    public void Evaluate_CdnowAtPublishedEstimates_IsPublishedLogLikelihood()
    {
        // Fader, Hardie & Lee (2005): LL = −9582.4 at their estimates; CLVTools −9582.43.
        var likelihood = new BetaGeometricLikelihood(CdnowSummary.Patterns, 0);
        var ll = likelihood.Evaluate([0.242593, 4.413532, 0.792886, 2.425752], new double[4]);
        Assert.That(ll, Is.EqualTo(-9582.43).Within(0.01));
    }

    [Test]
    public void Evaluate_ExtremePatterns_FiniteAndEqualToPerCustomerSum()
    {
        // Eight customers with x = 10,000 (a vector-width run) plus huge ages, through the hot loop.
        var rows = new List<(double, double, double)>();
        for (var i = 0; i < 8; i++)
        {
            rows.Add((10_000, 51.9 + (i * 0.01), 52));
            rows.Add((3, 10 + i, 1e9));
        }

        var data = RepeatPatterns.From(rows);
        double[] theta = [0.243, 4.414, 0.793, 2.426];
        var gradient = new double[4];
        var ll = new BetaGeometricLikelihood(data, 0).Evaluate(theta, gradient);
        var expected = rows.Sum(row => BgNbdModel.LikelihoodLn(Btyd, row.Item1, row.Item2, row.Item3));
        Assert.Multiple(() =>
        {
            Assert.That(ll, Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-12));
            Assert.That(gradient.All(double.IsFinite), Is.True, string.Join(", ", gradient));
        });
    }

    [Test]
    public void ProbabilityAlive_ExtremeHistories_FiniteInUnitInterval()
    {
        Assert.Multiple(() =>
        {
            // x = 10,000 bought up to the end: almost surely alive; mpmath gives 0.99990534225342420.
            Assert.That(BgNbdModel.ProbabilityAlive(Btyd, 10_000, 51.999, 52), Is.EqualTo(0.9999053422534242).Within(1e-13));

            // x = 10,000, silent for a million weeks: the odds (1e6/5)^10000 overflow a double; P(alive) is 0, not NaN.
            Assert.That(BgNbdModel.ProbabilityAlive(Btyd, 10_000, 1, 1e6), Is.EqualTo(0));
            Assert.That(BgNbdModel.ProbabilityAlive(Btyd, 3, 10, 1e9), Is.InRange(0.0, 1e-20));
        });
    }

    [Test]
    public void ConditionalExpectedPurchases_TenThousandPurchases_MatchesMpmath()
    {
        // mpmath at 50 digits: eq. 10 via the Euler transform of 2F1 and via the integral over p agree on
        // 6994.459957698142802 for x = 10,000, t_x = 51.999, T = 52, t = 52. Here 2F1 ≈ e^6349: the series must be rescaled.
        var e = BgNbdModel.ConditionalExpectedPurchases(Btyd, 52, 10_000, 51.999, 52);
        Assert.That(e, Is.EqualTo(6994.459957698142802).Within(6994.46 * 1e-9));
    }

    [TestCase(10_000, 1, 1e6)]
    [TestCase(3, 10, 1e9)]
    [TestCase(0, 0, 1e9)]
    public void ConditionalExpectedPurchases_HugeAges_FiniteAndNonNegative(double x, double tx, double T)
    {
        var e = BgNbdModel.ConditionalExpectedPurchases(Btyd, 52, x, tx, T);
        Assert.That(e, Is.GreaterThanOrEqualTo(0).And.LessThan(52 * (Btyd.R + x) / (Btyd.Alpha + T) * 1.0000001));
    }
}
