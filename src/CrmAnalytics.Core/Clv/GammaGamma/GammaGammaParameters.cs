namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>
/// The three parameters of the Gamma-Gamma spend model: a customer's transaction values are Gamma(p, ν) with mean
/// p/ν, and the rate ν varies across customers as Gamma(q, v).
/// </summary>
/// <remarks>
/// Fader, Hardie &amp; Lee (2005), "RFM and CLV: Using iso-value curves for customer base analysis", Journal of
/// Marketing Research 42(4), 415–430, §"Adding monetary value"; Fader &amp; Hardie (2013), "The Gamma-Gamma model of
/// monetary value" (brucehardie.com/notes/025), whose γ is lifetimes' (and this record's) v. Any positive finite
/// triple is a valid parameter set; the population mean p·v/(q − 1) is finite only when q &gt; 1, which
/// <see cref="GammaGammaModel"/> requires.
/// </remarks>
public sealed record GammaGammaParameters
{
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite and positive.</exception>
    public GammaGammaParameters(double p, double q, double v)
    {
        if (!IsValidParameterSet(p, q, v))
        {
            throw new ArgumentOutOfRangeException(nameof(p), $"Gamma-Gamma parameters must be finite and positive (p={p}, q={q}, v={v}).");
        }

        P = p;
        Q = q;
        V = v;
    }

    /// <summary>p ∈ (0, ∞): shape of the Gamma distribution of one customer's transaction values, z ~ Gamma(p, ν).</summary>
    public double P { get; }

    /// <summary>
    /// q ∈ (0, ∞): shape of the Gamma distribution of the rate ν across customers. The population mean spend
    /// p·v/(q − 1) exists only for q &gt; 1.
    /// </summary>
    public double Q { get; }

    /// <summary>v ∈ (0, ∞) (γ in Fader &amp; Hardie): rate of the Gamma distribution of ν, in currency units.</summary>
    public double V { get; }

    /// <summary>True when every parameter is finite and strictly positive.</summary>
    public static bool IsValidParameterSet(double p, double q, double v) => IsPositive(p) && IsPositive(q) && IsPositive(v);

    private static bool IsPositive(double value) => value > 0 && double.IsFinite(value);
}
