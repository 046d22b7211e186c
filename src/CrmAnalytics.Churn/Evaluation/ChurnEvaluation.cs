using CrmAnalytics.Core;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Churn.Evaluation;

/// <summary>A model trained for scoring, with the honest evaluation of the same recipe one horizon earlier.</summary>
public sealed record ChurnTrainingResult(ChurnModel Model, DateOnly AsOf, DateOnly TrainingCutoff, int HorizonDays, int Rows, int Churned, ChurnEvaluationResult Evaluation);

/// <summary>
/// The churn recipe on one read of the transactions (DESIGN.md, "Churn"). With as-of A and horizon H: the scoring
/// model learns features at c = A − H with labels from [c, A); its evaluation learns at c − H with labels from
/// [c − H, c) and is tested at c with labels from [c, A) — a later period it never saw, not a random split.
/// Customers whose first purchase is on or after a cut-off are not in that cut-off's rows.
/// </summary>
public static class ChurnWorkflow
{
    public static ChurnEvaluationResult Evaluate(CustomerSummaryBuilder builder, DateOnly asOf, int horizonDays, ChurnInputs inputs, ChurnTrainingOptions options) =>
        EvaluateCore(builder, asOf, horizonDays, inputs, options).Result;

    /// <summary>Evaluates the recipe, then trains the scoring model at as-of − horizon.</summary>
    /// <remarks>The evaluation's test rows (features at as-of − horizon, labels up to as-of) are the scoring model's training rows.</remarks>
    public static ChurnTrainingResult Train(CustomerSummaryBuilder builder, DateOnly asOf, int horizonDays, ChurnInputs inputs, ChurnTrainingOptions options)
    {
        var (evaluation, data) = EvaluateCore(builder, asOf, horizonDays, inputs, options);
        var model = ChurnModelTrainer.Train(data, options);
        return new ChurnTrainingResult(model, asOf, data.Cutoff, horizonDays, data.Count, data.Churned, evaluation);
    }

    private static (ChurnEvaluationResult Result, ChurnDataset Test) EvaluateCore(
        CustomerSummaryBuilder builder, DateOnly asOf, int horizonDays, ChurnInputs inputs, ChurnTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var testCutoff = asOf.AddDays(-horizonDays);
        var trainCutoff = testCutoff.AddDays(-horizonDays);
        var train = ChurnFeatureBuilder.Build(builder, trainCutoff, schema, inputs, horizonDays);
        RequireRows(train, trainCutoff);
        var model = ChurnModelTrainer.Train(train, options);

        var test = ChurnFeatureBuilder.Build(builder, testCutoff, schema, inputs, horizonDays);
        RequireRows(test, testCutoff);
        var labels = test.Labels!;
        if (test.Churned == 0 || test.Churned == test.Count)
        {
            throw new ModelFitException($"The churn test period after {testCutoff:yyyy-MM-dd} has {test.Churned:N0} churned of {test.Count:N0} customers: it cannot be evaluated.");
        }

        var metrics = ChurnMetricsCalculator.ForProbability(options.Trainer.ToString().ToLowerInvariant(), model.Probabilities(test), labels);

        var recency = ChurnMetricsCalculator.ForRanking("recency", test.Customers.Select(c => (double)c.RecencyDays).ToArray(), labels);
        var alive = test.ProbabilityAlive ?? BgNbdAlive(test.Customers);
        var bgnbd = ChurnMetricsCalculator.ForProbability("bgnbd_1_minus_p_alive", alive.Select(p => 1 - p).ToArray(), labels);
        return (new ChurnEvaluationResult(trainCutoff, testCutoff, horizonDays, train.Count, train.Churned, metrics, [recency, bgnbd]), test);
    }

    private static double[] BgNbdAlive(IReadOnlyList<CustomerSummary> customers)
    {
        var options = new ClvScoringOptions();
        var model = ClvScorer.FitPurchaseModel("bgnbd", customers, options);
        var unit = options.TimeUnitDays;
        return customers.Select(c => model.ProbabilityAlive(c.Frequency, c.TxDays / unit, c.AgeDays / unit)).ToArray();
    }

    private static void RequireRows(ChurnDataset data, DateOnly cutoff)
    {
        if (data.Count == 0)
        {
            throw new ModelFitException($"No customer bought before the churn cut-off {cutoff:yyyy-MM-dd}: the history is shorter than two horizons (use a shorter --churn-horizon, or --churn-trainer none to skip churn).");
        }
    }
}
