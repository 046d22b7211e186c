using CrmAnalytics.Core.Clv.BgNbd;

namespace CrmAnalytics.Core.Clv.ModifiedBgNbd;

/// <summary>
/// The four parameters of the MBG/NBD model: transaction rates λ ~ Gamma(r, α) across customers, dropout
/// probabilities p ~ Beta(a, b), where a customer may drop out at time 0 as well as after each repeat purchase.
/// </summary>
/// <remarks>
/// Batislam, Denizel &amp; Filiztekin (2007), "Empirical validation and comparison of models for customer base analysis",
/// International Journal of Research in Marketing 24(3), 201–209; BTYDplus' MBG/CNBD-k with k = 1.
/// </remarks>
public sealed record ModifiedBgNbdParameters : BetaGeometricParameters
{
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite and positive.</exception>
    public ModifiedBgNbdParameters(double r, double alpha, double a, double b)
        : base("MBG/NBD", r, alpha, a, b)
    {
    }
}
