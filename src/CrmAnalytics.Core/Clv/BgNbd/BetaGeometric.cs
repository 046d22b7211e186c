using CrmAnalytics.Core.Clv.Numerics;
using MathNet.Numerics;

namespace CrmAnalytics.Core.Clv.BgNbd;

/// <summary>
/// The closed forms shared by BG/NBD and MBG/NBD. The two differ only in where dropout opportunities are: after each
/// repeat purchase (BG/NBD, <c>shift</c> = 0), or also at time 0 (MBG/NBD, <c>shift</c> = 1), so a customer with x
/// repeat purchases has had x − 1 + shift chances to drop out before the last purchase and x + shift after it.
/// </summary>
/// <remarks>
/// Fader, Hardie &amp; Lee (2005), "Counting your customers the easy way", Marketing Science 24(2), eqs. 6, 8, 9, 10;
/// Fader, Hardie &amp; Lee (2008), "Computing P(alive) using the BG/NBD model"; Batislam, Denizel &amp; Filiztekin (2007),
/// IJRM 24(3), appendix A, with lifetimes' ModifiedBetaGeoFitter for the MBG/NBD conventions.
/// Parameters are assumed valid here; the public models check them.
/// </remarks>
internal static class BetaGeometric
{
    /// <summary>Within this distance of a = 1 the expectation (a 0/0 form there) is interpolated from a = 1 ± this.</summary>
    private const double NearOne = 1e-5;

    /// <summary>
    /// ln L(r, α, a, b | x, t_x, T) of one customer; adds ∂lnL/∂(r, α, a, b) into <paramref name="gradient"/> when it is
    /// not empty. The two-term likelihood is combined as ln e^A3 + ln(1 + e^(A4 − A3)), so x = 10,000 stays finite.
    /// </summary>
    /// <remarks>
    /// BG/NBD: Fader, Hardie &amp; Lee (2005) eq. 6. MBG/NBD: Batislam et al. (2007), as in lifetimes. With
    /// s = shift: A1 = lnΓ(r+x) − lnΓ(r) + r ln α; A2 = ln B(a, b+x+s) − ln B(a, b); A3 = −(r+x) ln(α+T);
    /// A4 − A3 = ln a − ln(b+x+s−1) + (r+x) ln((α+T)/(α+t_x)), present when x + s &gt; 0.
    /// </remarks>
    public static double LikelihoodLn(double r, double alpha, double a, double b, double x, double tx, double T, int shift, Span<double> gradient)
    {
        var rx = r + x;
        var xs = x + shift;
        var lnAlphaT = Math.Log(alpha + T);
        var ll = SpecialFunctions.GammaLn(rx) - SpecialFunctions.GammaLn(r) + (r * Math.Log(alpha))
            + SpecialFunctions.GammaLn(a + b) + SpecialFunctions.GammaLn(b + xs) - SpecialFunctions.GammaLn(b) - SpecialFunctions.GammaLn(a + b + xs)
            - (rx * lnAlphaT);

        double logRatio = 0, d = 0, alive = 0;
        if (xs > 0)
        {
            logRatio = StableMath.Log1p((T - tx) / (alpha + tx));
            d = Math.Log(a) - Math.Log(b + xs - 1) + (rx * logRatio);
            ll += StableMath.Softplus(d);
            alive = StableMath.Logistic(d);
        }

        if (!gradient.IsEmpty)
        {
            var psiAb = SpecialFunctions.DiGamma(a + b);
            var psiAbx = SpecialFunctions.DiGamma(a + b + xs);
            gradient[0] += SpecialFunctions.DiGamma(rx) - SpecialFunctions.DiGamma(r) + Math.Log(alpha) - lnAlphaT + (alive * logRatio);
            gradient[1] += (r / alpha) - (rx / (alpha + T)) + (alive * rx * ((1 / (alpha + T)) - (1 / (alpha + tx))));
            gradient[2] += psiAb - psiAbx + (xs > 0 ? alive / a : 0);
            gradient[3] += psiAb + SpecialFunctions.DiGamma(b + xs) - SpecialFunctions.DiGamma(b) - psiAbx - (xs > 0 ? alive / (b + xs - 1) : 0);
        }

        return ll;
    }

    /// <summary>
    /// BG/NBD E[X(t)] = (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))].
    /// </summary>
    /// <remarks>
    /// Fader, Hardie &amp; Lee (2005) eq. 9. Written as [c(1 − q^r) − q^r S] / (a − 1) with c = a+b−1, q = α/(α+t) and
    /// S = c(₂F₁ − 1) summed directly (<see cref="GaussHypergeometric.ScaledTailLn"/>), which stays finite when
    /// c ≤ 0 (a + b ≤ 1) and when S is astronomically large (the posterior of x = 10,000, eq. 10). At a = 1 the form
    /// is 0/0; the smooth limit is interpolated linearly from a = 1 ± 1e-5 (error O(1e-10) relative).
    /// </remarks>
    public static double ExpectedPurchases(double r, double alpha, double a, double b, double t)
    {
        if (t == 0)
        {
            return 0;
        }

        if (Math.Abs(a - 1) < NearOne)
        {
            var below = ExpectedPurchasesAwayFromOne(r, alpha, 1 - NearOne, b, t);
            var above = ExpectedPurchasesAwayFromOne(r, alpha, 1 + NearOne, b, t);
            return below + ((above - below) * (a - (1 - NearOne)) / (2 * NearOne));
        }

        return ExpectedPurchasesAwayFromOne(r, alpha, a, b, t);
    }

