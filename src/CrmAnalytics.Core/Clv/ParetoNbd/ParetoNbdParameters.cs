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
public sealed record ParetoNbdParameters
{
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite and positive.</exception>
    public ParetoNbdParameters(double r, double alpha, double s, double beta)
    {
        if (!IsValidParameterSet(r, alpha, s, beta))
        {
            throw new ArgumentOutOfRangeException(nameof(r), $"Pareto/NBD parameters must be finite and positive (r={r}, alpha={alpha}, s={s}, beta={beta}).");
        }

        R = r;
        Alpha = alpha;
        S = s;
        Beta = beta;
    }

    /// <summary>r ∈ (0, ∞): shape of the Gamma distribution of transaction rates λ.</summary>
    public double R { get; }

    /// <summary>α ∈ (0, ∞): rate (inverse scale) of the Gamma distribution of λ, in the model's time unit; E[λ] = r/α.</summary>
    public double Alpha { get; }

    /// <summary>s ∈ (0, ∞): shape of the Gamma distribution of dropout rates μ (lifetimes are exponential given μ).</summary>
    public double S { get; }

    /// <summary>β ∈ (0, ∞): rate of the Gamma distribution of μ, in the model's time unit; E[μ] = s/β.</summary>
    public double Beta { get; }

    /// <summary>True when every parameter is finite and strictly positive.</summary>
    public static bool IsValidParameterSet(double r, double alpha, double s, double beta) =>
        IsPositive(r) && IsPositive(alpha) && IsPositive(s) && IsPositive(beta);

    private static bool IsPositive(double v) => v > 0 && double.IsFinite(v);
}
