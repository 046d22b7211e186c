namespace CrmAnalytics.Core.Clv.Numerics;

/// <summary>₂F₁(1, b; c; z) with its partial derivatives in b, c and z.</summary>
/// <param name="Value">G = ₂F₁(1, b; c; z) ≥ 1.</param>
/// <param name="DB">∂G/∂b.</param>
/// <param name="DC">∂G/∂c.</param>
/// <param name="DZ">∂G/∂z.</param>
internal readonly record struct HypergeometricDerivatives(double Value, double DB, double DC, double DZ);

/// <summary>
/// G(b, c; z) = ₂F₁(1, b; c; z) = Σₙ (b)ₙ/(c)ₙ zⁿ for 0 &lt; b &lt; c, c &gt; 1 and 0 ≤ z &lt; 1, with its derivatives in
/// b, c and z: the function behind the Pareto/NBD likelihood and its gradient.
/// </summary>
/// <remarks>
/// <para>
/// Every term is positive and each is less than z times the one before, so 1 ≤ G ≤ 1/(1 − z): nothing cancels and
/// nothing overflows, whatever the size of b and c (x = 10,000 repeat purchases gives b ≈ c ≈ 10,000). G is the Euler
/// transform (Abramowitz &amp; Stegun 15.3.3) of the ₂F₁(r+s+x, ·; r+s+x+1; z) in Fader &amp; Hardie (2005), "A note
/// on deriving the Pareto/NBD model and related expressions", §3, whose terms grow like (r+x)ₙ/n! before they
/// fall when x is large.
/// </para>
/// <para>
/// The derivatives are analytic: the series is differentiated term by term (∂/∂b of ln((b)ₙ/(c)ₙ) is
/// Σ_{k&lt;n} 1/(b+k), ∂/∂c is −Σ_{k&lt;n} 1/(c+k)); the continued fraction is differentiated step by step as it is
/// evaluated (forward-mode automatic differentiation), so its derivatives are those of the truncated fraction.
/// </para>
/// <para>
/// The series needs about 37/(1 − z) terms in the worst case (b near c). Above z = <see cref="SeriesUpTo"/> G is
/// evaluated instead as Gauss's continued fraction for ₂F₁(b, 1; c; z) / ₂F₁(b, 0; c − 1; z) (DLMF §15.7;
/// Cuyt et al. 2008, "Handbook of continued fractions for special functions", ch. 15), an S-fraction with positive coefficients whose
/// convergence costs O(1/√(1 − z)) steps: about 20,000 at 1 − z = 1e-6 against millions of series terms.
/// </para>
/// </remarks>
internal static class UnitHypergeometric
{
    /// <summary>Largest z evaluated by the series; the continued fraction takes over above it.</summary>
    internal const double SeriesUpTo = 0.6;

    /// <summary>Steps of the continued fraction beyond which it is reported as not converging (1 − z below about 1e-12).</summary>
    internal const int MaxFractionSteps = 20_000_000;

    /// <summary>Series tail bound (relative to G ≥ 1) below which summing stops: 2⁻⁵⁶.</summary>
    internal const double Tolerance = 1.3877787807814457e-17;

    /// <summary>G and its derivatives; series up to z = <see cref="SeriesUpTo"/>, continued fraction above.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside 0 &lt; b &lt; c, c &gt; 1, 0 ≤ z &lt; 1.</exception>
    /// <exception cref="ArithmeticException">z is so close to 1 that the continued fraction needs more than <see cref="MaxFractionSteps"/> steps.</exception>
    public static HypergeometricDerivatives Evaluate(double b, double c, double z)
    {
        Check(b, c, z);
        return z <= SeriesUpTo ? Series(b, c, z) : ContinuedFraction(b, c, z, MaxFractionSteps)
            ?? throw new ArithmeticException($"2F1(1, b; c; z) did not converge in {MaxFractionSteps} steps (z = {z}): z is too close to 1.");
    }

    /// <summary>As <see cref="Evaluate"/> for valid arguments, but null instead of an exception past <paramref name="maxFractionSteps"/>, or when z rounds to 1.</summary>
    public static HypergeometricDerivatives? TryEvaluate(double b, double c, double z, int maxFractionSteps) =>
        z <= SeriesUpTo ? Series(b, c, z) : z < 1 ? ContinuedFraction(b, c, z, maxFractionSteps) : null;

    /// <summary>The series Σ (b)ₙ/(c)ₙ zⁿ, differentiated term by term, summed until its tail is below 2⁻⁵⁶ (any z &lt; 1).</summary>
    internal static HypergeometricDerivatives Series(double b, double c, double z)
    {
        double g = 1, gb = 0, gc = 0, gz = 0;
        double term = 1, hb = 0, hc = 0;
        var oneMinusZ = 1 - z;
        for (var n = 0; ; n++)
        {
            var ratio = (b + n) / (c + n);

            // d(term_{n+1})/dz = (n+1)·term_{n+1}/z, written without dividing by z.
            gz += (n + 1) * term * ratio;
            term *= ratio * z;
            hb += 1 / (b + n);
            hc += 1 / (c + n);
            g += term;
            gb += term * hb;
            gc -= term * hc;

            // Terms shrink by at least z from here on; (n+2)/(1−z)² also covers the tails of ∂/∂z and ∂/∂b, ∂/∂c.
            if (term * (n + 2) <= Tolerance * oneMinusZ * oneMinusZ || term == 0)
            {
                return new HypergeometricDerivatives(g, gb, gc, gz);
            }
        }
    }

