using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.ParetoNbd;

namespace CrmAnalytics.Core.Tests.Clv.ParetoNbd;

public sealed class ParetoNbdModelTests
{
    /// <summary>CLVTools' Pareto/NBD estimates on the CDNOW 1/10 sample (its pnbd tests, LL = −9594.976).</summary>
    private static readonly ParetoNbdParameters ClvTools = new(0.55315, 10.57633, 0.60625, 11.67150);

    /// <summary>A parameter point with α &gt; β.</summary>
    private static readonly ParetoNbdParameters AlphaAboveBeta = new(0.55, 20.0, 0.6, 5.0);

    private static readonly Lazy<ParetoNbdModel> Fitted = new(() => ParetoNbdModel.Fit(CdnowSummary.Patterns));

    [Test]
    public void ConditionalExpectedPurchases_FittedCdnow_MatchesLifetimes()
    {
        // lifetimes' test_conditional_expectation_returns_same_value_as_Hardie_excel_sheet (ParetoNBDFitter on CDNOW):
        // x = 26, t_x = 30.86, T = 31, t = 52 → 25.46 to 2 decimals.
        var e = Fitted.Value.ConditionalExpectedPurchases(52, 26, 30.86, 31);
        Assert.That(e, Is.EqualTo(25.46).Within(0.005));
    }

    // Expected: mpmath 1.3 at 40 digits, FH05 §6 with P(alive) from the likelihood of §3 evaluated with mpmath.hyp2f1.
    [TestCase(52.0, 26.0, 30.86, 31.0, 25.4572457786279102)]
    [TestCase(39.0, 2.0, 30.43, 38.86, 1.4550836611187476144)]
    public void ConditionalExpectedPurchases_ClvToolsEstimates_MatchesMpmath(double t, double x, double tx, double T, double expected)
    {
        Assert.That(ParetoNbdModel.ConditionalExpectedPurchases(ClvTools, t, x, tx, T), Is.EqualTo(expected).Within(expected * 1e-12));
    }

    // Same source, α > β.
    [TestCase(39.0, 2.0, 30.43, 38.86, 1.1780016940964539475)]
    [TestCase(52.0, 0.0, 0.0, 38.86, 0.074001030909138608303)]
    public void ConditionalExpectedPurchases_AlphaAboveBeta_MatchesMpmath(double t, double x, double tx, double T, double expected)
    {
        Assert.That(ParetoNbdModel.ConditionalExpectedPurchases(AlphaAboveBeta, t, x, tx, T), Is.EqualTo(expected).Within(expected * 1e-12));
    }

    [Test]
    public void ConditionalExpectedPurchases_UnitDropoutShape_MatchesLogarithmicLimit()
    {
        // s = 1: mpmath, P(alive)·(r+x)(β+T)/(α+T)·ln(1 + t/(β+T)) for r = 0.5, α = 10, β = 12, x = 2, t_x = 30.43,
        // T = 38.86, t = 52.
        var parameters = new ParetoNbdParameters(0.5, 10, 1, 12);
        Assert.That(ParetoNbdModel.ConditionalExpectedPurchases(parameters, 52, 2, 30.43, 38.86), Is.EqualTo(1.459428116951787479).Within(1e-12));
    }

    [TestCase(39.0, 2.0, 30.43, 38.86)]
    [TestCase(52.0, 0.0, 0.0, 38.86)]
    [TestCase(10.0, 10_000.0, 51.999, 52.0)]
    public void ExpectedPurchasesIfAlive_TimesProbabilityAlive_IsConditionalExpectation(double t, double x, double tx, double T)
    {
        // FH05 §6 factors as P(alive | x, t_x, T) times the expectation of a customer alive at T.
        var model = new ParetoNbdModel(ClvTools);
        var product = model.ProbabilityAlive(x, tx, T) * model.ExpectedPurchasesIfAlive(t, x, T);
        Assert.That(model.ConditionalExpectedPurchases(t, x, tx, T), Is.EqualTo(product).Within(product * 1e-15));
    }

    // Expected: mpmath 1.3 at 40 digits, FH05 §4.
    [TestCase(1.0, 0.051001462664868217394)]
    [TestCase(39.0, 1.2133598958996464029)]
    [TestCase(52.0, 1.4733892692295489604)]
    [TestCase(78.0, 1.9098215519191751375)]
    public void ExpectedPurchases_ClvToolsEstimates_MatchesMpmath(double t, double expected)
    {
        Assert.That(ParetoNbdModel.ExpectedPurchases(ClvTools, t), Is.EqualTo(expected).Within(expected * 1e-13));
    }

    [TestCase(1.0, 0.02600597894557098084)]
    [TestCase(39.0, 0.47666912487596351403)]
    [TestCase(52.0, 0.56617300964041976775)]
    [TestCase(78.0, 0.71376355322400483767)]
    public void ExpectedPurchases_AlphaAboveBeta_MatchesMpmath(double t, double expected)
    {
        Assert.That(ParetoNbdModel.ExpectedPurchases(AlphaAboveBeta, t), Is.EqualTo(expected).Within(expected * 1e-13));
    }

