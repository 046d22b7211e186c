namespace CrmAnalytics.Core.Clv.ParetoNbd;

/// <summary>
/// The four parameters of the Pareto/NBD model: transaction rates λ ~ Gamma(r, α) and dropout rates μ ~ Gamma(s, β)
/// across customers, independent of each other.
/// </summary>
/// <remarks>
/// Schmittlein, Morrison &amp; Colombo (1987), "Counting your customers: who are they and what will they do next?",
/// Management Science 33(1), 1–24; Fader &amp; Hardie (2005), "A note on deriving the Pareto/NBD model and related
/// expressions", §1.
/// </remarks>
public sealed record ParetoNbdParameters : PurchaseParameters
{
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite and positive.</exception>
    public ParetoNbdParameters(double r, double alpha, double s, double beta)
        : base("Pareto/NBD", r, alpha, ("s", s), ("beta", beta))
    {
    }

    /// <summary>s ∈ (0, ∞): shape of the Gamma distribution of dropout rates μ (lifetimes are exponential given μ).</summary>
    public double S => Third;

    /// <summary>β ∈ (0, ∞): rate of the Gamma distribution of μ, in the model's time unit; E[μ] = s/β.</summary>
    public double Beta => Fourth;
}
