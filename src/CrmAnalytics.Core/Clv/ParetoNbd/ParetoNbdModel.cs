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
    /// <inheritdoc cref="PurchaseModel{TModel, TParameters}(TParameters, FitResult?)"/>
    public ParetoNbdModel(ParetoNbdParameters parameters, FitResult? fitResult = null)
        : base(parameters, fitResult)
    {
    }

    /// <summary>ln L of one customer; adds ∂ln L/∂(r, α, s, β) into <paramref name="gradient"/> (length 4, or empty).</summary>
    /// <remarks>
    /// FH05 §3, as a log-sum-exp of two positive terms (finite for any x and T), differentiated analytically; the ₂F₁ derivatives in its parameters come from the series
    /// differentiated term by term, or from the continued fraction in forward-mode automatic differentiation
    /// (<see cref="Numerics.UnitHypergeometric"/>).
    /// </remarks>
    /// <exception cref="ArithmeticException">max(α, β)/min(α, β) is so extreme (beyond about 10¹²) that ₂F₁ cannot be evaluated.</exception>
    static double IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.LikelihoodLnCore(ParetoNbdParameters parameters, double x, double tx, double T, Span<double> gradient) =>
        ParetoNbdFormulas.LikelihoodLn(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, x, tx, T, gradient);

    /// <summary>E[X(t)] = rβ/(α(s−1)) · [1 − (β/(β+t))^(s−1)]: expected repeat purchases in (0, t] of a customer acquired at 0.</summary>
    /// <remarks>FH05 §4; (rβ/α)·ln(1 + t/β) at s = 1.</remarks>
    static double IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.ExpectedPurchasesCore(ParetoNbdParameters parameters, double t) =>
        ParetoNbdFormulas.ExpectedPurchases(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, t);

    /// <summary>E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with history (x, t_x, T).</summary>
    /// <remarks>FH05 §6, Schmittlein, Morrison &amp; Colombo (1987).</remarks>
    /// <exception cref="ArithmeticException">max(α, β)/min(α, β) is so extreme (beyond about 10¹²) that ₂F₁ cannot be evaluated.</exception>
    static double IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.ConditionalExpectedPurchasesCore(ParetoNbdParameters parameters, double t, double x, double tx, double T) =>
        ParetoNbdFormulas.ConditionalExpectedPurchases(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, t, x, tx, T);

    /// <remarks>The product <see cref="ParetoNbdFormulas.ConditionalExpectedPurchases"/> forms, with the given P(alive).</remarks>
    static double IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.ConditionalExpectedPurchasesCore(ParetoNbdParameters parameters, double t, double x, double tx, double T, double probabilityAlive) =>
        t == 0 ? 0 : probabilityAlive * ParetoNbdFormulas.ExpectedPurchasesIfAlive(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, t, x, T);

    /// <summary>E[Y(t) | alive at T, x, T]: expected purchases in (T, T + t] of a customer known to be alive at T.</summary>
    /// <remarks>FH05 §6 without its P(alive) factor: E[X(t)] of §4 under the posterior (r+x, α+T, s, β+T).</remarks>
    static double IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.ExpectedPurchasesIfAliveCore(ParetoNbdParameters parameters, double t, double x, double T) =>
        ParetoNbdFormulas.ExpectedPurchasesIfAlive(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, t, x, T);

    /// <summary>P(alive | x, t_x, T) at the end of the observation window.</summary>
    /// <remarks>FH05 §5, formed from logarithms.</remarks>
    /// <exception cref="ArithmeticException">max(α, β)/min(α, β) is so extreme (beyond about 10¹²) that ₂F₁ cannot be evaluated.</exception>
    static double IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.ProbabilityAliveCore(ParetoNbdParameters parameters, double x, double tx, double T) =>
        ParetoNbdFormulas.ProbabilityAlive(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, x, tx, T);

    /// <summary>P(X(t) = n) for a customer acquired at 0.</summary>
    /// <remarks>Fader &amp; Hardie (2006, rev. 2020) §4, expanded in positive terms (<see cref="ParetoNbdFormulas.ProbabilityOfPurchases"/>).</remarks>
    /// <exception cref="ArithmeticException">max(α, β)/min(α, β) is so extreme (beyond about 10⁷) that the series does not converge.</exception>
    static double IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.ProbabilityOfPurchasesCore(ParetoNbdParameters parameters, int n, double t) =>
        ParetoNbdFormulas.ProbabilityOfPurchases(parameters.R, parameters.Alpha, parameters.S, parameters.Beta, n, t);

    static PurchaseModelInfo IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.Info { get; } = new("paretonbd", "Pareto/NBD", ParetoNbdFit.ParameterNames);

    /// <summary>Maximum-likelihood fit (FH05 §3) on weighted repeat patterns, with analytic gradients; the s → 0 boundary as in <see cref="ParetoNbdFit"/>.</summary>
    static FitResult IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.FitPatterns(RepeatPatterns data, FitOptions options) =>
        ParetoNbdFit.Run(data, options);

    static ParetoNbdModel IPurchaseModelMath<ParetoNbdModel, ParetoNbdParameters>.FromFit(FitResult fitResult) =>
        new(new(fitResult.Estimates[0], fitResult.Estimates[1], fitResult.Estimates[2], fitResult.Estimates[3]), fitResult);
}
