namespace CrmAnalytics.Core.Clv;

/// <summary>
/// The four parameters shared by the purchase models: transaction rates λ ~ Gamma(r, α) across customers, and two
/// shapes of the dropout process, which each model names after its paper.
/// </summary>
/// <remarks>
/// Fader, Hardie &amp; Lee (2005), "Counting your customers the easy way", Marketing Science 24(2), §3; Schmittlein,
/// Morrison &amp; Colombo (1987), Management Science 33(1).
/// </remarks>
public abstract record PurchaseParameters
{
    private protected PurchaseParameters(string model, double r, double alpha, (string Name, double Value) third, (string Name, double Value) fourth)
    {
        if (!IsValidParameterSet(r, alpha, third.Value, fourth.Value))
        {
            throw new ArgumentOutOfRangeException(nameof(r), $"{model} parameters must be finite and positive (r={r}, alpha={alpha}, {third.Name}={third.Value}, {fourth.Name}={fourth.Value}).");
        }

        R = r;
        Alpha = alpha;
        Third = third.Value;
        Fourth = fourth.Value;
    }

    /// <summary>r ∈ (0, ∞): shape of the Gamma distribution of transaction rates λ.</summary>
    public double R { get; }

    /// <summary>α ∈ (0, ∞): rate (inverse scale) of the Gamma distribution of λ, in the model's time unit; E[λ] = r/α.</summary>
    public double Alpha { get; }

    /// <summary>The first dropout parameter (a of BG/NBD, s of Pareto/NBD).</summary>
    private protected double Third { get; }

    /// <summary>The second dropout parameter (b of BG/NBD, β of Pareto/NBD).</summary>
    private protected double Fourth { get; }

    /// <summary>(r, α, third, fourth), in the order of the fit's estimates.</summary>
    internal double[] ToArray() => [R, Alpha, Third, Fourth];

    /// <summary>True when every parameter is finite and strictly positive.</summary>
    public static bool IsValidParameterSet(double r, double alpha, double third, double fourth) =>
        IsPositive(r) && IsPositive(alpha) && IsPositive(third) && IsPositive(fourth);

    private static bool IsPositive(double v) => v > 0 && double.IsFinite(v);
}
