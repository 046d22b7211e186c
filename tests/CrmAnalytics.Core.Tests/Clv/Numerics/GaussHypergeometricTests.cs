using CrmAnalytics.Core.Clv.Numerics;

namespace CrmAnalytics.Core.Tests.Clv.Numerics;

public sealed class GaussHypergeometricTests
{
    // Reference values: mpmath 1.3 hyp2f1 at 50 digits (the large case also through the Euler transform
    // (1−z)^(c−a−b)·2F1(c−a, c−b; c; z), which agrees to 25 digits).
    [TestCase(0.242593, 2.425752, 2.218638, 78 / (4.413532 + 78), 0.87003176055014976381, 1e-13)]
    [TestCase(0.25, 2.5, 2.3, 0.999, 2.430321631208661456734435, 1e-12)]
    [TestCase(3.0, 4.0, 5.0, 1e-12, 2.400000000001120000000001e-12, 1e-25)]
    [TestCase(10000.25, 10002.5, 10002.3, 0.47, 6349.068400315432551934825, 1e-8)]
    public void Ln_ReferenceArguments_MatchesMpmath(double a, double b, double c, double z, double expected, double tolerance)
    {
        Assert.That(GaussHypergeometric.Ln(a, b, c, z), Is.EqualTo(expected).Within(tolerance));
    }

    [Test]
    public void Ln_ZeroArgument_IsZero()
    {
        Assert.That(GaussHypergeometric.Ln(0.5, 2, 3, 0), Is.EqualTo(0));
    }

    [Test]
    public void ScaledTailLn_NegativeC_IsLnOfCTimesFMinusOne()
    {
        // c = −0.3: 2F1 itself is negative here, c·(2F1 − 1) is not; mpmath: ln(c·(hyp2f1(0.5, 0.4, −0.3, 0.7) − 1)).
        Assert.That(GaussHypergeometric.ScaledTailLn(0.5, 0.4, -0.3, 0.7), Is.EqualTo(-0.27854311590711402677).Within(1e-13));
    }

    [Test]
    public void ScaledTailLn_ZeroC_IsLimit()
    {
        // lim_{c→0} c·(2F1(a, b; c; z) − 1) = a·b·z·2F1(a+1, b+1; 2; z); mpmath: ln(0.5·0.4·0.7·hyp2f1(1.5, 1.4, 2, 0.7)).
        Assert.That(GaussHypergeometric.ScaledTailLn(0.5, 0.4, 0, 0.7), Is.EqualTo(-0.73793648681470128374).Within(1e-13));
    }

    [TestCase(0.0, 1.0, 1.0, 0.5)]
    [TestCase(1.0, 1.0, -1.0, 0.5)]
    [TestCase(1.0, 1.0, 1.0, 1.0)]
    [TestCase(1.0, 1.0, 1.0, -0.1)]
    public void ScaledTailLn_OutsideDomain_Throws(double a, double b, double c, double z)
    {
        Assert.That(() => GaussHypergeometric.ScaledTailLn(a, b, c, z), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