    [Test]
    public void ExpectedPurchases_AroundUnitDropoutShape_IsContinuous()
    {
        // s = 1 is the 0/0 point of E[X(t)] (FH05 §4); mpmath gives (rβ/α)·ln(1 + t/β) = 1.0043858601430029278 for r = 0.5,
        // α = 10, β = 12, t = 52, and s = 1 ± 1e-9 moves it by about 1e-9.
        var atOne = ParetoNbdModel.ExpectedPurchases(new ParetoNbdParameters(0.5, 10, 1, 12), 52);
        var below = ParetoNbdModel.ExpectedPurchases(new ParetoNbdParameters(0.5, 10, 1 - 1e-9, 12), 52);
        var above = ParetoNbdModel.ExpectedPurchases(new ParetoNbdParameters(0.5, 10, 1 + 1e-9, 12), 52);
        Assert.Multiple(() =>
        {
            Assert.That(atOne, Is.EqualTo(1.0043858601430029278).Within(1e-14));
            Assert.That(below, Is.EqualTo(atOne).Within(1e-8));
            Assert.That(above, Is.EqualTo(atOne).Within(1e-8));
            Assert.That(below, Is.GreaterThan(above));
        });
    }

    // Expected: mpmath 1.3 at 40 digits, the share of the likelihood (FH05 §3) from customers alive at T (FH05 §5).
    [TestCase(0.0, 0.0, 38.86, 0.29515342831371483915)]
    [TestCase(1.0, 1.71, 38.86, 0.167903055365572605)]
    [TestCase(2.0, 30.43, 38.86, 0.86912157114528696403)]
    [TestCase(10_000.0, 51.999, 52.0, 0.9999896754015088246)]
    [TestCase(3.0, 10.0, 1e9, 7.8315694705230102638e-32)]
    public void ProbabilityAlive_ClvToolsEstimates_MatchesMpmath(double x, double tx, double T, double expected)
    {
        Assert.That(ParetoNbdModel.ProbabilityAlive(ClvTools, x, tx, T), Is.EqualTo(expected).Within(expected * 1e-13));
    }

    [TestCase(0.0, 0.0, 38.86, 0.19669843268746750505)]
    [TestCase(1.0, 1.71, 38.86, 0.13750572404758902017)]
    [TestCase(2.0, 30.43, 38.86, 0.85579890534535896547)]
    [TestCase(10_000.0, 51.999, 52.0, 0.99998870755671844127)]
    [TestCase(3.0, 10.0, 1e9, 1.7675609438551386981e-31)]
    public void ProbabilityAlive_AlphaAboveBeta_MatchesMpmath(double x, double tx, double T, double expected)
    {
        Assert.That(ParetoNbdModel.ProbabilityAlive(AlphaAboveBeta, x, tx, T), Is.EqualTo(expected).Within(expected * 1e-13));
    }

    [Test]
    public void ProbabilityAlive_ExtremeHistories_FiniteInUnitInterval()
    {
        Assert.Multiple(() =>
        {
            // Last purchase at T: alive for certain (the two terms of the likelihood reduce to the alive term).
            Assert.That(ParetoNbdModel.ProbabilityAlive(ClvTools, 10_000, 52, 52), Is.EqualTo(1.0).Within(1e-14));

            // x = 10,000 buying up to T: 1 − P(alive) = 1.03245984911754e-5 (mpmath), kept to 1e-10 relative because
            // the (α+T)^−(r+x) common to both sides of the ratio is cancelled before anything is evaluated.
            Assert.That(1 - ParetoNbdModel.ProbabilityAlive(ClvTools, 10_000, 51.999, 52), Is.EqualTo(1.03245984911754e-5).Within(1e-15));

            // x = 10,000, silent for a million weeks: mpmath gives 1.66e-49366, far below the smallest double: 0, not NaN.
            Assert.That(ParetoNbdModel.ProbabilityAlive(ClvTools, 10_000, 1, 1e6), Is.EqualTo(0));
        });
    }

    // Expected: mpmath 1.3 at 40 digits, Fader & Hardie (2006, rev. 2020) §4 with mpmath.hyp2f1 (their closed
    // form), which agrees with numerical integration over the dropout time to 30 digits or more.
    [TestCase(0, 52.0, 0.57380764868911680326)]
    [TestCase(1, 52.0, 0.16051899167790687518)]
    [TestCase(5, 52.0, 0.023772871648843568578)]
    [TestCase(20, 52.0, 0.00061086807489702166809)]
    [TestCase(0, 1.0, 0.95243762042195435755)]
    [TestCase(3, 1.0, 0.00021605890180756227782)]
    [TestCase(10, 2.0, 1.8938321059998501565e-9)]
    [TestCase(50, 500.0, 0.00072417209994285226695)]
    public void ProbabilityOfPurchases_ClvToolsEstimates_MatchesMpmath(int n, double t, double expected)
    {
        Assert.That(ParetoNbdModel.ProbabilityOfPurchases(ClvTools, n, t), Is.EqualTo(expected).Within(expected * 1e-12));
    }

    [TestCase(0, 52.0, 0.74838807437555927703)]
    [TestCase(1, 52.0, 0.13072498512037181263)]
    [TestCase(5, 52.0, 0.0093467572755229936516)]
    [TestCase(20, 52.0, 0.000030082368372098090855)]
    [TestCase(0, 1.0, 0.97494348145792179586)]
    [TestCase(3, 1.0, 0.000035075452273235643305)]
    [TestCase(10, 2.0, 6.5978505112288779497e-12)]
    [TestCase(50, 500.0, 0.00020721877472670566049)]
    public void ProbabilityOfPurchases_AlphaAboveBeta_MatchesMpmath(int n, double t, double expected)
    {
        Assert.That(ParetoNbdModel.ProbabilityOfPurchases(AlphaAboveBeta, n, t), Is.EqualTo(expected).Within(expected * 1e-12));
    }
}
