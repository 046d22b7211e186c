using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.Churn.Models;

/// <summary>
/// The JSON sidecar of a churn model file: what the model expects (feature schema with types), how and when it was
/// trained, its calibration and the time-split evaluation of its recipe.
/// </summary>
public sealed record ChurnModelInfo
{
    public const string CurrentFormat = "crm-churn-model/2";

    public string Format { get; init; } = CurrentFormat;

    public required string ToolVersion { get; init; }

    public required string Trainer { get; init; }

    public required int Seed { get; init; }

    public required int HorizonDays { get; init; }

    /// <summary>How the horizon was chosen (the auto rule's percentile and clamp, or a fixed number).</summary>
    public required ChurnHorizonChoice Horizon { get; init; }

    /// <summary>The as-of date of the training run; labels were observed up to the day before it.</summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>The classifier's features were computed from transactions before this date (as-of − 2 × horizon).</summary>
    public required DateOnly TrainingCutoff { get; init; }

    /// <summary>The calibration was fitted on the active customers of this date (as-of − horizon), labels up to the as-of date.</summary>
    public required DateOnly CalibrationCutoff { get; init; }

    public required int TrainingRows { get; init; }

    /// <summary>The rows the classifier learned from: <see cref="TrainingRows"/>, or the stratified sample above
    /// <see cref="ChurnTrainingOptions.TrainMaxRows"/>; null in models saved before sampling existed.</summary>
    public int? TrainingRowsUsed { get; init; }

    public required int TrainingChurned { get; init; }

    public required IReadOnlyList<ChurnFeatureInfo> Features { get; init; }

    /// <summary>
    /// The purchase model (bgnbd, paretonbd, mbgnbd) whose p_alive and expected_purchases_90d the classifier learned
    /// from; scoring computes those features with the same model (<see cref="ScoringInputs"/>). Null when trained
    /// without CLV. A sidecar written before the field existed was trained with <c>crm churn train</c>'s BG/NBD, the default kept here.
    /// </summary>
    public string? ClvModel { get; init; } = "bgnbd";

    public required ChurnCalibrationInfo Calibration { get; init; }

    public required ChurnTrainingOptions Options { get; init; }

    public required ChurnEvaluationResult Evaluation { get; init; }

    /// <summary>The inputs to score this model with: the run's, with the CLV features from the model it was trained with.</summary>
    public ChurnInputs ScoringInputs(ChurnInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.Clv is { } clv && ClvModel is { } model ? inputs with { Clv = clv with { Model = model } } : inputs;
    }

    public ChurnFeatureSchema ToSchema() =>
        new(Features.Select(f => new ChurnFeature(f.Name, f.Kind, f.Source, f.Category)).ToArray());

    public static IReadOnlyList<ChurnFeatureInfo> Describe(ChurnFeatureSchema schema) =>
        schema.Features.Select(f => new ChurnFeatureInfo(f.Name, f.Kind, ChurnFeature.Type, f.Source, f.Category)).ToArray();
}

public sealed record ChurnFeatureInfo(string Name, ChurnFeatureKind Kind, string Type, string? Source, string? Category);

/// <summary>
/// The calibration of the raw score: "platt", P = 1 / (1 + exp(−(A·score + B))); "seasonal", the same curve with B
/// moved by last year's seasonal change (<see cref="SeasonalPlattScaling"/>); or "isotonic", linear interpolation
/// between the points (<see cref="Scores"/>, <see cref="Probabilities"/>), clipped at the ends.
/// </summary>
public sealed record ChurnCalibrationInfo(string Method, double? A, double? B, IReadOnlyList<double>? Scores = null, IReadOnlyList<double>? Probabilities = null)
{
    public static ChurnCalibrationInfo From(ChurnCalibration calibration) => calibration switch
    {
        PlattScaling p => new("platt", p.A, p.B),
        SeasonalPlattScaling p => new("seasonal", p.A, p.B),
        IsotonicCalibration i => new("isotonic", null, null, i.Scores, i.Probabilities),
        _ => throw new ArgumentOutOfRangeException(nameof(calibration), calibration, "Unknown calibration."),
    };

    /// <returns>Null when the fields do not make a calibration.</returns>
    public ChurnCalibration? ToCalibration() => Method switch
    {
        "platt" when A is { } a && B is { } b => new PlattScaling(a, b),
        "seasonal" when A is { } a && B is { } b => new SeasonalPlattScaling(a, b),
        "isotonic" when Scores is { Count: > 0 } s && Probabilities is { } p && p.Count == s.Count => new IsotonicCalibration(s, p),
        _ => null,
    };
}
