using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Value;

namespace CrmAnalytics.Core.Clv.Scoring;

/// <summary>Which purchase model to fit, in which time unit, and how to value the customers.</summary>
public sealed record ClvScoringOptions
{
    /// <summary>The purchase models by their command-line names.</summary>
    public static IReadOnlyList<string> Models { get; } = ["bgnbd", "paretonbd", "mbgnbd"];

    /// <summary>
    /// <c>auto</c>: the purchase model with the lowest holdout MAE (<see cref="Selection.PurchaseModelSelection"/>); the
    /// run resolves it to one of <see cref="Models"/> before fitting.
    /// </summary>
    public const string Auto = "auto";

    /// <summary>One of <see cref="Models"/>, or <see cref="Auto"/>.</summary>
    public string Model { get; init; } = "bgnbd";

    /// <summary>
    /// The two-sided level of the CLV columns' prediction intervals (<c>_lo</c>/<c>_hi</c>), in (0, 1); 0 computes none.
    /// </summary>
    public double IntervalLevel { get; init; } = 0.9;

    /// <summary>Model time unit in days: 7 (weeks) as in the published CDNOW fits. Only the scale of α (and β) depends on it.</summary>
    public double TimeUnitDays { get; init; } = Units.DaysPerWeek;

    public FitOptions Fit { get; init; } = new();

    public ClvOptions Value { get; init; } = new();

    /// <summary>Static covariates of the purchase model, fitted and reported beside it (bgnbd and paretonbd only).</summary>
    public CovariateOptions Covariates { get; init; } = new();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Models.Contains(Model, StringComparer.Ordinal) && Model != Auto) errors.Add($"Unknown CLV model '{Model}'; use one of {string.Join(", ", Models)} or {Auto}.");
        if (!(IntervalLevel == 0 || (IntervalLevel > 0 && IntervalLevel < 1))) errors.Add("The CLV interval level must be in (0, 1), or 0 for none.");
        if (!(TimeUnitDays >= 1) || !(TimeUnitDays <= 366)) errors.Add("The model time unit must be 1 to 366 days.");
        errors.AddRange(Fit.Validate());
        errors.AddRange(Value.Validate());
        errors.AddRange(Covariates.Validate());
        if (Covariates.Any && Model is not ("bgnbd" or "paretonbd")) errors.Add($"CLV covariates need {nameof(ClvScoringOptions)}.{nameof(Model)} bgnbd or paretonbd (got {Model}): the model must be named, so that a nightly run does not depend on auto's pick.");
        return errors;
    }
}
