using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// The mathematics one purchase model supplies to <see cref="PurchaseModel{TModel, TParameters}"/>: its likelihood,
/// gradient and predictions as static functions of its parameters, and its fit. Arguments arrive checked (the
/// <c>Core</c> pattern: the public entry points on <see cref="PurchaseModel{TModel, TParameters}"/> validate them once
/// for every model). Times are in the model's unit.
/// </summary>
/// <typeparam name="TModel">The model.</typeparam>
/// <typeparam name="TParameters">Its parameters.</typeparam>
public interface IPurchaseModelMath<TModel, TParameters>
    where TModel : PurchaseModel<TModel, TParameters>, IPurchaseModelMath<TModel, TParameters>
    where TParameters : PurchaseParameters
{
    /// <summary>The model's name ("bgnbd", "paretonbd", "mbgnbd"), its name in messages, and its parameter names.</summary>
    internal static abstract PurchaseModelInfo Info { get; }

    /// <summary>Maximum-likelihood estimates, in the order of the parameter names, on weighted repeat patterns.</summary>
    internal static abstract FitResult FitPatterns(RepeatPatterns data, FitOptions options);

    /// <summary>The model at the (valid) estimates of <paramref name="fitResult"/>.</summary>
    internal static abstract TModel FromFit(FitResult fitResult);

    internal static abstract double LikelihoodLnCore(TParameters parameters, double x, double tx, double T, Span<double> gradient);

    internal static abstract double ExpectedPurchasesCore(TParameters parameters, double t);

    internal static abstract double ConditionalExpectedPurchasesCore(TParameters parameters, double t, double x, double tx, double T);

    /// <summary>
    /// The same number as <see cref="ConditionalExpectedPurchasesCore(TParameters, double, double, double, double)"/>,
    /// given P(alive | x, t_x, T): a model whose formula multiplies by P(alive) uses it instead of computing it again.
    /// </summary>
    internal static virtual double ConditionalExpectedPurchasesCore(TParameters parameters, double t, double x, double tx, double T, double probabilityAlive) =>
        TModel.ConditionalExpectedPurchasesCore(parameters, t, x, tx, T);

    internal static abstract double ExpectedPurchasesIfAliveCore(TParameters parameters, double t, double x, double T);

    internal static abstract double ProbabilityAliveCore(TParameters parameters, double x, double tx, double T);

    internal static abstract double ProbabilityOfPurchasesCore(TParameters parameters, int n, double t);
}

/// <summary>What names a purchase model: "bgnbd", its name in messages ("BG/NBD") and its parameter names.</summary>
internal sealed record PurchaseModelInfo(string Name, string DisplayName, IReadOnlyList<string> ParameterNames);
