using CrmAnalytics.Core;
using CrmAnalytics.Churn.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace CrmAnalytics.Churn.Training;

/// <summary>Builds the ML.NET pipeline and trains it on labelled churn rows, holding out a calibration share.</summary>
public static class ChurnModelTrainer
{
    /// <summary>
    /// The untrained pipeline: the chosen binary classifier on the <c>Features</c> vector; logistic regression first
    /// standardises the features. Kept apart from training so tests and tools can inspect it.
    /// </summary>
    public static IEstimator<ITransformer> BuildPipeline(MLContext ml, ChurnTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(options);
        var threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        var features = ChurnRows.FeaturesColumn;
        var label = ChurnRows.LabelColumn;
        var chain = new EstimatorChain<ITransformer>();
        if (options.Trainer == ChurnTrainer.LightGbm)
        {
            OpenMpWaitPolicy.EnsurePassive();
        }

        return options.Trainer switch
        {
            ChurnTrainer.LightGbm => chain.Append(ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
            {
                FeatureColumnName = features,
                LabelColumnName = label,
                NumberOfIterations = options.Trees,
                NumberOfLeaves = options.Leaves,
                LearningRate = options.LearningRate,
                MinimumExampleCountPerLeaf = options.MinimumLeafRows,
                Seed = options.Seed,
                Deterministic = true,
                NumberOfThreads = threads,
                Silent = true,
                Verbose = false,
            })),
            ChurnTrainer.FastTree => chain.Append(ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
            {
                FeatureColumnName = features,
                LabelColumnName = label,
                NumberOfTrees = options.Trees,
                NumberOfLeaves = options.Leaves,
                LearningRate = options.LearningRate,
                MinimumExampleCountPerLeaf = options.MinimumLeafRows,
                Seed = options.Seed,
                NumberOfThreads = threads,
            })),
            ChurnTrainer.Logistic => chain
                .Append(ml.Transforms.NormalizeMeanVariance(features))
                .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
                {
                    FeatureColumnName = features,
                    LabelColumnName = label,
                    NumberOfThreads = threads,
                })),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Trainer, "Unknown trainer."),
        };
    }

    /// <summary>
    /// Trains on the labelled <paramref name="data"/>: customers whose seeded id hash falls in the calibration share are
    /// held out, the classifier learns on the rest, and Platt scaling is fitted on the held-out raw scores.
    /// </summary>
    /// <exception cref="ModelFitException">Too few rows, or a part without both churners and stayers.</exception>
    public static ChurnModel Train(ChurnDataset data, ChurnTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (data.Labels is not { } labels)
        {
            throw new ArgumentException("Training needs labelled rows.", nameof(data));
        }

        var fit = new List<int>();
        var calibration = new List<int>();
        for (var i = 0; i < data.Count; i++)
        {
            (InCalibration(data.Customers[i].CustomerId, options) ? calibration : fit).Add(i);
        }

        RequireBothClasses(fit, labels, "training");
        RequireBothClasses(calibration, labels, "calibration");

        var ml = new MLContext(options.Seed);
        var view = ChurnRows.View(ml, data, fit);
        var transformer = BuildPipeline(ml, options).Fit(view);
        var uncalibrated = new ChurnModel(ml, transformer, view.Schema, data.Schema, PlattScaling.Identity, options.Trainer);

        var held = Subset(data, calibration);
        var platt = PlattScaling.Fit(uncalibrated.RawScores(held), held.Labels!);
        return new ChurnModel(ml, transformer, view.Schema, data.Schema, platt, options.Trainer);
    }

    /// <summary>Whether a customer is in the calibration share: FNV-1a of the id and seed, so it does not depend on row order.</summary>
    internal static bool InCalibration(string customerId, ChurnTrainingOptions options)
    {
        var hash = 2166136261u ^ (uint)options.Seed;
        foreach (var ch in customerId)
        {
            hash = (hash ^ ch) * 16777619u;
        }

        hash ^= hash >> 15;
        hash *= 0x2C1B3C6Du;
        hash ^= hash >> 12;
        return hash % 10_000 < options.CalibrationShare * 10_000;
    }

    private static ChurnDataset Subset(ChurnDataset data, List<int> rows)
    {
        var width = data.Width;
        var values = new float[rows.Count * width];
        for (var k = 0; k < rows.Count; k++)
        {
            data.Row(rows[k]).CopyTo(values.AsSpan(k * width, width));
        }

        return new ChurnDataset(data.Schema, data.Cutoff, rows.Select(i => data.Customers[i]).ToArray(), values,
            data.Labels is null ? null : rows.Select(i => data.Labels[i]).ToArray(),
            data.ProbabilityAlive is null ? null : rows.Select(i => data.ProbabilityAlive[i]).ToArray());
    }

    private static void RequireBothClasses(List<int> rows, bool[] labels, string part)
    {
        var churned = rows.Count(i => labels[i]);
        if (churned == 0 || churned == rows.Count)
        {
            throw new ModelFitException(
                $"The churn {part} rows ({rows.Count:N0}) need both churned and retained customers; found {churned:N0} churned. " +
                "The history before the training cut-off is too short or too uniform: use a shorter --churn-horizon, or --churn-trainer none to skip churn.");
        }
    }
}
