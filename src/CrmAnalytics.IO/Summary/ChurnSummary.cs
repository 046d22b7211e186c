using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.IO.Summary;

/// <summary>The churn section of summary.json: the model used, its time-split evaluation, the active base and the run's risk bands.</summary>
/// <param name="Source">"trained_in_run", or the model file name given with --churn-model.</param>
/// <param name="Horizon">How the horizon was chosen: the auto rule's percentile and clamp, or a fixed number.</param>
/// <param name="ModelAsOf">The as-of date of the run that trained the model.</param>
/// <param name="CalibrationCutoff">The calibration was fitted on the active customers of this date (as-of − horizon).</param>
/// <param name="CalibrationA">Platt's A (null for isotonic).</param>
/// <param name="TrainingRowsUsed">The rows the classifier learned from (a stratified sample above --churn-train-max-rows); null for a model saved before sampling existed.</param>
/// <param name="ActiveDays">The active window of the churn base.</param>
/// <param name="ActiveCustomers">Customers in the active base at the as-of date: the ones with a probability and a band.</param>
/// <param name="LapsedCustomers">Customers outside it: churn_risk "lapsed", no probability.</param>
/// <param name="BandMode">"rank" (shares of the active base) or "probability" (absolute thresholds).</param>
/// <param name="HighCutoff">The lowest probability in high (the threshold in probability mode).</param>
/// <param name="MediumCutoff">The lowest probability in medium (the threshold in probability mode).</param>
/// <param name="RiskBands">Customers per band: high, medium, low, lapsed.</param>
/// <param name="MeanProbability">Mean churn probability of the active base; null when it is empty.</param>
/// <param name="WarningListed">Customers in segments/churn-warning.csv.</param>
/// <param name="ExpectedValueAtRisk">Σ churn_probability × clv over the warning list; null without CLV.</param>
public sealed record ChurnSummary(
    string Source,
    string Trainer,
    int HorizonDays,
    ChurnHorizonChoice Horizon,
    DateOnly ModelAsOf,
    DateOnly TrainingCutoff,
    DateOnly CalibrationCutoff,
    int TrainingRows,
    int? TrainingRowsUsed,
    int TrainingChurned,
    IReadOnlyList<string> Features,
    string CalibrationMethod,
    double? CalibrationA,
    double? CalibrationB,
    int ActiveDays,
    int ActiveCustomers,
    int LapsedCustomers,
    string BandMode,
    double? HighShare,
    double? MediumShare,
    double? HighCutoff,
    double? MediumCutoff,
    IReadOnlyDictionary<string, int> RiskBands,
    double? MeanProbability,
    int WarningListed,
    int WarningListMax,
    double? ExpectedValueAtRisk,
    ChurnEvaluationResult Evaluation,
    long TrainMilliseconds,
    long ScoreMilliseconds);
