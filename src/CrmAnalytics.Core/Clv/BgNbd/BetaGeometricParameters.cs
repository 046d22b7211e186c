namespace CrmAnalytics.Core.Clv.BgNbd;

/// <summary>
/// The parameters of the beta-geometric purchase models (BG/NBD, MBG/NBD): transaction rates λ ~ Gamma(r, α) across
/// customers, dropout probabilities p ~ Beta(a, b).
/// </summary>
/// <remarks>Fader, Hardie &amp; Lee (2005), "Counting your customers the easy way", Marketing Science 24(2), §3.</remarks>
public abstract record BetaGeometricParameters : PurchaseParameters
{
    private protected BetaGeometricParameters(string model, double r, double alpha, double a, double b)
        : base(model, r, alpha, ("a", a), ("b", b))
    {
    }

    /// <summary>a ∈ (0, ∞): first shape of the Beta distribution of dropout probabilities p; E[p] = a/(a + b).</summary>
    public double A => Third;

    /// <summary>b ∈ (0, ∞): second shape of the Beta distribution of p.</summary>
    public double B => Fourth;
}
