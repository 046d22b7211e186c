using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.ModifiedBgNbd;
using CrmAnalytics.Core.Tests.Clv.BgNbd;

namespace CrmAnalytics.Core.Tests.Clv.ModifiedBgNbd;

public sealed class ModifiedBgNbdModelTests
{
    /// <summary>BTYDplus' MBG/NBD estimates on CDNOW, as lifetimes tests them (test_params_out_is_close_to_BTYDplus).</summary>
    private static readonly ModifiedBgNbdParameters Btydplus = new(0.525, 6.183, 0.891, 1.614);

    private static readonly Lazy<ModifiedBgNbdModel> Fitted = new(() => ModifiedBgNbdModel.Fit(CdnowSummary.Patterns));

    [Test]
    public void LikelihoodLn_NoRepeatPurchases_IsHandWorkedValue()
    {
        // x = 0, t_x = 0: L = B(a, b+1)/B(a, b)·(α/(α+T))^r + B(a+1, b)/B(a, b) = b/(a+b)·(6.183/45.043)^0.525 + a/(a+b)
        //   = 0.644311 · 0.352554 + 0.355689 = 0.582836 → ln L = −0.539837463531015 (mpmath).
        Assert.That(ModifiedBgNbdModel.LikelihoodLn(Btydplus, 0, 0, 38.86), Is.EqualTo(-0.53983746353101455604).Within(1e-13));
    }

    // mpmath at 40 digits: b/(a−1)·[1 − (α/(α+t))^r·hyp2f1(r, b+1; a+b; t/(α+t))] and, independently,
    // ∫ (1−p)/p · (1 − (α/(α+pt))^r) · Beta(p; a, b) dp agree on these.
    [TestCase(1.0, 0.0530847952637018)]
    [TestCase(10.0, 0.433467415156571)]
    [TestCase(39.0, 1.18295366559717)]
    [TestCase(78.0, 1.80475757755314)]
    [TestCase(520.0, 4.41444532679905)]
    public void ExpectedPurchases_BtydplusParameters_MatchesMpmath(double t, double expected)
    {
        Assert.That(ModifiedBgNbdModel.ExpectedPurchases(Btydplus, t), Is.EqualTo(expected).Within(expected * 1e-10));
    }

    [Test]
    public void ExpectedPurchases_FittedCdnow_CloseToHardieBgNbdSpreadsheet()
    {
        // lifetimes' MBG/NBD test compares with the BG/NBD spreadsheet values within 5% (the models nearly coincide on CDNOW).
        double[] times = [0.1429, 1.0, 3.00, 31.8571, 32.00, 78.00];
        double[] expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
        for (var i = 0; i < times.Length; i++)
        {
            Assert.That(Fitted.Value.ExpectedPurchases(times[i]), Is.EqualTo(expected[i]).Within(0.05 * expected[i]), $"t = {times[i]}");
        }
    }

    [TestCase(2, 30.43, 38.86, 1.26296062326737)]
    [TestCase(0, 0.0, 38.86, 0.154012746675147)]
    public void ConditionalExpectedPurchases_BtydplusParameters_MatchesMpmath(double x, double tx, double T, double expected)
    {
        // mpmath: (a+b+x)/(a−1)·[1 − ((α+T)/(α+T+t))^(r+x)·hyp2f1(r+x, b+x+1; a+b+x; t/(α+T+t))]·P(alive) (Wagner & Hoppe
        // 2008), and P(alive)·∫ (1 − ((α+T)/(α+T+pt))^(r+x))/p · Beta(p; a, b+x+1) dp, for t = 39.
        Assert.That(ModifiedBgNbdModel.ConditionalExpectedPurchases(Btydplus, 39, x, tx, T), Is.EqualTo(expected).Within(expected * 1e-10));
    }

    [Test]
    public void ConditionalExpectedPurchases_FittedCdnow_CloseToHardieBgNbdSpreadsheet()
    {
        // lifetimes' MBG/NBD test: within 0.05 of the BG/NBD spreadsheet's 1.226 for x = 2, t_x = 30.43, T = 38.86, t = 39.
        Assert.That(Fitted.Value.ConditionalExpectedPurchases(39, 2, 30.43, 38.86), Is.EqualTo(1.226).Within(0.05));
    }

    [Test]
    public void ProbabilityAlive_NoRepeatPurchases_IsBelowOneByHand()
    {
        // Batislam et al. (2007): 1/(1 + a/b·((α+T)/α)^r) = 1/(1 + 0.891/1.614 · (45.043/6.183)^0.525) = 0.389735080918763.
        Assert.That(ModifiedBgNbdModel.ProbabilityAlive(Btydplus, 0, 0, 38.86), Is.EqualTo(0.389735080918763).Within(1e-13));
    }

    [Test]
    public void ProbabilityAlive_TwoRepeatPurchases_MatchesFormula()
    {
        // 1/(1 + a/(b+x)·((α+T)/(α+t_x))^(r+x)) with x = 2, t_x = 30.43, T = 38.86 (mpmath: 0.706202265118487).
        Assert.That(ModifiedBgNbdModel.ProbabilityAlive(Btydplus, 2, 30.43, 38.86), Is.EqualTo(0.706202265118487).Within(1e-13));
    }

    [Test]
    public void ProbabilityAlive_GridOfHistories_BelowOne()
    {
        // lifetimes' test_conditional_probability_alive_returns_lessthan_1_if_no_repeat_purchases and the unit-interval test.
        for (var x = 0; x < 100; x += 10)
        {
            for (var tx = 0; tx < 100; tx += 10)
            {
                for (var T = Math.Max(tx, 1); T < 100; T += 10)
                {
                    Assert.That(Fitted.Value.ProbabilityAlive(x, tx, T), Is.GreaterThanOrEqualTo(0).And.LessThan(1), $"x={x}, t_x={tx}, T={T}");
                }
            }
        }
    }

    // The extreme histories whose ln L the family tests check against mpmath: P(alive) and E[Y(52)] stay finite and bounded.
    [TestCase(10_000, 51.999, 52)]
    [TestCase(10_000, 1, 1e6)]
    [TestCase(3, 10, 1e9)]
    [TestCase(0, 0, 1e9)]
    public void ExtremeHistories_ProbabilityAliveAndExpectation_AreFinite(double x, double tx, double T)
    {
        var alive = ModifiedBgNbdModel.ProbabilityAlive(Btydplus, x, tx, T);
        var expected = ModifiedBgNbdModel.ConditionalExpectedPurchases(Btydplus, 52, x, tx, T);
        Assert.Multiple(() =>
        {
            Assert.That(alive, Is.InRange(0.0, 1.0));
            Assert.That(expected, Is.GreaterThanOrEqualTo(0).And.LessThan(52 * (Btydplus.R + x) / (Btydplus.Alpha + T) * 1.0000001));
        });
    }
}