    /// <summary>
    /// Gauss's continued fraction G = 1/(1 − k₁z/(1 − k₂z/(1 − …))) (coefficients in <see cref="Coefficient"/>),
    /// truncated at the depth that the modified Lentz method (Press et al., Numerical Recipes, §5.2) finds sufficient,
    /// then evaluated backward from that depth, each step carrying its derivatives in b, c and z. Null when the depth
    /// would exceed <paramref name="maxSteps"/>.
    /// </summary>
    /// <remarks>
    /// Near z = 1 the tails of this S-fraction converge slowly (ratio about 1 − 2√(1 − z) per step) and the forward
    /// Lentz products accumulate rounding error (3e-10 relative at 1 − z = 1e-8); the backward evaluation does not.
    /// The forward pass extrapolates the geometric decay of |Δₙ − 1| to the depth where the rest is below 1e-17, since
    /// Δₙ − 1 itself is lost in rounding well before the truncation error is.
    /// </remarks>
    internal static HypergeometricDerivatives? ContinuedFraction(double b, double c, double z, int maxSteps)
    {
        var depth = FractionDepth(b, c, z, maxSteps);
        if (depth < 0)
        {
            return null;
        }

        // t_n = 1 − k_n z / t_{n+1}, t_{N+1} = 1; G = 1/t_1. Dual components: ∂/∂b, ∂/∂c, ∂/∂z.
        double t = 1, tb = 0, tc = 0, tz = 0;
        for (var n = depth; n >= 1; n--)
        {
            var (k, kb, kc) = Coefficient(b, c, n);
            var invT = 1 / t;
            var u = k * z * invT;

            // d(u) = d(k z)/t − k z dt/t².
            var ub = ((kb * z) - (u * tb)) * invT;
            var uc = ((kc * z) - (u * tc)) * invT;
            var uz = (k - (u * tz)) * invT;
            t = 1 - u;
            tb = -ub;
            tc = -uc;
            tz = -uz;
        }

        var g = 1 / t;
        var g2 = g * g;
        return new HypergeometricDerivatives(g, -tb * g2, -tc * g2, -tz * g2);
    }

    /// <summary>k_n and its derivatives in b and c: k_{2j+1} = (b+j)(c−1+j)/((c−1+2j)(c+2j)), k_{2j+2} = (j+1)(c−b+j)/((c+2j)(c+2j+1)).</summary>
    internal static (double K, double KB, double KC) Coefficient(double b, double c, int n)
    {
        var j = (n - 1) / 2;
        if ((n & 1) == 1)
        {
            if (j == 0)
            {
                var k1 = b / c;
                return (k1, 1 / c, -k1 / c);
            }

            var k = (b + j) * (c - 1 + j) / ((c - 1 + (2 * j)) * (c + (2 * j)));
            return (k, k / (b + j), k * ((1 / (c - 1 + j)) - (1 / (c - 1 + (2 * j))) - (1 / (c + (2 * j)))));
        }

        var cb = c - b + j;
        var ke = (j + 1) * cb / ((c + (2 * j)) * (c + (2 * j) + 1));
        return (ke, -ke / cb, ke * ((1 / cb) - (1 / (c + (2 * j))) - (1 / (c + (2 * j) + 1))));
    }

    /// <summary>
    /// The depth at which the fraction's truncation error is below 1e-17 relative, by the modified Lentz method on values
    /// only; −1 beyond <paramref name="maxSteps"/>.
    /// </summary>
    internal static int FractionDepth(double b, double c, double z, int maxSteps)
    {
        const double Tiny = 1e-300;
        const double Reliable = 1e-11;
        const double Target = 1e-17;
        double cLentz = 1, dLentz = 0;
        double previous = double.NaN, beforePrevious = double.NaN;
        for (var n = 1; n <= maxSteps; n++)
        {
            var d = -Coefficient(b, c, n).K * z;
            dLentz = 1 + (d * dLentz);
            dLentz = 1 / (Math.Abs(dLentz) < Tiny ? Tiny : dLentz);
            cLentz = 1 + (d / cLentz);
            if (Math.Abs(cLentz) < Tiny)
            {
                cLentz = Tiny;
            }

            var change = Math.Abs((cLentz * dLentz) - 1);
            if (change <= Reliable && beforePrevious > change)
            {
                // Even and odd steps decay differently; the two-step ratio gives the geometric rate of the tail.
                var rho = Math.Sqrt(change / beforePrevious);
                if (rho < 1)
                {
                    var remaining = change == 0 ? 0 : Math.Log(Target * (1 - rho) / change) / Math.Log(rho);
                    var depth = n + Math.Max(0, Math.Ceiling(remaining)) + 2;
                    return depth <= maxSteps ? (int)depth : -1;
                }
            }

            beforePrevious = previous;
            previous = change;
        }

        return -1;
    }

    internal static void Check(double b, double c, double z)
    {
        if (!(b > 0) || !(c > b) || !(c > 1) || !double.IsFinite(c) || !(z >= 0) || !(z < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(z), $"2F1(1, b; c; z) needs 0 < b < c, c > 1 and 0 <= z < 1 (b={b}, c={c}, z={z}).");
        }
    }
}
