namespace CrmAnalytics.Core.Clv.Fitting;

/// <summary>The outcome of a maximum-likelihood fit: estimates, their standard errors and how the optimizer got there.</summary>
/// <param name="Names">Parameter names in the papers' symbols, e.g. r, alpha, a, b.</param>
/// <param name="StandardErrors">From the inverse observed information (Hessian of −LL at the optimum); NaN only when the Hessian is singular.</param>
/// <param name="LogLikelihood">The unpenalized log-likelihood at the estimates, summed over customers.</param>
/// <param name="Optimizer">"BFGS" or "Nelder-Mead" (the fallback).</param>
/// <param name="ExitCondition">The optimizer's reason for stopping.</param>
/// <param name="Customers">Total weight of the patterns (number of customers).</param>
/// <param name="Patterns">Distinct data patterns the likelihood was evaluated on.</param>
public sealed record FitResult(
    IReadOnlyList<string> Names,
    IReadOnlyList<double> Estimates,
    IReadOnlyList<double> StandardErrors,
    double LogLikelihood,
    int Iterations,
    string Optimizer,
    string ExitCondition,
    double Customers,
    int Patterns,
    double Penalizer)
{
    /// <summary>
    /// The inverse observed information in the natural parameters, row-major (k × k, in the order of <see cref="Names"/>);
    /// null when the Hessian is singular. A parameter that is not identified (the Pareto/NBD limit's s and β) has zero
    /// rows and columns: it is held at its estimate. Prediction intervals draw on it (<c>PurchaseUncertainty</c>).
    /// </summary>
    public IReadOnlyList<double>? Covariance { get; init; }
}
