using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.BgNbd;

/// <summary>
/// The BG/NBD purchase model: while alive a customer buys as a Poisson process with rate λ ~ Gamma(r, α) and drops
/// out after each repeat purchase with probability p ~ Beta(a, b).
/// </summary>
/// <remarks>
/// Fader, Hardie &amp; Lee (2005), "Counting your customers the easy way: an alternative to the Pareto/NBD model",
/// Marketing Science 24(2), 275–284; Fader, Hardie &amp; Lee (2008), "Computing P(alive) using the BG/NBD model".
/// Conventions (x = repeat purchases, t_x, T in the patterns' time unit) follow lifetimes' BetaGeoFitter.
/// </remarks>
public sealed class BgNbdModel : PurchaseModel<BgNbdModel, BgNbdParameters>, IPurchaseModelMath<BgNbdModel, BgNbdParameters>
{
    /// <inheritdoc cref="PurchaseModel{TModel, TParameters}(TParameters, FitResult?)"/>
    public BgNbdModel(BgNbdParameters parameters, FitResult? fitResult = null)
        : base(parameters, fitResult)
    {
    }

    /// <summary>ln L of one customer; adds ∂ln L/∂(r, α, a, b) into <paramref name="gradient"/> (length 4).</summary>
    /// <remarks>Fader, Hardie &amp; Lee (2005) eq. 6, combined in log space (log-sum-exp), finite for any x; differentiated analytically.</remarks>
    static double IPurchaseModelMath<BgNbdModel, BgNbdParameters>.LikelihoodLnCore(BgNbdParameters parameters, double x, double tx, double T, Span<double> gradient) =>
        BetaGeometric.LikelihoodLn(parameters.R, parameters.Alpha, parameters.A, parameters.B, x, tx, T, 0, gradient);

    /// <summary>E[X(t)]: expected repeat purchases in (0, t] of a customer acquired at 0.</summary>
    /// <remarks>Fader, Hardie &amp; Lee (2005) eq. 9, with a series for ₂F₁(r, b; a+b−1; t/(α+t)).</remarks>
    static double IPurchaseModelMath<BgNbdModel, BgNbdParameters>.ExpectedPurchasesCore(BgNbdParameters parameters, double t) =>
        BetaGeometric.ExpectedPurchases(parameters.R, parameters.Alpha, parameters.A, parameters.B, t);

    /// <summary>E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with history (x, t_x, T).</summary>
    /// <remarks>Fader, Hardie &amp; Lee (2005) eq. 10.</remarks>
    static double IPurchaseModelMath<BgNbdModel, BgNbdParameters>.ConditionalExpectedPurchasesCore(BgNbdParameters parameters, double t, double x, double tx, double T) =>
        BetaGeometric.ConditionalExpectedPurchases(parameters.R, parameters.Alpha, parameters.A, parameters.B, t, x, tx, T, 0);

    /// <summary>E[Y(t) | alive at T, x, T]: E[X(t)] under the posterior (r+x, α+T, a, b+x) of an alive customer.</summary>
    /// <remarks>The numerator of Fader, Hardie &amp; Lee (2005) eq. 10; times P(alive) it is E[Y(t) | x, t_x, T].</remarks>
    static double IPurchaseModelMath<BgNbdModel, BgNbdParameters>.ExpectedPurchasesIfAliveCore(BgNbdParameters parameters, double t, double x, double T) =>
        t == 0 ? 0 : BetaGeometric.ExpectedPurchases(parameters.R + x, parameters.Alpha + T, parameters.A, parameters.B + x + 0, t);

    /// <summary>P(alive | x, t_x, T) = 1 / (1 + [x &gt; 0] · a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)).</summary>
    /// <remarks>Fader, Hardie &amp; Lee (2008), "Computing P(alive) using the BG/NBD model".</remarks>
    static double IPurchaseModelMath<BgNbdModel, BgNbdParameters>.ProbabilityAliveCore(BgNbdParameters parameters, double x, double tx, double T) =>
        BetaGeometric.ProbabilityAlive(parameters.R, parameters.Alpha, parameters.A, parameters.B, x, tx, T, 0);

    /// <summary>P(X(t) = n) for a customer acquired at 0.</summary>
    /// <remarks>Fader, Hardie &amp; Lee (2005) eq. 8.</remarks>
    static double IPurchaseModelMath<BgNbdModel, BgNbdParameters>.ProbabilityOfPurchasesCore(BgNbdParameters parameters, int n, double t) =>
        BetaGeometric.ProbabilityOfPurchases(parameters.R, parameters.Alpha, parameters.A, parameters.B, n, t, 0);

    static PurchaseModelInfo IPurchaseModelMath<BgNbdModel, BgNbdParameters>.Info { get; } = new("bgnbd", "BG/NBD", BetaGeometricFit.ParameterNames);

    /// <summary>Maximum-likelihood fit (Fader, Hardie &amp; Lee 2005 eq. 6) on weighted repeat patterns.</summary>
    static FitResult IPurchaseModelMath<BgNbdModel, BgNbdParameters>.FitPatterns(RepeatPatterns data, FitOptions options) =>
        BetaGeometricFit.Run("bgnbd", data, shift: 0, options);

    static BgNbdModel IPurchaseModelMath<BgNbdModel, BgNbdParameters>.FromFit(FitResult fitResult) =>
        new(new(fitResult.Estimates[0], fitResult.Estimates[1], fitResult.Estimates[2], fitResult.Estimates[3]), fitResult);
}
