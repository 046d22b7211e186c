using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Value;

namespace CrmAnalytics.Core.Clv.Scoring;

/// <summary>Which purchase model to fit, in which time unit, and how to value the customers.</summary>
public sealed record ClvScoringOptions
{
    /// <summary>The purchase models by their command-line names.</summary>
    public static IReadOnlyList<string> Models { get; } = ["bgnbd", "paretonbd", "mbgnbd"];

    /// <summary>One of <see cref="Models"/>.</summary>
    public string Model { get; init; } = "bgnbd";

    /// <summary>Model time unit in days: 7 (weeks) as in the published CDNOW fits. Only the scale of α (and β) depends on it.</summary>
    public double TimeUnitDays { get; init; } = Units.DaysPerWeek;

    public FitOptions Fit { get; init; } = new();

    public ClvOptions Value { get; init; } = new();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Models.Contains(Model, StringComparer.Ordinal)) errors.Add($"Unknown CLV model '{Model}'; use one of {string.Join(", ", Models)}.");
        if (!(TimeUnitDays >= 1) || !(TimeUnitDays <= 366)) errors.Add("The model time unit must be 1 to 366 days.");
        errors.AddRange(Fit.Validate());
        errors.AddRange(Value.Validate());
        return errors;
    }
}
