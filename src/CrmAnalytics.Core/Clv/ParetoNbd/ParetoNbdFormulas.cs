using CrmAnalytics.Core.Clv.Numerics;
using MathNet.Numerics;

namespace CrmAnalytics.Core.Clv.ParetoNbd;

/// <summary>
/// The closed forms of the Pareto/NBD model, in log space wherever a power or a hypergeometric function could overflow.
/// Parameters are assumed valid here; <see cref="ParetoNbdModel"/> checks them.
/// </summary>
/// <remarks>
/// <para>
/// Fader &amp; Hardie (2005), "A note on deriving the Pareto/NBD model and related expressions" (FH05), §3, writes
/// the likelihood as Γ(r+x)α^r β^s/Γ(r) · {1/((α+T)^(r+x)(β+T)^s) + s/(r+s+x) · A₀} with A₀ a difference of two ₂F₁
/// terms. That difference is an integral over the dropout time, s·∫_{t_x}^T (α+u)^−(r+x) (β+u)^−(s+1) du, and
/// integrating the first term by parts over (T, ∞) turns the whole bracket into a sum of two positive integrals:
/// </para>
/// <para>
/// L / (Γ(r+x)α^r β^s/Γ(r)) = (r+x)·K(T; r+x+1, s) + s·K(t_x; r+x, s+1), with
/// K(τ; p₁, p₂) = ∫_τ^∞ (α+u)^−p₁ (β+u)^−p₂ du.
/// </para>
/// <para>
/// With γ = max(α, β) carrying the power p_γ, δ = min(α, β) carrying p_δ, and a = p₁ + p₂ − 1 = r+s+x (the same
/// for both integrals), K(τ) = (γ+τ)^−p_γ (δ+τ)^(1−p_δ) ₂F₁(1, p_γ; a+1; z)/a with z = (γ−δ)/(γ+τ) ∈ [0, 1): FH05's
/// α ≥ β / α &lt; β cases and argument, after Euler's transformation. Both terms are positive and combined by
/// log-sum-exp, so nothing cancels and x = 10,000 or T = 10⁹ give finite values (the failure of CLVTools issue #100).
/// </para>
/// </remarks>
internal static class ParetoNbdFormulas
{
    private const double SeriesTolerance = 1e-17;

    /// <summary>Terms beyond which the pmf's series is reported as not converging (α/β or β/α beyond about 10⁷).</summary>
    private const int MaxPmfTerms = 5_000_000;

    /// <summary>ln K(τ; p₁, p₂) = ln ∫_τ^∞ (α+u)^−p₁ (β+u)^−p₂ du with its partial derivatives in p₁, p₂, α and β.</summary>
    /// <remarks>
    /// From ln K = −ln a − p_γ ln(γ+τ) + (1−p_δ) ln(δ+τ) + ln G(p_γ, a+1; z), with G = ₂F₁(1, ·; ·; ·) and
    /// ∂z/∂γ = (δ+τ)/(γ+τ)², ∂z/∂δ = −1/(γ+τ), ∂a/∂p_γ = ∂a/∂p_δ = 1. At α = β (z = 0) the two cases meet smoothly.
    /// </remarks>
    /// <exception cref="ArithmeticException">z = (γ−δ)/(γ+τ) is too close to 1 for ₂F₁ to converge (max(α, β)/min(α, β) beyond about 10¹²).</exception>
    public static TailIntegral TailIntegralLn(double p1, double p2, double alpha, double beta, double tau) =>
        TailIntegralLn(p1, p2, alpha, beta, tau, UnitHypergeometric.MaxFractionSteps)
        ?? throw new ArithmeticException($"Pareto/NBD: 2F1 did not converge for alpha={alpha}, beta={beta}, tau={tau}; the ratio of alpha and beta is too extreme.");

