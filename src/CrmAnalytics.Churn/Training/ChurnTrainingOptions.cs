namespace CrmAnalytics.Churn.Training;

/// <summary>The classifier behind the churn probability.</summary>
public enum ChurnTrainer
{
    /// <summary>ML.NET LightGBM gradient-boosted trees (default).</summary>
    LightGbm,

    /// <summary>ML.NET FastTree gradient-boosted trees.</summary>
    FastTree,

    /// <summary>L-BFGS logistic regression on standardised features.</summary>
    Logistic,
}

/// <summary>The names <c>--churn-trainer</c> and the library's options give the trainers.</summary>
public static class ChurnTrainerNames
{
    /// <summary>Every trainer's name, the default first.</summary>
    public static IReadOnlyList<string> All { get; } = ["lightgbm", "fasttree", "logistic"];

    /// <summary>The trainer called <paramref name="name"/>; false for any other name.</summary>
    public static bool TryParse(string? name, out ChurnTrainer trainer)
    {
        (var known, trainer) = name switch
        {
            "lightgbm" => (true, ChurnTrainer.LightGbm),
            "fasttree" => (true, ChurnTrainer.FastTree),
            "logistic" => (true, ChurnTrainer.Logistic),
            _ => (false, ChurnTrainer.LightGbm),
        };
        return known;
    }
}

/// <summary>
/// Training settings; the defaults are the documented ones. The tree defaults (100 trees of 16 leaves, at least 50 rows
/// per leaf) are deliberately shallow: the test period is a later cohort than the training one, and deeper trees learned
/// the training period's ages and lost to the recency baseline on CDNOW (31 leaves / 20 rows: AUC 0.8265 against 0.8280).
/// </summary>
public sealed record ChurnTrainingOptions
{
    public ChurnTrainer Trainer { get; init; } = ChurnTrainer.LightGbm;

    /// <summary>Seeds the MLContext and the trainers: the same seed gives the same model.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Boosting rounds (trees) for LightGBM and FastTree.</summary>
    public int Trees { get; init; } = 100;

    public int Leaves { get; init; } = 16;

    public double LearningRate { get; init; } = 0.05;

    /// <summary>Minimum training rows per leaf.</summary>
    public int MinimumLeafRows { get; init; } = 50;

    /// <summary>Platt scaling (default) or isotonic regression, fitted on the most recent labelled period.</summary>
    public ChurnCalibrationMethod Calibration { get; init; } = ChurnCalibrationMethod.Platt;

    /// <summary>The active window: training, calibration, evaluation and bands use the customers with an occasion in
    /// the last this-many days before the cut-off (default: the lifecycle active window, 365 days).</summary>
    public int ActiveDays { get; init; } = Core.Churn.ChurnActiveBase.DefaultDays;

    /// <summary>Trainer threads; 0 = all cores. Results are deterministic for a given thread count.</summary>
    public int Threads { get; init; }

    /// <summary>The default <see cref="TrainMaxRows"/>; chosen in benchmarks/results/churn-sample-size.md.</summary>
    public const int DefaultTrainMaxRows = 100_000;

    /// <summary>
    /// The classifier trains on a seeded sample of at most this many fit rows, stratified by the churn label
    /// (<see cref="ChurnTrainingSample"/>); 0, or a cap at or above the rows, trains on every row. Calibration uses every row.
    /// </summary>
    public int TrainMaxRows { get; init; } = DefaultTrainMaxRows;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Trees < 1)
        {
            errors.Add($"{nameof(ChurnTrainingOptions)}.{nameof(Trees)} must be at least 1.");
        }

        if (Leaves < 2)
        {
            errors.Add($"{nameof(ChurnTrainingOptions)}.{nameof(Leaves)} must be at least 2.");
        }

        if (!(LearningRate > 0 && LearningRate <= 1))
        {
            errors.Add($"{nameof(ChurnTrainingOptions)}.{nameof(LearningRate)} must be in (0, 1].");
        }

        if (TrainMaxRows < 0)
        {
            errors.Add($"{nameof(ChurnTrainingOptions)}.{nameof(TrainMaxRows)} must be 0 (no sampling) or more.");
        }

        if (ActiveDays < 1)
        {
            errors.Add($"{nameof(ChurnTrainingOptions)}.{nameof(ActiveDays)} must be at least 1.");
        }

        return errors;
    }
}
