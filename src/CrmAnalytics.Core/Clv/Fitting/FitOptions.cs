namespace CrmAnalytics.Core.Clv.Fitting;

/// <summary>Settings of a maximum-likelihood fit.</summary>
public sealed record FitOptions
{
    /// <summary>L2 penalty on the parameters, as lifetimes' <c>penalizer_coef</c>: the objective is −LL/N + c·Σθ². 0 = plain MLE.</summary>
    public double Penalizer { get; init; }

    public int MaxIterations { get; init; } = 1000;

    /// <summary>Convergence tolerance on the gradient of the per-customer objective (log-parameter space).</summary>
    public double GradientTolerance { get; init; } = 1e-9;

    /// <summary>
    /// Whether the fit computes its standard errors and covariance (the observed information: two more likelihood and
    /// gradient evaluations per parameter). False leaves <see cref="FitResult.StandardErrors"/> NaN and
    /// <see cref="FitResult.Covariance"/> null, for fits whose uncertainty nothing reads: the holdout check's and the
    /// churn cut-offs'. The estimates are the same either way.
    /// </summary>
    public bool StandardErrors { get; init; } = true;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Penalizer >= 0) || !double.IsFinite(Penalizer)) errors.Add("The penalizer must be a finite number ≥ 0.");
        if (MaxIterations < 1) errors.Add("Max iterations must be at least 1.");
        if (!(GradientTolerance > 0)) errors.Add("The gradient tolerance must be positive.");
        return errors;
    }
}