    /// <summary>As above; null when ₂F₁ needs more than <paramref name="maxFractionSteps"/> continued-fraction steps.</summary>
    public static TailIntegral? TailIntegralLn(double p1, double p2, double alpha, double beta, double tau, int maxFractionSteps)
    {
        var a = p1 + p2 - 1;
        var alphaLarger = alpha >= beta;
        var gamma = alphaLarger ? alpha : beta;
        var delta = alphaLarger ? beta : alpha;
        var pGamma = alphaLarger ? p1 : p2;
        var pDelta = alphaLarger ? p2 : p1;
        var gt = gamma + tau;
        var dt = delta + tau;
        var lnGt = Math.Log(gt);
        var lnDt = Math.Log(dt);
        if (UnitHypergeometric.TryEvaluate(pGamma, a + 1, (gamma - delta) / gt, maxFractionSteps) is not { } g)
        {
            return null;
        }

        var invG = 1 / g.Value;
        var ln = -Math.Log(a) - (pGamma * lnGt) + ((1 - pDelta) * lnDt) + Math.Log(g.Value);
        var dA = (-1 / a) + (g.DC * invG);
        var dPGamma = dA - lnGt + (g.DB * invG);
        var dPDelta = dA - lnDt;
        var dz = g.DZ * invG;
        var dGamma = (-pGamma / gt) + (dz * dt / (gt * gt));
        var dDelta = ((1 - pDelta) / dt) - (dz / gt);
        return alphaLarger
            ? new TailIntegral(ln, dPGamma, dPDelta, dGamma, dDelta)
            : new TailIntegral(ln, dPDelta, dPGamma, dDelta, dGamma);
    }

    /// <summary>
    /// ln L(r, α, s, β | x, t_x, T) of one customer; adds ∂ln L/∂(r, α, s, β) into <paramref name="gradient"/> when
    /// it is not empty.
    /// </summary>
    /// <remarks>FH05 §3, as the two positive terms of the class remarks.</remarks>
    public static double LikelihoodLn(double r, double alpha, double s, double beta, double x, double tx, double T, Span<double> gradient)
    {
        var p = r + x;
        var k1 = TailIntegralLn(p + 1, s, alpha, beta, T);
        var k2 = TailIntegralLn(p, s + 1, alpha, beta, tx);
        var u1 = Math.Log(p) + k1.Ln;
        var u2 = Math.Log(s) + k2.Ln;
        var lnAlpha = Math.Log(alpha);
        var lnBeta = Math.Log(beta);
        var ll = SpecialFunctions.GammaLn(p) - SpecialFunctions.GammaLn(r) + (r * lnAlpha) + (s * lnBeta) + StableMath.LogSumExp(u1, u2);
        if (!gradient.IsEmpty)
        {
            var w1 = StableMath.Logistic(u1 - u2);
            var w2 = StableMath.Logistic(u2 - u1);
            gradient[0] += SpecialFunctions.DiGamma(p) - SpecialFunctions.DiGamma(r) + lnAlpha + (w1 * ((1 / p) + k1.DP1)) + (w2 * k2.DP1);
            gradient[1] += (r / alpha) + (w1 * k1.DAlpha) + (w2 * k2.DAlpha);
            gradient[2] += lnBeta + (w1 * k1.DP2) + (w2 * ((1 / s) + k2.DP2));
            gradient[3] += (s / beta) + (w1 * k1.DBeta) + (w2 * k2.DBeta);
        }

        return ll;
    }

