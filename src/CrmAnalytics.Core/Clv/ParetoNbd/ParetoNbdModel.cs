using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.ParetoNbd;

/// <summary>
/// The Pareto/NBD purchase model: while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α), and
/// stays alive for an exponential lifetime with rate μ ~ Gamma(s, β) (a Pareto of the second kind across customers).
/// </summary>
/// <remarks>
/// Schmittlein, Morrison &amp; Colombo (1987), "Counting your customers: who are they and what will they do next?",
/// Management Science 33(1), 1–24; Fader &amp; Hardie (2005), "A note on deriving the Pareto/NBD model and related
/// expressions" (FH05); Fader &amp; Hardie (2006, rev. 2020), "Deriving an expression for P(X(t) = x) under the
/// Pareto/NBD model". Conventions (x = repeat purchases, t_x, T in the patterns' time unit) follow lifetimes'
/// ParetoNBDFitter and CLVTools' pnbd. Numerics: <see cref="ParetoNbdFormulas"/>.
/// </remarks>
public sealed class ParetoNbdModel : PurchaseModel<ParetoNbdModel, ParetoNbdParameters>, IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>
{
    /// <summary>A model with known parameters, e.g. published estimates or a stored fit.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="fitResult">The fit the parameters came from, if any.</param>
    public ParetoNbdModel(ParetoNbdParameters parameters, FitResult? fitResult = null)
        : base(parameters, fitResult)
    {
    }

    static string IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.ModelName => "paretonbd";

    static string IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.DisplayName => "Pareto/NBD";

    /// <summary>Maximum-likelihood fit (FH05 §3) on weighted repeat patterns, with analytic gradients; the s → 0 boundary as in <see cref="ParetoNbdFit"/>.</summary>
    static FitResult IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.FitPatterns(RepeatPatterns data, FitOptions options) =>
        ParetoNbdFit.Run(data, options);

    static ParetoNbdModel IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.FromFit(FitResult fitResult)
    {
        var e = fitResult.Estimates;
        return new ParetoNbdModel(new ParetoNbdParameters(e[0], e[1], e[2], e[3]), fitResult);
    }

    /// <summary>ln L of one customer; adds ∂ln L/∂(r, α, s, β) into <paramref name="gradient"/> (length 4, or empty).</summary>
    /// <remarks>
    /// FH05 §3, as a log-sum-exp of two positive terms (finite for any x and T), differentiated analytically; the ₂F₁ derivatives in its parameters come from the series
    /// differentiated term by term, or from the continued fraction in forward-mode automatic differentiation
    /// (<see cref="Numerics.UnitHypergeometric"/>).
    /// </remarks>
    /// <exception cref="ArithmeticException">max(α, β)/min(α, β) is so extreme (beyond about 10¹²) that ₂F₁ cannot be evaluated.</exception>
    public static double LikelihoodLn(ParetoNbdParameters parameters, double x, double tx, double T, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckHistory(x, tx, T);
        if (!gradient.IsEmpty && gradient.Length != 4)
        {
            throw new ArgumentException("The gradient span must be empty or hold 4 values (r, alpha, s, beta).", nameof(gradient));
        }

        return ParetoNbdFormulas.LikelihoodLn(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, x, tx, T, gradient);
    }

    /// <summary>E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]: expected repeat purchases in (0, t] of a customer acquired at 0.</summary>
    /// <remarks>FH05 §4; (rβ/α)·ln(1 + t/β) at s = 1.</remarks>
    public static double ExpectedPurchases(ParetoNbdParameters parameters, double t)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckTime(t);
        return ParetoNbdFormulas.ExpectedPurchases(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, t);
    }

    /// <summary>E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with history (x, t_x, T).</summary>
    /// <remarks>FH05 §6, Schmittlein, Morrison &amp; Colombo (1987).</remarks>
    /// <exception cref="ArithmeticException">max(α, β)/min(α, β) is so extreme (beyond about 10¹²) that ₂F₁ cannot be evaluated.</exception>
    public static double ConditionalExpectedPurchases(ParetoNbdParameters parameters, double t, double x, double tx, double T)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckTime(t);
        PurchaseArguments.CheckHistory(x, tx, T);
        return ParetoNbdFormulas.ConditionalExpectedPurchases(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, t, x, tx, T);
    }

    /// <summary>E[Y(t) | alive at T, x, T]: expected purchases in (T, T + t] of a customer known to be alive at T.</summary>
    /// <remarks>FH05 §6 without its P(alive) factor: E[X(t)] of §4 under the posterior (r+x, α+T, s, β+T).</remarks>
    public static double ExpectedPurchasesIfAlive(ParetoNbdParameters parameters, double t, double x, double T)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckTime(t);
        PurchaseArguments.CheckHistory(x, 0, T);
        return ParetoNbdFormulas.ExpectedPurchasesIfAlive(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, t, x, T);
    }

    /// <summary>P(alive | x, t_x, T) at the end of the observation window.</summary>
    /// <remarks>FH05 §5, formed from logarithms.</remarks>
    /// <exception cref="ArithmeticException">max(α, β)/min(α, β) is so extreme (beyond about 10¹²) that ₂F₁ cannot be evaluated.</exception>
    public static double ProbabilityAlive(ParetoNbdParameters parameters, double x, double tx, double T)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckHistory(x, tx, T);
        return ParetoNbdFormulas.ProbabilityAlive(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, x, tx, T);
    }

    /// <summary>P(X(t) = n) for a customer acquired at 0.</summary>
    /// <remarks>Fader &amp; Hardie (2006, rev. 2020) §4, expanded in positive terms (<see cref="ParetoNbdFormulas.ProbabilityOfPurchases"/>).</remarks>
    /// <exception cref="ArithmeticException">max(α, β)/min(α, β) is so extreme (beyond about 10⁷) that the series does not converge.</exception>
    public static double ProbabilityOfPurchases(ParetoNbdParameters parameters, int n, double t)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        PurchaseArguments.CheckTime(t);
        return ParetoNbdFormulas.ProbabilityOfPurchases(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, n, t);
    }
}
