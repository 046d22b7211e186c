using CrmAnalytics.Core.Clv.Fitting;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// What the purchase models (BG/NBD, Pareto/NBD, MBG/NBD) share: parameters, the fit they came from, the fit entry
/// point and the <see cref="IPurchaseModel"/> members. Each model holds only its mathematics
/// (<see cref="IPurchaseModelMath{TModel, TParameters}"/>).
/// </summary>
/// <typeparam name="TModel">The model.</typeparam>
/// <typeparam name="TParameters">Its parameters.</typeparam>
public abstract class PurchaseModel<TModel, TParameters> : IPurchaseModel
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

    public string Name => TModel.ModelName;

    public TParameters Parameters { get; }

    /// <summary>The maximum-likelihood fit behind <see cref="Parameters"/>; null for a model built from known parameters.</summary>
    public FitResult? FitResult { get; }

    FitResult IPurchaseModel.Fit => FitResult ?? throw new InvalidOperationException($"This {TModel.DisplayName} model was built from known parameters, not fitted.");

    /// <summary>Maximum-likelihood fit on weighted repeat patterns (<see cref="IPurchaseModelMath{TModel, TParameters}.FitPatterns"/>).</summary>
    /// <exception cref="ModelFitException">The optimizer did not converge or ended at non-finite values.</exception>
    public static TModel Fit(RepeatPatterns data, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var result = TModel.FitPatterns(data, options ?? new FitOptions());
        var e = result.Estimates;
        if (!PurchaseParameters.IsValidParameterSet(e[0], e[1], e[2], e[3]))
        {
            throw new ModelFitException($"{TModel.ModelName}: the fit ended at invalid parameters ({string.Join(", ", e)}).");
        }

        return TModel.FromFit(result);
    }

    /// <summary>ln L(θ | x, t_x, T): one customer's log-likelihood, in log space, finite for any x.</summary>
    public static double LikelihoodLn(TParameters parameters, double x, double tx, double T) =>
        TModel.LikelihoodLn(parameters, x, tx, T, []);

    public double ExpectedPurchases(double t) => TModel.ExpectedPurchases(Parameters, t);

    public double ConditionalExpectedPurchases(double t, double x, double tx, double T) => TModel.ConditionalExpectedPurchases(Parameters, t, x, tx, T);

    public double ExpectedPurchasesIfAlive(double t, double x, double T) => TModel.ExpectedPurchasesIfAlive(Parameters, t, x, T);

    public double ProbabilityAlive(double x, double tx, double T) => TModel.ProbabilityAlive(Parameters, x, tx, T);

    public double ProbabilityOfPurchases(int n, double t) => TModel.ProbabilityOfPurchases(Parameters, n, t);
}