    /// <summary>P(alive | x, t_x, T) = (α+T)^−(r+x) (β+T)^−s / [(r+x)·K(T; r+x+1, s) + s·K(t_x; r+x, s+1)].</summary>
    /// <remarks>
    /// FH05 §5: the share of the likelihood from customers still alive at T, whose denominator is the bracket of
    /// the likelihood (class remarks). The powers of (α+T), (β+T) common to numerator and denominator are cancelled
    /// algebraically before anything is evaluated, so that 1 − P(alive) keeps its digits when x = 10,000 (the raw
    /// logarithms are of order 10⁴ and would leave 1e-11 absolute error):
    /// 1/P = e^d₁ + e^d₂ with d₁ = ln((r+x)/a) + [α ≥ β]·ln((β+T)/(α+T)) + ln G(T) and
    /// d₂ = ln(s/a) + (r+x) ln((α+T)/(α+t_x)) + s ln((β+T)/(β+t_x)) + [α &lt; β]·ln((α+t_x)/(β+t_x)) + ln G(t_x),
    /// a = r+s+x and G the ₂F₁ of <see cref="TailIntegralLn(double, double, double, double, double)"/>. 1 when t_x = T.
    /// </remarks>
    public static double ProbabilityAlive(double r, double alpha, double s, double beta, double x, double tx, double T)
    {
        var p = r + x;
        var lnA = Math.Log(p + s);
        var alphaLarger = alpha >= beta;
        var d1 = Math.Log(p) - lnA + HypergeometricLn(p + 1, s, alpha, beta, T);
        var d2 = Math.Log(s) - lnA + HypergeometricLn(p, s + 1, alpha, beta, tx);
        if (alphaLarger)
        {
            d1 -= StableMath.Log1p((alpha - beta) / (beta + T));
        }
        else
        {
            d2 -= StableMath.Log1p((beta - alpha) / (alpha + tx));
        }

        if (T > tx)
        {
            d2 += (p * StableMath.Log1p((T - tx) / (alpha + tx))) + (s * StableMath.Log1p((T - tx) / (beta + tx)));
        }

        return Math.Min(1, Math.Exp(-StableMath.LogSumExp(d1, d2)));
    }

    /// <summary>ln G, the ₂F₁ factor of K(τ; p₁, p₂).</summary>
    private static double HypergeometricLn(double p1, double p2, double alpha, double beta, double tau)
    {
        var alphaLarger = alpha >= beta;
        var gamma = alphaLarger ? alpha : beta;
        var delta = alphaLarger ? beta : alpha;
        var pGamma = alphaLarger ? p1 : p2;
        return Math.Log(UnitHypergeometric.Evaluate(pGamma, p1 + p2, (gamma - delta) / (gamma + tau)).Value);
    }

    /// <summary>E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)], and (rβ/α)·ln(1 + t/β) at s = 1.</summary>
    /// <remarks>FH05 §4; the bracket divided by s − 1 is evaluated with expm1 and log1p, smooth through s = 1.</remarks>
    public static double ExpectedPurchases(double r, double alpha, double s, double beta, double t) =>
        t == 0 ? 0 : r / alpha * beta * DecayIntegral(s - 1, t / beta);

    /// <summary>
    /// E[Y(t) | x, t_x, T] = P(alive | x, t_x, T) · (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)].
    /// </summary>
    /// <remarks>
    /// FH05 §6 (Schmittlein, Morrison &amp; Colombo 1987): E[X(t)] of §4 under the posterior
    /// (r+x, α+T, s, β+T) of a customer alive at T, times P(alive); the s = 1 limit is the logarithm.
    /// </remarks>
    public static double ConditionalExpectedPurchases(double r, double alpha, double s, double beta, double t, double x, double tx, double T)
    {
        if (t == 0)
        {
            return 0;
        }

        return ProbabilityAlive(r, alpha, s, beta, x, tx, T) * ExpectedPurchasesIfAlive(r, alpha, s, beta, t, x, T);
    }

    /// <summary>
    /// E[Y(t) | alive at T, x, T] = (r+x)(β+T)/((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)]: E[X(t)] of §4 under the posterior
    /// (r+x, α+T, s, β+T) of a customer known to be alive at T.
    /// </summary>
    /// <remarks>FH05 §6 without its P(alive) factor; the s = 1 limit is (r+x)(β+T)/(α+T) · ln(1 + t/(β+T)).</remarks>
    public static double ExpectedPurchasesIfAlive(double r, double alpha, double s, double beta, double t, double x, double T) =>
        t == 0 ? 0 : (r + x) / (alpha + T) * (beta + T) * DecayIntegral(s - 1, t / (beta + T));

