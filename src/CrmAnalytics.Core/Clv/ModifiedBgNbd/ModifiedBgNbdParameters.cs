namespace CrmAnalytics.Core.Clv.ModifiedBgNbd;

/// <summary>
/// The four parameters of the MBG/NBD model: transaction rates λ ~ Gamma(r, α) across customers, dropout
/// probabilities p ~ Beta(a, b), where a customer may drop out at time 0 as well as after each repeat purchase.
/// </summary>
/// <remarks>
/// Batislam, Denizel &amp; Filiztekin (2007), "Empirical validation and comparison of models for customer base analysis",
/// International Journal of Research in Marketing 24(3), 201–209; BTYDplus' MBG/CNBD-k with k = 1.
/// </remarks>
public sealed record ModifiedBgNbdParameters
{
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not finite and positive.</exception>
    public ModifiedBgNbdParameters(double r, double alpha, double a, double b)
    {
        if (!IsValidParameterSet(r, alpha, a, b))
        {
            throw new ArgumentOutOfRangeException(nameof(r), $"MBG/NBD parameters must be finite and positive (r={r}, alpha={alpha}, a={a}, b={b}).");
        }

        R = r;
        Alpha = alpha;
        A = a;
        B = b;
    }

    /// <summary>r ∈ (0, ∞): shape of the Gamma distribution of transaction rates λ.</summary>
    public double R { get; }

    /// <summary>α ∈ (0, ∞): rate (inverse scale) of the Gamma distribution of λ, in the model's time unit; E[λ] = r/α.</summary>
    public double Alpha { get; }

    /// <summary>a ∈ (0, ∞): first shape of the Beta distribution of dropout probabilities p; E[p] = a/(a + b).</summary>
    public double A { get; }

    /// <summary>b ∈ (0, ∞): second shape of the Beta distribution of p.</summary>
    public double B { get; }

    /// <summary>True when every parameter is finite and strictly positive.</summary>
    public static bool IsValidParameterSet(double r, double alpha, double a, double b) =>
        IsPositive(r) && IsPositive(alpha) && IsPositive(a) && IsPositive(b);

    private static bool IsPositive(double v) => v > 0 && double.IsFinite(v);
}
