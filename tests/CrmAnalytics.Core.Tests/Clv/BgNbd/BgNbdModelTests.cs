using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;

namespace CrmAnalytics.Core.Tests.Clv.BgNbd;

public sealed class BgNbdModelTests
{
    /// <summary>lifetimes' Quickstart fit on CDNOW (r=0.242593, alpha=4.413532, a=0.792886, b=2.425752).</summary>
    private static readonly BgNbdParameters Published = new(0.242593, 4.413532, 0.792886, 2.425752);

    /// <summary>The rounded estimates used in the BTYD R package's documentation examples.</summary>
    private static readonly BgNbdParameters Btyd = new(0.243, 4.414, 0.793, 2.426);

    private static readonly Lazy<BgNbdModel> Fitted = new(() => BgNbdModel.Fit(CdnowSummary.Patterns));

    // Hardie's BG/NBD spreadsheet values as tested by lifetimes (test_expectation_returns_same_value_Hardie_excel_sheet),
    // here to 4 decimals with lifetimes' published estimates.
    [TestCase(0.1429, 0.0078)]
    [TestCase(1.0, 0.0532)]
    [TestCase(3.0, 0.1506)]
    [TestCase(31.8571, 1.0405)]
    [TestCase(32.0, 1.0437)]
    public void ExpectedPurchases_PublishedParameters_MatchesHardieSpreadsheet(double t, double expected)
    {
        Assert.That(BgNbdModel.ExpectedPurchases(Published, t), Is.EqualTo(expected).Within(0.00005));
    }

    [Test]
    public void ExpectedPurchases_78Weeks_MatchesExactValueNotSpreadsheetFourthDecimal()
    {
        // The spreadsheet's 1.8576 is 3.7e-4 below the exact value 1.857972105204 (mpmath: hyp2f1 and the integral
        // E_p[(1 − (α/(α+pt))^r)/p] agree to 25 digits); lifetimes tests it only to 3 decimals.
        var e = BgNbdModel.ExpectedPurchases(Published, 78);
        Assert.Multiple(() =>
        {
            Assert.That(e, Is.EqualTo(1.8576).Within(1e-3));
            Assert.That(e, Is.EqualTo(1.85797210520413).Within(1e-10));
        });
    }

    // Independent reference: mpmath 1.3 at 40 digits, eq. 9 with mpmath.hyp2f1 (checked against numerical integration over p).
    [TestCase(0.1429, 0.00781607426619071)]
    [TestCase(1.0, 0.0531847553598775)]
    [TestCase(3.0, 0.150631969385499)]
    [TestCase(31.8571, 1.0404945104731)]
    [TestCase(32.0, 1.04373743355859)]
    [TestCase(78.0, 1.85797210520413)]
    public void ExpectedPurchases_PublishedParameters_MatchesMpmath(double t, double expected)
    {
        Assert.That(BgNbdModel.ExpectedPurchases(Published, t), Is.EqualTo(expected).Within(expected * 1e-10));
    }

    // mpmath integral E[X(t)] = ∫ (1 − (α/(α+pt))^r)/p · Beta(p; a, b) dp, r = 0.25, α = 4, t = 52: a = 1 (the 0/0 point
    // of eq. 9), a + b < 1 (c = a + b − 1 < 0) and a + b = 1 (c = 0).
    [TestCase(1.0, 2.5, 1.4152936167049436541)]
    [TestCase(1.0000001, 2.5, 1.4152935417816404417)]
    [TestCase(0.3, 0.5, 1.5918154948830589879)]
    [TestCase(0.4, 0.6, 1.4435877934142047914)]
    public void ExpectedPurchases_DegenerateHypergeometricArguments_MatchesIntegral(double a, double b, double expected)
    {
        var e = BgNbdModel.ExpectedPurchases(new BgNbdParameters(0.25, 4, a, b), 52);
        Assert.That(e, Is.EqualTo(expected).Within(expected * 1e-9));
    }