    /// <summary>
    /// P(X(t) = n) = NB(n; t)·(β/(β+t))^s + ∫₀ᵗ NB(n; τ) · sβ^s/(β+τ)^(s+1) dτ, where NB(n; τ) =
    /// Γ(r+n)/(Γ(r) n!) (α/(α+τ))^r (τ/(α+τ))^n is the count of a customer still alive at τ.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Fader &amp; Hardie (2006, rev. 2020), "Deriving an expression for P(X(t) = x) under the Pareto/NBD model", §4
    /// (alive throughout (0, t], plus dropout at τ after n purchases). Their closed form subtracts a sum of n + 1 ₂F₁
    /// terms from a ₂F₁ constant, which cancels badly for small t and large n. Here the integral is expanded instead
    /// in positive terms. With p = t/(α+t), substituting v = τ/(α+τ) turns it into
    /// α^(1−r) ∫₀ᵖ v^n (1−v)^(r+s−1) (β + (α−β)v)^−(s+1) dv, and expanding the last factor binomially:
    /// </para>
    /// <para>
    /// α ≥ β, ζ = (α−β)/α: s (β/α)^s Γ(r+n)/(Γ(r) n!) Σ_k (s+1)_k/k! ζ^k B_p(n+1, r+s+k);
    /// α &lt; β, ξ = (β−α)/β: (sα/β) Γ(r+n)/(Γ(r) n!) Σ_k (s+1)_k/k! ξ^k B_p(n+1+k, r+s),
    /// </para>
    /// <para>
    /// with B_p the incomplete beta function. The incomplete betas come from recurrences that only add positive terms:
    /// upward in the second parameter, downward in the first (integration by parts; cf. DLMF §8.17(iv)). The result
    /// agrees with their closed form and with numerical integration (mpmath) to about 1e-13 relative (the digits ln Γ(r+n) keeps).
    /// </para>
    /// </remarks>
    public static double ProbabilityOfPurchases(double r, double alpha, double s, double beta, int n, double t)
    {
        if (t == 0)
        {
            return n == 0 ? 1 : 0;
        }

        var p = t / (alpha + t);
        var lnP = Math.Log(p);
        var lnQ = -StableMath.Log1p(t / alpha);
        var q = alpha / (alpha + t);
        var lnNb = SpecialFunctions.GammaLn(r + n) - SpecialFunctions.GammaLn(r) - SpecialFunctions.GammaLn(n + 1.0);
        var alive = Math.Exp(lnNb + (r * lnQ) + (n == 0 ? 0 : n * lnP) - (s * StableMath.Log1p(t / beta)));

        var b = r + s;
        var lnScale = lnNb + ((n + 1) * lnP) + (b * lnQ) + Math.Log(s);
        double sum;
        if (alpha >= beta)
        {
            var zeta = (alpha - beta) / alpha;
            lnScale += s * StableMath.Log1p(-zeta);
            sum = SumOverDropoutShape(n + 1.0, b, s, zeta, p, q);
        }
        else
        {
            var xi = (beta - alpha) / beta;
            lnScale += StableMath.Log1p(-xi);
            sum = SumOverPurchaseShape(n + 1.0, b, s, xi, p, q);
        }

        return alive + Math.Exp(lnScale + Math.Log(sum));
    }

