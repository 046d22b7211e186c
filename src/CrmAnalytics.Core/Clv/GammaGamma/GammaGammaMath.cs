using MathNet.Numerics;

namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>
/// The closed forms of the Gamma-Gamma spend model for one customer with x repeat transactions of mean value z̄.
/// Parameters and arguments are assumed valid here; the public model checks them.
/// </summary>
/// <remarks>
/// Fader &amp; Hardie (2013), "The Gamma-Gamma model of monetary value" (brucehardie.com/notes/025): given ν the mean of
/// x values z ~ Gamma(p, ν) is z̄ ~ Gamma(px, νx); mixing over ν ~ Gamma(q, v) gives the marginal density of z̄ (eq. 3,
/// the likelihood; lifetimes' source calls its implementation "equivalent to equation (1a)") and a Gamma(px + q, v + x z̄)
/// posterior of ν, whose E[p/ν] is eq. 5. Fader, Hardie &amp; Lee (2005), "RFM and CLV", JMR 42(4), present the same
/// model with z̄ written m_x.
/// </remarks>
internal static class GammaGammaMath
{
    /// <summary>
    /// ln f(z̄ | p, q, v; x) = lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + (px−1) ln z̄ + px ln x − (px+q) ln(v + x z̄);
    /// adds ∂/∂(p, q, v) into <paramref name="gradient"/> when it is not empty.
    /// </summary>
    /// <remarks>
    /// Fader &amp; Hardie (2013) eq. 3, the density of the mean z̄ (hence the Jacobian factor x^(px) of the change from
    /// the sum x z̄ to the mean), exactly the expression lifetimes' GammaGammaFitter maximises. Gradient:
    /// ∂/∂p = x[ψ(px+q) − ψ(px) + ln z̄ + ln x − ln(v + x z̄)], ∂/∂q = ψ(px+q) − ψ(q) + ln v − ln(v + x z̄),
    /// ∂/∂v = q/v − (px+q)/(v + x z̄).
    /// </remarks>
    public static double LikelihoodLn(double p, double q, double v, double x, double meanValue, Span<double> gradient)
    {
        var px = p * x;
        var lnX = Math.Log(x);
        var lnZ = Math.Log(meanValue);
        var lnV = Math.Log(v);
        var lnSum = Math.Log(v + (x * meanValue));
        var ll = SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px) - SpecialFunctions.GammaLn(q)
            + (q * lnV) + ((px - 1) * lnZ) + (px * lnX) - ((px + q) * lnSum);
        if (!gradient.IsEmpty)
        {
            var psiPxq = SpecialFunctions.DiGamma(px + q);
            gradient[0] += x * (psiPxq - SpecialFunctions.DiGamma(px) + lnZ + lnX - lnSum);
            gradient[1] += psiPxq - SpecialFunctions.DiGamma(q) + lnV - lnSum;
            gradient[2] += (q / v) - ((px + q) / (v + (x * meanValue)));
        }

        return ll;
    }

    /// <summary>E[Z] = E[p/ν] = p·v/(q − 1), the population mean transaction value (q &gt; 1).</summary>
    /// <remarks>Fader &amp; Hardie (2013), the mean of the prior in eq. 5; infinite for q ≤ 1.</remarks>
    public static double PopulationMean(double p, double q, double v) => p * v / (q - 1);

    /// <summary>
    /// E[Z | x, z̄] = p(v + x z̄)/(px + q − 1) = (q−1)/(px+q−1) · pv/(q−1) + px/(px+q−1) · z̄, the population mean
    /// when x = 0.
    /// </summary>
    /// <remarks>
    /// Fader &amp; Hardie (2013) eq. 5: E[p/ν] under the Gamma(px + q, v + x z̄) posterior, a weighted average of the
    /// population mean and the customer's own mean that trusts z̄ more as x grows (lifetimes'
    /// conditional_expected_average_profit). Written in the first form, which needs only px + q &gt; 1.
    /// </remarks>
    public static double ConditionalExpectedAverageSpend(double p, double q, double v, double x, double meanValue) =>
        x == 0 ? PopulationMean(p, q, v) : p * (v + (x * meanValue)) / ((p * x) + q - 1);

    /// <summary>
    /// ∂ ln E[Z | x, z̄] / ∂(ln p, ln q, ln v), written into <paramref name="gradient"/> (length 3); x = 0 gives the
    /// population mean's.
    /// </summary>
    /// <remarks>
    /// From ln E = ln p + ln(v + x z̄) − ln(px + q − 1) (Fader &amp; Hardie 2013 eq. 5): 1 − px/(px + q − 1),
    /// −q/(px + q − 1) and v/(v + x z̄).
    /// </remarks>
    public static void ConditionalExpectedAverageSpendLogGradient(double p, double q, double v, double x, double meanValue, Span<double> gradient)
    {
        var denominator = (p * x) + q - 1;
        gradient[0] = 1 - (p * x / denominator);
        gradient[1] = -q / denominator;
        gradient[2] = v / (v + (x * meanValue));
    }
}
