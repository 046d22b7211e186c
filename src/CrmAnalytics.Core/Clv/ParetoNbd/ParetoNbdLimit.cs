using MathNet.Numerics;

namespace CrmAnalytics.Core.Clv.ParetoNbd;

/// <summary>
/// The Pareto/NBD likelihood in its limit s → 0, where the dropout rate μ ~ Gamma(s, β) collapses onto 0: nobody
/// drops out and purchases follow the NBD, L = Γ(r+x)/Γ(r) · α^r / (α+T)^(r+x), whatever β is.
/// </summary>
/// <remarks>
/// FH05 §3 with s → 0: the bracket's first term (α+T)^−(r+x) (β+T)^−s tends to (α+T)^−(r+x), and the second, s/(r+s+x)·A₀,
/// to 0. Equivalently, the likelihood λ^x e^−λT of a customer alive throughout (0, T] integrated over λ ~ Gamma(r, α)
/// (Schmittlein, Morrison &amp; Colombo 1987, eq. 9 before the lifetime is mixed in).
/// </remarks>
internal static class ParetoNbdLimit
{
    /// <summary>Σ w·ln L(r, α) over the patterns; adds Σ w·∂ln L/∂(r, α) into <paramref name="gradient"/>.</summary>
    public static double Evaluate(RepeatPatterns data, ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double r = theta[0], alpha = theta[1];
        var lnGammaR = SpecialFunctions.GammaLn(r);
        var psiR = SpecialFunctions.DiGamma(r);
        var lnAlpha = Math.Log(alpha);
        double ll = 0, gR = 0, gAlpha = 0;
        for (var i = 0; i < data.Count; i++)
        {
            double w = data.Weight[i], p = r + data.X[i], aT = alpha + data.T[i];
            var lnAT = Math.Log(aT);
            ll += w * (SpecialFunctions.GammaLn(p) - lnGammaR + (r * lnAlpha) - (p * lnAT));
            gR += w * (SpecialFunctions.DiGamma(p) - psiR + lnAlpha - lnAT);
            gAlpha += w * ((r / alpha) - (p / aT));
        }

        gradient[0] += gR;
        gradient[1] += gAlpha;
        return ll;
    }
}