    [Test]
    public void ConditionalExpectedPurchases_FittedCdnow_MatchesHardieSpreadsheet()
    {
        // Fader, Hardie & Lee (2005) §5 / Hardie's spreadsheet (lifetimes' test): x = 2, t_x = 30.43, T = 38.86, t = 39 → 1.226.
        var e = Fitted.Value.ConditionalExpectedPurchases(39, 2, 30.43, 38.86);
        Assert.That(e, Is.EqualTo(1.226).Within(0.0005));
    }

    [Test]
    public void ConditionalExpectedPurchases_PublishedParameters_MatchesMpmath()
    {
        // mpmath: eq. 10 with hyp2f1, and P(alive) × ∫ (1 − ((α+T)/(α+T+pt))^(r+x))/p · Beta(p; a, b+x) dp; both 1.22591038569389.
        var e = BgNbdModel.ConditionalExpectedPurchases(Published, 39, 2, 30.43, 38.86);
        Assert.That(e, Is.EqualTo(1.22591038569389).Within(1e-12));
    }

    [Test]
    public void ConditionalExpectedPurchases_NoRepeatPurchases_IsExpectationUnderPosterior()
    {
        // x = 0: P(alive) = 1 and the posterior is (r, α + T, a, b), so eq. 10 is eq. 9 with α + T.
        var e = BgNbdModel.ConditionalExpectedPurchases(Btyd, 20, 0, 0, 30);
        var prior = BgNbdModel.ExpectedPurchases(new BgNbdParameters(Btyd.R, Btyd.Alpha + 30, Btyd.A, Btyd.B), 20);
        Assert.That(e, Is.EqualTo(prior).Within(1e-15));
    }

    [Test]
    public void ProbabilityOfPurchases_NoneIn39Weeks_MatchesBtyd()
    {
        // BTYD documentation / lifetimes' test_probability_of_n_purchases_up_to_time_same_as_R_BTYD, with r=0.243,
        // alpha=4.414, a=0.793, b=2.426: P(X(39) = 0) = 0.5737864.
        Assert.That(BgNbdModel.ProbabilityOfPurchases(Btyd, 0, 39), Is.EqualTo(0.5737864).Within(1e-7));
    }

    [Test]
    public void ProbabilityOfPurchases_TenInTwoWeeks_MatchesBtyd()
    {
        // Same source: P(X(2) = 10) = 1.07869e-07.
        Assert.That(BgNbdModel.ProbabilityOfPurchases(Btyd, 10, 2), Is.EqualTo(1.07869e-07).Within(1e-12));
    }

    // Same source: the PMF at t = 30 for n = 11..20, published to 10 decimals.
    [TestCase(11, 0.0019995214)]
    [TestCase(12, 0.0015170236)]
    [TestCase(13, 0.0011633150)]
    [TestCase(14, 0.0009003148)]
    [TestCase(15, 0.0007023638)]
    [TestCase(16, 0.0005517902)]
    [TestCase(17, 0.0004361913)]
    [TestCase(18, 0.0003467171)]
    [TestCase(19, 0.0002769613)]
    [TestCase(20, 0.0002222260)]
    public void ProbabilityOfPurchases_Pmf30Weeks_MatchesBtyd(int n, double expected)
    {
        Assert.That(BgNbdModel.ProbabilityOfPurchases(Btyd, n, 30), Is.EqualTo(expected).Within(5.1e-11));
    }

    [Test]
    public void ProbabilityAlive_NoRepeatPurchases_IsOne()
    {
        // BG/NBD: dropout happens only after a repeat purchase (Fader, Hardie & Lee 2008; lifetimes' test).
        Assert.That(BgNbdModel.ProbabilityAlive(Btyd, 0, 0, 38.86), Is.EqualTo(1.0));
    }

    [Test]
    public void ProbabilityAlive_HandWorked_MatchesFormula()
    {
        // P(alive) = 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) with r=0.243, α=4.414, a=0.793, b=2.426, x=2,
        // t_x=30.43, T=38.86: (α+T)/(α+t_x) = 43.274/34.844 = 1.241935484; ^2.243 = 1.625788836;
        // × 0.793/3.426 = 0.376313645; P = 1/1.376313645 = 0.726578570.
        Assert.That(BgNbdModel.ProbabilityAlive(Btyd, 2, 30.43, 38.86), Is.EqualTo(0.726578570080673).Within(1e-12));
    }
}
