using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// What the purchase models (BG/NBD, Pareto/NBD, MBG/NBD) share: parameters, the fit they came from, the fit entry
/// point, the argument checks and the <see cref="IPurchaseModel"/> members. Each model holds only its mathematics
/// (<see cref="IPurchaseModelMath{TModel, TParameters}"/>), with the papers' equations cited there.
/// </summary>
/// <typeparam name="TModel">The model.</typeparam>
/// <typeparam name="TParameters">Its parameters.</typeparam>
public abstract class PurchaseModel<TModel, TParameters> : IPurchaseModel, IReparameterizable
    where TModel : PurchaseModel<TModel, TParameters>, IPurchaseModelMath<TModel, TParameters>
    where TParameters : PurchaseParameters
{
    /// <summary>A model with known parameters, e.g. published estimates or a stored fit.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="fitResult">The fit the parameters came from, if any.</param>
    private protected PurchaseModel(TParameters parameters, FitResult? fitResult)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        FitResult = fitResult;
    }

    public string Name => TModel.Info.Name;

    public TParameters Parameters { get; }

    /// <summary>The maximum-likelihood fit behind <see cref="Parameters"/>; null for a model built from known parameters.</summary>
    public FitResult? FitResult { get; }

    FitResult IPurchaseModel.Fit => FitResult ?? throw new InvalidOperationException($"This {TModel.Info.DisplayName} model was built from known parameters, not fitted.");

    /// <summary>Maximum-likelihood fit of the model's likelihood on weighted repeat patterns.</summary>
    /// <exception cref="ModelFitException">The optimizer did not converge or ended at non-finite values.</exception>
    public static TModel Fit(RepeatPatterns data, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = TModel.FitPatterns(data, options ?? new FitOptions());
        var e = result.Estimates;
        if (!PurchaseParameters.IsValidParameterSet(e[0], e[1], e[2], e[3]))
        {
            throw new ModelFitException($"{TModel.Info.Name}: the fit ended at invalid parameters ({string.Join(", ", e)}).");
        }

        return TModel.FromFit(result);
    }

    /// <summary>ln L(θ | x, t_x, T): one customer's log-likelihood, combined in log space, finite for any x.</summary>
    public static double LikelihoodLn(TParameters parameters, double x, double tx, double T) =>
        LikelihoodLn(parameters, x, tx, T, []);

    /// <summary>ln L of one customer; adds ∂ln L/∂θ into <paramref name="gradient"/> (length 4, or empty).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not x ≥ 0 and 0 ≤ t_x ≤ T, all finite.</exception>
    public static double LikelihoodLn(TParameters parameters, double x, double tx, double T, Span<double> gradient)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckHistory(x, tx, T);
        PurchaseArguments.CheckGradient(gradient, TModel.Info.ParameterNames);
        return TModel.LikelihoodLnCore(parameters, x, tx, T, gradient);
    }

    /// <summary>E[X(t)]: expected repeat purchases in (0, t] of a customer acquired at 0.</summary>
    public static double ExpectedPurchases(TParameters parameters, double t)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckTime(t);
        return TModel.ExpectedPurchasesCore(parameters, t);
    }

    /// <summary>E[Y(t) | x, t_x, T]: expected purchases in (T, T + t] of a customer with history (x, t_x, T).</summary>
    public static double ConditionalExpectedPurchases(TParameters parameters, double t, double x, double tx, double T)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckTime(t);
        PurchaseArguments.CheckHistory(x, tx, T);
        return TModel.ConditionalExpectedPurchasesCore(parameters, t, x, tx, T);
    }

    /// <summary>E[Y(t) | alive at T, x, T]: expected purchases in (T, T + t] of a customer known to be alive at T.</summary>
    public static double ExpectedPurchasesIfAlive(TParameters parameters, double t, double x, double T)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckTime(t);
        PurchaseArguments.CheckHistory(x, 0, T);
        return TModel.ExpectedPurchasesIfAliveCore(parameters, t, x, T);
    }

    /// <summary>P(alive | x, t_x, T) at the end of the observation window.</summary>
    public static double ProbabilityAlive(TParameters parameters, double x, double tx, double T)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        PurchaseArguments.CheckHistory(x, tx, T);
        return TModel.ProbabilityAliveCore(parameters, x, tx, T);
    }

    /// <summary>P(X(t) = n) for a customer acquired at 0.</summary>
    public static double ProbabilityOfPurchases(TParameters parameters, int n, double t)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        PurchaseArguments.CheckTime(t);
        return TModel.ProbabilityOfPurchasesCore(parameters, n, t);
    }

    /// <summary>The same model at other estimates (r, α, third, fourth), with this model's fit record; for the prediction intervals.</summary>
    IPurchaseModel IReparameterizable.At(double[] estimates) => TModel.FromFit((FitResult ?? Placeholder) with { Estimates = estimates });

    private static FitResult Placeholder => new(TModel.Info.ParameterNames, [], [], 0, 0, string.Empty, string.Empty, 0, 0, 0);

    public double ExpectedPurchases(double t) => ExpectedPurchases(Parameters, t);

    public double ConditionalExpectedPurchases(double t, double x, double tx, double T) => ConditionalExpectedPurchases(Parameters, t, x, tx, T);

    public double ConditionalExpectedPurchases(double t, double x, double tx, double T, double probabilityAlive)
    {
        PurchaseArguments.CheckTime(t);
        PurchaseArguments.CheckHistory(x, tx, T);
        return TModel.ConditionalExpectedPurchasesCore(Parameters, t, x, tx, T, probabilityAlive);
    }

    public double ExpectedPurchasesIfAlive(double t, double x, double T) => ExpectedPurchasesIfAlive(Parameters, t, x, T);

    public double ProbabilityAlive(double x, double tx, double T) => ProbabilityAlive(Parameters, x, tx, T);

    public double ProbabilityOfPurchases(int n, double t) => ProbabilityOfPurchases(Parameters, n, t);
}

/// <summary>A purchase model that can be rebuilt at other parameter values (prediction intervals differentiate through it).</summary>
internal interface IReparameterizable
{
    /// <summary>The model at <paramref name="estimates"/>, in the order of its parameter names; all finite and positive.</summary>
    IPurchaseModel At(double[] estimates);
}