    private static double ExpectedPurchasesAwayFromOne(double r, double alpha, double a, double b, double t)
    {
        var c = a + b - 1;
        var lnQ = -StableMath.Log1p(t / alpha);
        var oneMinusQr = -StableMath.Expm1(r * lnQ);
        var z = t / (alpha + t);
        var qrS = Math.Exp((r * lnQ) + GaussHypergeometric.ScaledTailLn(r, b, c, z));
        return ((c * oneMinusQr) - qrS) / (a - 1);
    }

    /// <summary>P(alive | x, t_x, T) = 1 / (1 + [x + s &gt; 0] · a/(b+x+s−1) · ((α+T)/(α+t_x))^(r+x)).</summary>
    /// <remarks>
    /// BG/NBD: Fader, Hardie &amp; Lee (2008), "Computing P(alive) using the BG/NBD model": Bayes' rule on the two terms of the likelihood (1 when x = 0).
    /// MBG/NBD: Batislam et al. (2007) appendix A eq. (5). Evaluated as a logistic of the log-odds, so the power
    /// never overflows.
    /// </remarks>
    public static double ProbabilityAlive(double r, double alpha, double a, double b, double x, double tx, double T, int shift)
    {
        var xs = x + shift;
        if (xs <= 0)
        {
            return 1;
        }

        var logOdds = Math.Log(a) - Math.Log(b + xs - 1) + ((r + x) * StableMath.Log1p((T - tx) / (alpha + tx)));
        return StableMath.Logistic(-logOdds);
    }

    /// <summary>
    /// E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · E[X(t)] under the posterior (r+x, α+T, a, b+x+s) of an alive customer.
    /// </summary>
    /// <remarks>
    /// BG/NBD: Fader, Hardie &amp; Lee (2005) eq. 10, whose numerator is eq. 9 with updated parameters and whose
    /// denominator is 1/P(alive). MBG/NBD: Batislam et al. (2007) with the correction of Wagner &amp; Hoppe (2008),
    /// as in lifetimes: ₂F₁(r+x, b+x+1; a+b+x; ·).
    /// </remarks>
    public static double ConditionalExpectedPurchases(double r, double alpha, double a, double b, double t, double x, double tx, double T, int shift)
    {
        if (t == 0)
        {
            return 0;
        }

        return ProbabilityAlive(r, alpha, a, b, x, tx, T, shift) * ExpectedPurchases(r + x, alpha + T, a, b + x + shift, t);
    }

    /// <summary>
    /// P(X(t) = n) = B(a, b+n+s)/B(a, b) · NB(n) + [n + s &gt; 0] · B(a+1, b+n+s−1)/B(a, b) · P(NB ≥ n), where NB is the
    /// negative binomial count of an immortal customer: Γ(r+n)/(Γ(r) n!) (α/(α+t))^r (t/(α+t))^n.
    /// </summary>
    /// <remarks>
    /// BG/NBD: Fader, Hardie &amp; Lee (2005) eq. 8, with 1 − (α/(α+t))^r Σ_{j&lt;n} … written as the regularized
    /// incomplete beta I_{t/(α+t)}(n, r) so that it does not cancel for large n. MBG/NBD: the same mixture with the
    /// extra dropout at time 0 (lifetimes' ModifiedBetaGeoFitter).
    /// </remarks>
    public static double ProbabilityOfPurchases(double r, double alpha, double a, double b, int n, double t, int shift)
    {
        if (t == 0)
        {
            return n == 0 ? 1 : 0;
        }

        var z = t / (alpha + t);
        var lnBetaRatio = SpecialFunctions.BetaLn(a, b + n + shift) - SpecialFunctions.BetaLn(a, b);
        var lnNb = SpecialFunctions.GammaLn(r + n) - SpecialFunctions.GammaLn(r) - SpecialFunctions.GammaLn(n + 1.0)
            - (r * StableMath.Log1p(t / alpha)) + (n == 0 ? 0 : n * Math.Log(z));
        var p = Math.Exp(lnBetaRatio + lnNb);
        if (n + shift > 0)
        {
            var tail = n == 0 ? 1 : SpecialFunctions.BetaRegularized(n, r, z);
            p += Math.Exp(lnBetaRatio + Math.Log(a) - Math.Log(b + n + shift - 1)) * tail;
        }

        return p;
    }
}
