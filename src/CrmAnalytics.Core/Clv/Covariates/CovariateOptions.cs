namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>Static covariates of the purchase models, as <c>--clv-covariates</c>, <c>--clv-covariates-dropout</c> and <c>--clv-covariate-penalizer</c>.</summary>
public sealed record CovariateOptions
{
    /// <summary>Attribute columns acting on the purchase rate (α).</summary>
    public IReadOnlyList<string> Purchase { get; init; } = [];

    /// <summary>Attribute columns acting on the dropout process (Pareto/NBD β; BG/NBD a and b).</summary>
    public IReadOnlyList<string> Dropout { get; init; } = [];

    /// <summary>λ ≥ 0 of the L2 penalty λ·Σγ² on the per-customer objective −LL/N (CLVTools' <c>reg.lambdas</c>); 0 = none.</summary>
    public double Penalizer { get; init; }

    public bool Any => Purchase.Count + Dropout.Count > 0;

    /// <summary>Every problem, for <see cref="ConfigurationException"/>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!(Penalizer >= 0) || !double.IsFinite(Penalizer))
        {
            errors.Add($"{Setting(nameof(Penalizer))} must be a finite number ≥ 0.");
        }

        foreach (var (list, option) in new[] { (Purchase, Setting(nameof(Purchase))), (Dropout, Setting(nameof(Dropout))) })
        {
            if (list.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{option} has an empty column name.");
            }

            if (list.Distinct(StringComparer.Ordinal).Count() != list.Count)
            {
                errors.Add($"{option} names a column twice.");
            }
        }

        return errors;
    }

    /// <summary>How messages name a setting (the CLI maps it to its option).</summary>
    private static string Setting(string property) => nameof(CovariateOptions) + "." + property;
}
