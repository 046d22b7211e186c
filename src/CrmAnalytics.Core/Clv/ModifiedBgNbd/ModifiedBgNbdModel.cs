using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv.ModifiedBgNbd;

/// <summary>
/// The MBG/NBD purchase model: as BG/NBD (purchases at rate λ ~ Gamma(r, α) while alive, dropout with probability
/// p ~ Beta(a, b) after each repeat purchase), except that a customer may also drop out at time 0, right after the
/// first purchase, so a customer without repeat purchases is not certainly alive.
/// </summary>
/// <remarks>
/// Batislam, Denizel &amp; Filiztekin (2007), "Empirical validation and comparison of models for customer base
/// analysis", International Journal of Research in Marketing 24(3), 201–209; Wagner &amp; Hoppe (2008), "Erratum on
/// the MBG/NBD model", IJRM 25(3); BTYDplus' mbgcnbd with k = 1 and lifetimes' ModifiedBetaGeoFitter.
/// </remarks>
public sealed class ModifiedBgNbdModel : PurchaseModel<ModifiedBgNbdModel, ModifiedBgNbdParameters>, IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>
{
    internal const int Shift = 1;

    /// <inheritdoc cref="PurchaseModel{TModel, TParameters}(TParameters, FitResult?)"/>
    public ModifiedBgNbdModel(ModifiedBgNbdParameters parameters, FitResult? fitResult = null)
        : base(parameters, fitResult)
    {
    }

    /// <summary>ln L of one customer; adds ∂ln L/∂(r, α, a, b) into <paramref name="gradient"/> (length 4).</summary>
    /// <remarks>
    /// Batislam et al. (2007), the MBG/NBD likelihood: B(a, b+x+1)/B(a, b) · Γ(r+x)α^r/(Γ(r)(α+T)^(r+x)) + B(a+1, b+x)/B(a, b) ·
    /// Γ(r+x)α^r/(Γ(r)(α+t_x)^(r+x)), the second term present for every x; combined in log space, differentiated analytically.
    /// </remarks>
    static double IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>.LikelihoodLnCore(ModifiedBgNbdParameters parameters, double x, double tx, double T, Span<double> gradient) =>
        BetaGeometric.LikelihoodLn(parameters.R, parameters.Alpha, parameters.A, parameters.B, x, tx, T, Shift, gradient);

    /// <summary>E[X(t)] = b/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b+1; a+b; t/(α+t))].</summary>
    /// <remarks>
    /// Batislam et al. (2007): with probability b/(a+b) the customer survives time 0, after which p | survival ~
    /// Beta(a, b+1) and the BG/NBD expectation (Fader, Hardie &amp; Lee 2005 eq. 9) applies.
    /// </remarks>
    static double IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>.ExpectedPurchasesCore(ModifiedBgNbdParameters parameters, double t)
    {
        var (r, alpha, a, b) = (parameters.R, parameters.Alpha, parameters.A, parameters.B);
        return b / (a + b) * BetaGeometric.ExpectedPurchases(r, alpha, a, b + 1, t);
    }

    /// <summary>E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with history (x, t_x, T).</summary>
    /// <remarks>
    /// Batislam et al. (2007), as corrected by Wagner &amp; Hoppe (2008): (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
    /// ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive | x, t_x, T).
    /// </remarks>
    static double IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>.ConditionalExpectedPurchasesCore(ModifiedBgNbdParameters parameters, double t, double x, double tx, double T) =>
        BetaGeometric.ConditionalExpectedPurchases(parameters.R, parameters.Alpha, parameters.A, parameters.B, t, x, tx, T, Shift);

    /// <summary>E[Y(t) | alive at T, x, T]: E[X(t)] under the posterior (r+x, α+T, a, b+x+1) of an alive customer.</summary>
    /// <remarks>The numerator of Fader, Hardie &amp; Lee (2005) eq. 10 (Batislam et al. 2007 for MBG/NBD); times P(alive) it is E[Y(t) | x, t_x, T].</remarks>
    static double IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>.ExpectedPurchasesIfAliveCore(ModifiedBgNbdParameters parameters, double t, double x, double T) =>
        t == 0 ? 0 : BetaGeometric.ExpectedPurchases(parameters.R + x, parameters.Alpha + T, parameters.A, parameters.B + x + 1, t);

    /// <summary>P(alive | x, t_x, T) = 1 / (1 + a/(b+x) · ((α+T)/(α+t_x))^(r+x)), below 1 even when x = 0.</summary>
    /// <remarks>Batislam et al. (2007) appendix A eq. (5).</remarks>
    static double IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>.ProbabilityAliveCore(ModifiedBgNbdParameters parameters, double x, double tx, double T) =>
        BetaGeometric.ProbabilityAlive(parameters.R, parameters.Alpha, parameters.A, parameters.B, x, tx, T, Shift);

    /// <summary>P(X(t) = n) for a customer acquired at 0.</summary>
    /// <remarks>
    /// B(a, b+n+1)/B(a, b) · NB(n; r, α/(α+t)) + B(a+1, b+n)/B(a, b) · P(NB ≥ n): the BG/NBD mixture of Fader, Hardie
    /// &amp; Lee (2005) eq. 8 with the extra dropout at time 0, as in lifetimes' ModifiedBetaGeoFitter.
    /// </remarks>
    static double IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>.ProbabilityOfPurchasesCore(ModifiedBgNbdParameters parameters, int n, double t) =>
        BetaGeometric.ProbabilityOfPurchases(parameters.R, parameters.Alpha, parameters.A, parameters.B, n, t, Shift);

    static PurchaseModelInfo IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>.Info { get; } = new("mbgnbd", "MBG/NBD", BetaGeometricFit.ParameterNames);

    /// <summary>Maximum-likelihood fit of the MBG/NBD likelihood (Batislam et al. 2007) on weighted repeat patterns.</summary>
    static FitResult IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>.FitPatterns(RepeatPatterns data, FitOptions options) =>
        BetaGeometricFit.Run("mbgnbd", data, Shift, options);

    static ModifiedBgNbdModel IPurchaseModelMath<ModifiedBgNbdModel, ModifiedBgNbdParameters>.FromFit(FitResult fitResult) =>
        new(new(fitResult.Estimates[0], fitResult.Estimates[1], fitResult.Estimates[2], fitResult.Estimates[3]), fitResult);
}
