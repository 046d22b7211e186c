using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.Stages.Churn;

/// <summary>What a run does about churn.</summary>
public sealed record ChurnJobOptions
{
    /// <summary>How the model is trained and calibrated.</summary>
    public ChurnTrainingOptions Training { get; init; } = new();

    /// <summary>The horizon in days; null derives it from the data (<see cref="ChurnHorizon.Auto"/>).</summary>
    public int? HorizonDays { get; init; }

    /// <summary>The probability thresholds of the high, medium and low bands.</summary>
    public ChurnBandOptions Bands { get; init; } = new();

    /// <summary>The most customers segments/churn-warning.csv lists.</summary>
    public int ListMax { get; init; } = DefaultListMax;

    /// <summary>The contact-plan rules file; null for the built-in plan.</summary>
    public string? ContactPlanPath { get; init; }

    /// <summary>The contact plan: the action for each band and segment.</summary>
    public ContactPlan ContactPlan { get; init; } = ContactPlan.Default;

    /// <summary>A trained model to score with; null trains one in the run.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Warn when the model's training as-of is more than this many days before the run's as-of.</summary>
    public int MaxModelAgeDays { get; init; } = DefaultMaxModelAgeDays;

    /// <summary>An optional customer attributes CSV joined on customer_id.</summary>
    public string? AttributesPath { get; init; }

    /// <summary>The default of <see cref="ListMax"/>.</summary>
    public const int DefaultListMax = 1000;

    /// <summary>The default of <see cref="MaxModelAgeDays"/>.</summary>
    public const int DefaultMaxModelAgeDays = 35;
}
