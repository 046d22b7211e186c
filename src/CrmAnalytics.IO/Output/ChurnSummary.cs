using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.IO.Output;

/// <summary>The churn section of summary.json: the model used, its time-split evaluation and the run's risk bands.</summary>
/// <param name="Source">"trained_in_run", or the model file name given with --churn-model.</param>
/// <param name="ModelAsOf">The as-of date of the run that trained the model.</param>
/// <param name="RiskBands">Customers per band: high, medium, low.</param>
/// <param name="HighRiskListed">Customers in segments/churn-high-risk.csv.</param>
/// <param name="ExpectedValueAtRisk">Σ churn_probability × clv over the high-risk list; null without CLV.</param>
public sealed record ChurnSummary(
    string Source,
    string Trainer,
    int HorizonDays,
    DateOnly ModelAsOf,
    DateOnly TrainingCutoff,
    int TrainingRows,
    int TrainingChurned,
    IReadOnlyList<string> Features,
    double CalibrationA,
    double CalibrationB,
    double HighThreshold,
    double MediumThreshold,
    IReadOnlyDictionary<string, int> RiskBands,
    double MeanProbability,
    int HighRiskListed,
    double? ExpectedValueAtRisk,
    ChurnEvaluationResult Evaluation,
    long TrainMilliseconds,
    long ScoreMilliseconds);
