namespace CrmAnalytics.Core.Clv.BgNbd;

/// <summary>
/// The four parameters of the BG/NBD model: transaction rates λ ~ Gamma(r, α) across customers, dropout
/// probabilities p ~ Beta(a, b).
/// </summary>
/// <remarks>Fader, Hardie &amp; Lee (2005), "Counting your customers the easy way", Marketing Science 24(2), §3.</remarks>
public sealed record BgNbdParameters : BetaGeometricParameters
{
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite and positive.</exception>
    public BgNbdParameters(double r, double alpha, double a, double b)
        : base("BG/NBD", r, alpha, a, b)
    {
    }
}
