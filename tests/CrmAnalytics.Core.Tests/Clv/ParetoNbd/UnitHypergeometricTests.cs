using CrmAnalytics.Core.Clv.Numerics;

namespace CrmAnalytics.Core.Tests.Clv.ParetoNbd;

public sealed class UnitHypergeometricTests
{
    // Expected: mpmath 1.3 at 40 digits, hyp2f1(1, b, c, z) and mp.diff of it in b, c and z. The rows cover the
    // series (z ≤ 0.6), the continued fraction (z up to 1 − 1e-8), b ≈ c ≈ 10,000 (x = 10,000 with α > β) and
    // b ≪ c (x = 10,000 with α < β).
    [TestCase(0.55, 2.16, 0.3, 1.0902469872539078, 0.17424129999964102, -0.046927511336634544, 0.3581154651541037)]
    [TestCase(0.55, 2.16, 0.9, 1.5124115533613821, 1.282644056359642, -0.4438527716702146, 1.7138479668297882)]
    [TestCase(1.6, 2.16, 0.999999, 1058.1622184470505, 12094.420844135615, -11677.604557787878, 466750149.79388073)]
    [TestCase(10000.55, 10001.2, 0.999, 943.66005490311552, 82.120393620898824, -82.115458661821451, 894255.71286622379)]
    [TestCase(0.6, 10001.2, 0.999999, 1.000060002340084, 0.00010000990060802869, -6.0004740264009894e-9, 6.00120018050527e-5)]
    [TestCase(3.5, 4.0, 0.0, 1.0, 0.0, 0.0, 0.875)]
    [TestCase(0.55, 2.16, 0.99999999, 1.9016065372556594, 3.1168124694872466, -1.4775422437203501, 2000.1815311257087)]
    public void Evaluate_ValueAndDerivatives_MatchMpmath(double b, double c, double z, double value, double db, double dc, double dz)
    {
        var g = UnitHypergeometric.Evaluate(b, c, z);
        Assert.Multiple(() =>
        {
            Assert.That(g.Value, Is.EqualTo(value).Within(Math.Abs(value) * 1e-11));
            Assert.That(g.DB, Is.EqualTo(db).Within(Math.Abs(db) * 1e-9));
            Assert.That(g.DC, Is.EqualTo(dc).Within(Math.Abs(dc) * 1e-9));
            Assert.That(g.DZ, Is.EqualTo(dz).Within(Math.Abs(dz) * 1e-9));
        });
    }

    [TestCase(0.55, 2.16, 0.35)]
    [TestCase(0.55, 2.16, 0.6)]
    [TestCase(10000.55, 10001.2, 0.5)]
    [TestCase(0.6, 3.0, 0.59)]
    public void SeriesAndContinuedFraction_AgreeWhereBothConverge(double b, double c, double z)
    {
        // Two independent evaluations (term-by-term differentiated series, dual-number continued fraction).
        var series = UnitHypergeometric.Series(b, c, z);
        var fraction = UnitHypergeometric.ContinuedFraction(b, c, z, UnitHypergeometric.MaxFractionSteps)!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(fraction.Value, Is.EqualTo(series.Value).Within(series.Value * 1e-14));
            Assert.That(fraction.DB, Is.EqualTo(series.DB).Within(Math.Abs(series.DB) * 1e-12));
            Assert.That(fraction.DC, Is.EqualTo(series.DC).Within(Math.Abs(series.DC) * 1e-12));
            Assert.That(fraction.DZ, Is.EqualTo(series.DZ).Within(Math.Abs(series.DZ) * 1e-12));
        });
    }

    [TestCase(0.0, 2.0, 0.5)]
    [TestCase(2.0, 2.0, 0.5)]
    [TestCase(0.5, 1.0, 0.5)]
    [TestCase(0.5, 2.0, 1.0)]
    [TestCase(0.5, 2.0, -0.1)]
    public void Evaluate_OutsideDomain_Throws(double b, double c, double z)
    {
        Assert.That(() => UnitHypergeometric.Evaluate(b, c, z), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void TryEvaluate_StepBudgetExhausted_ReturnsNull()
    {
        // 1 − z = 1e-12 needs millions of continued-fraction steps; the fit's budget refuses rather than spins.
        Assert.That(UnitHypergeometric.TryEvaluate(0.55, 2.16, 1 - 1e-12, 1000), Is.Null);
    }
}
