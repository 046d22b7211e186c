namespace CrmAnalytics.Core.Clv.Numerics;

/// <summary>
/// The Gauss hypergeometric series ₂F₁(a, b; c; z) = Σₙ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ for the arguments of the BG/NBD
/// expectations: a, b &gt; 0, c &gt; −1 and 0 ≤ z &lt; 1, where every term after the first has the same sign.
/// </summary>
/// <remarks>
/// Abramowitz &amp; Stegun 15.1.1. The terms are positive, so summing them loses nothing to cancellation; they are
/// summed with Kahan compensation and rescaled by powers of two so that a peak like e^5000 (x = 10,000 repeat
/// purchases in the conditional expectation, Fader, Hardie &amp; Lee 2005 eq. 10) neither overflows nor costs a log
/// per term. Convergence is geometric with ratio → z, so about 37/(1 − z) terms are needed for z near 1.
/// </remarks>
internal static class GaussHypergeometric
{
    /// <summary>Series longer than this (z within ~2e-6 of 1) are refused rather than summed for seconds.</summary>
    internal const int MaxTerms = 20_000_000;

    private const int RescaleExponent = 800;
    private static readonly double RescaleAbove = Math.ScaleB(1, RescaleExponent);
    private static readonly double RescaleFactor = Math.ScaleB(1, -RescaleExponent);
    private static readonly double RescaleLn = RescaleExponent * Math.Log(2);

    /// <summary>
    /// ln Σ_{n≥1} (a)ₙ(b)ₙ / ((c+1)_{n−1} n!) zⁿ, which is ln(c·(₂F₁(a, b; c; z) − 1)) for c ≠ 0 and stays defined
    /// at c = 0 and for −1 &lt; c &lt; 0, where every term is positive. −∞ at z = 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside a, b &gt; 0, c &gt; −1, 0 ≤ z &lt; 1.</exception>
    /// <exception cref="ArithmeticException">The series needs more than <see cref="MaxTerms"/> terms.</exception>
    public static double ScaledTailLn(double a, double b, double c, double z)
    {
        if (!(a > 0) || !(b > 0) || !(c > -1) || !(z >= 0) || !(z < 1) || !double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(c))
        {
            throw new ArgumentOutOfRangeException(nameof(z), $"2F1 series needs a, b > 0, c > -1, 0 <= z < 1 (a={a}, b={b}, c={c}, z={z}).");
        }

        if (z == 0)
        {
            return double.NegativeInfinity;
        }

        // Term n = 1 is a·b·z; it becomes the unit of the running sum, so the scale starts at its logarithm.
        var scaleLn = Math.Log(a) + Math.Log(b) + Math.Log(z);
        var term = 1.0;
        var sum = 1.0;
        var compensation = 0.0;
        for (var n = 1; n < MaxTerms; n++)
        {
            var ratio = z * (a + n) / (c + n) * ((b + n) / (n + 1));
            term *= ratio;
            var y = term - compensation;
            var s = sum + y;
            compensation = (s - sum) - y;
            sum = s;

            if (term > RescaleAbove)
            {
                term *= RescaleFactor;
                sum *= RescaleFactor;
                compensation *= RescaleFactor;
                scaleLn += RescaleLn;
            }

            // Past the peak the ratios tend to z; max(ratio, z) as the ratio of a geometric tail bounds what is left.
            if (ratio < 1)
            {
                var bound = Math.Max(ratio, z);
                if (term * bound <= 1e-17 * sum * (1 - bound))
                {
                    return scaleLn + Math.Log(sum);
                }
            }
        }

        throw new ArithmeticException($"The 2F1 series did not converge in {MaxTerms} terms (z = {z}); t is too large relative to alpha.");
    }

    /// <summary>ln ₂F₁(a, b; c; z) for a, b, c &gt; 0 and 0 ≤ z &lt; 1.</summary>
    public static double Ln(double a, double b, double c, double z)
    {
        if (!(c > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(c), "ln 2F1 needs c > 0.");
        }

        var tail = ScaledTailLn(a, b, c, z) - Math.Log(c);
        return tail > 0 ? tail + StableMath.Log1p(Math.Exp(-tail)) : StableMath.Log1p(Math.Exp(tail));
    }
}