    /// <summary>
    /// Σ_k (s+1)_k/k! ζ^k B_p(a, b+k) / (p^a q^b) (q = 1 − p), with B_p(a, b+k+1) = [(b+k) B_p(a, b+k) + p^a q^(b+k)]/(a+b+k).
    /// </summary>
    private static double SumOverDropoutShape(double a, double b, double s, double zeta, double p, double q)
    {
        var v = ScaledIncompleteBeta(a, b, p, q);
        var sum = v;
        var coefficient = 1.0;
        var qk = 1.0;
        for (var k = 0; k < MaxPmfTerms; k++)
        {
            var bk = b + k;
            v = ((bk * v) + qk) / (a + bk);
            qk *= q;
            coefficient *= (s + 1 + k) / (k + 1) * zeta;
            sum += coefficient * v;

            // B_p(a, ·) falls with its second argument and the coefficient ratios ζ(1 + s/(j+1)) fall with j: geometric tail bound.
            var rho = zeta * (1 + (s / (k + 2)));
            if (coefficient == 0 || (rho < 1 && coefficient * v * rho / (1 - rho) <= SeriesTolerance * sum))
            {
                return sum;
            }
        }

        throw new ArithmeticException($"The Pareto/NBD pmf series did not converge (alpha/beta too large: zeta = {zeta}).");
    }

    /// <summary>
    /// Σ_k (s+1)_k/k! ξ^k B_p(a+k, b) / (p^a q^b), with the scaled incomplete betas R_j = B_p(j, b)/(p^j q^b) computed
    /// downward by R_j = ((j+b)/j)·p·R_{j+1} + 1/j from the last index needed.
    /// </summary>
    private static double SumOverPurchaseShape(double a, double b, double s, double xi, double p, double q)
    {
        // e_k = (s+1)_k/k! (ξp)^k bounds term k relative to term 0, since R_j falls with j.
        var weights = new List<double> { 1.0 };
        var e = 1.0;
        for (var k = 0; ; k++)
        {
            var rho = xi * p * (1 + (s / (k + 1)));
            if (e == 0 || (rho < 1 && e * rho / (1 - rho) <= SeriesTolerance))
            {
                break;
            }

            if (k >= MaxPmfTerms)
            {
                throw new ArithmeticException($"The Pareto/NBD pmf series did not converge (beta/alpha too large: xi = {xi}).");
            }

            e *= xi * p * (s + 1 + k) / (k + 1);
            weights.Add(e);
        }

        var top = weights.Count - 1;
        var r = ScaledIncompleteBeta(a + top, b, p, q);
        var sum = weights[top] * r;
        for (var k = top - 1; k >= 0; k--)
        {
            var j = a + k;
            r = ((j + b) / j * p * r) + (1 / j);
            sum += weights[k] * r;
        }

        return sum;
    }

    /// <summary>
    /// B_p(a, b)/(p^a q^b) = (1/a) ₂F₁(a+b, 1; a+1; p) (DLMF §8.17(ii)), by its positive series where it converges fast,
    /// otherwise from MathNet's regularized incomplete beta (Lentz's continued fraction), which then is not small.
    /// </summary>
    internal static double ScaledIncompleteBeta(double a, double b, double p, double q)
    {
        var rhoMax = Math.Max(p, p * (a + b) / (a + 1));
        if (rhoMax <= 0.9)
        {
            double term = 1, sum = 1;
            for (var n = 0; ; n++)
            {
                var ratio = p * (a + b + n) / (a + 1 + n);
                term *= ratio;
                sum += term;
                var bound = Math.Max(p, ratio);
                if (term * bound / (1 - bound) <= SeriesTolerance * sum)
                {
                    return sum / a;
                }
            }
        }

        var lnRegularized = Math.Log(SpecialFunctions.BetaRegularized(a, b, p));
        return Math.Exp(SpecialFunctions.BetaLn(a, b) + lnRegularized - (a * Math.Log(p)) - (b * Math.Log(q)));
    }

    /// <summary>(1 − (1+y)^−e)/e = ∫₀^y (1+u)^−(e+1) du, and ln(1+y) at e = 0, without cancellation for small e or y.</summary>
    internal static double DecayIntegral(double e, double y)
    {
        var l = StableMath.Log1p(y);
        return e == 0 ? l : -StableMath.Expm1(-e * l) / e;
    }

    /// <summary>ln K(τ; p₁, p₂) and its partial derivatives in p₁, p₂, α, β.</summary>
    internal readonly record struct TailIntegral(double Ln, double DP1, double DP2, double DAlpha, double DBeta);
}
