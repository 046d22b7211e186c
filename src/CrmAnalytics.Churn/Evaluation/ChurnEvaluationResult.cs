using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.Churn.Evaluation;

/// <summary>
/// A time-split evaluation: trained at <see cref="TrainCutoff"/> on the active base, calibrated on the active base of
/// <see cref="CalibrationCutoff"/> (the period just before the test), tested on the customers of
/// <see cref="TestCutoff"/>. <see cref="Model"/> and <see cref="Baselines"/> are the headline, on the active base at the
/// test cut-off; <see cref="All"/> scores every customer of the test cut-off, lapsed ones too, for comparison.
/// </summary>
/// <param name="ActiveDays">The active window: an occasion within this many days before a cut-off puts a customer in its base.</param>
/// <param name="TrainRows">Active customers at the training cut-off.</param>
/// <param name="TrainRowsUsed">The rows the classifier learned from: <paramref name="TrainRows"/>, or the stratified sample of them above --churn-train-max-rows.</param>
/// <param name="Baselines">On the active base: the recency rank, BG/NBD 1 − P(alive) and recency over the own mean gap (rank metrics only for the ranks).</param>
public sealed record ChurnEvaluationResult(
    DateOnly TrainCutoff,
    DateOnly CalibrationCutoff,
    DateOnly TestCutoff,
    int HorizonDays,
    int ActiveDays,
    int TrainRows,
    int TrainChurned,
    int TrainRowsUsed,
    ChurnMetrics Model,
    IReadOnlyList<ChurnMetrics> Baselines,
    ChurnPopulationMetrics All);
