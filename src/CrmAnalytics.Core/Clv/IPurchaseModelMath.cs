using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// The mathematics one purchase model supplies to <see cref="PurchaseModel{TModel, TParameters}"/>: its likelihood,
/// gradient and predictions as static functions of its parameters, and how it is fitted. Times are in the model's unit.
/// </summary>
/// <typeparam name="TModel">The model.</typeparam>
/// <typeparam name="TParameters">Its parameters.</typeparam>
public interface IPurchaseModelMath<TModel, TParameters>
    where TModel : PurchaseModel<TModel, TParameters>, IPurchaseModelMath<TModel, TParameters>
    where TParameters : PurchaseParameters
{
    /// <summary>"bgnbd", "paretonbd" or "mbgnbd".</summary>
    static abstract string ModelName { get; }

    /// <summary>"BG/NBD", "Pareto/NBD" or "MBG/NBD", for messages.</summary>
    static abstract string DisplayName { get; }

    /// <summary>Maximum-likelihood estimates (r, α and the two dropout parameters) on weighted repeat patterns.</summary>
    static abstract FitResult FitPatterns(RepeatPatterns data, FitOptions options);

    /// <summary>The model at valid estimates (r, α and the two dropout parameters) of <paramref name="fitResult"/>.</summary>
    static abstract TModel FromFit(FitResult fitResult);

    /// <summary>ln L of one customer; adds ∂ln L/∂θ into <paramref name="gradient"/> (length 4, or empty).</summary>
    static abstract double LikelihoodLn(TParameters parameters, double x, double tx, double T, Span<double> gradient);

    /// <summary>E[X(t)]: expected repeat purchases in (0, t] of a customer acquired at 0.</summary>
    static abstract double ExpectedPurchases(TParameters parameters, double t);

    /// <summary>E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with history (x, t_x, T).</summary>
    static abstract double ConditionalExpectedPurchases(TParameters parameters, double t, double x, double tx, double T);

    /// <summary>E[Y(t) | alive at T, x, T]: expected purchases in (T, T + t] of a customer known to be alive at T.</summary>
    static abstract double ExpectedPurchasesIfAlive(TParameters parameters, double t, double x, double T);

    /// <summary>P(alive | x, t_x, T) at the end of the observation window.</summary>
    static abstract double ProbabilityAlive(TParameters parameters, double x, double tx, double T);

    /// <summary>P(X(t) = n) for a customer acquired at 0.</summary>
    static abstract double ProbabilityOfPurchases(TParameters parameters, int n, double t);
}
