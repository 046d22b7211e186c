using CrmAnalytics.Core;
using CrmAnalytics.Churn.Features;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Transforms;

namespace CrmAnalytics.Churn.Training;

/// <summary>Builds the ML.NET pipeline, trains it on labelled churn rows and calibrates it on a later period.</summary>
internal static class ChurnModelTrainer
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
    /// Trains the classifier on the labelled <paramref name="fit"/> rows and fits the calibration on the raw scores of
    /// <paramref name="calibration"/>, the labelled rows of a later cut-off: the probabilities follow the most recent
    /// period the labels know, not the one the classifier learned from (seasonality, a changing churn rate).
    /// </summary>
    /// When <paramref name="fit"/> has more rows than <see cref="ChurnTrainingOptions.TrainMaxRows"/>, the classifier
    /// learns from a seeded stratified sample of them (<see cref="ChurnTrainingSample"/>); the calibration uses every row.
    /// With <see cref="ChurnCalibrationMethod.Seasonal"/> and <paramref name="yearEarlier"/> (the labelled rows of the
    /// calibration cut-off and of the cut-off to be predicted, each a year earlier), the calibration is
    /// <see cref="SeasonalPlattScaling"/>; without them it is plain Platt scaling.
    /// <exception cref="ModelFitException">A part without both churners and stayers.</exception>
    public static ChurnModel Train(ChurnDataset fit, ChurnDataset calibration, ChurnTrainingOptions options, ChurnYearEarlier? yearEarlier = null)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(options);
        if (fit.Labels is null || calibration.Labels is null)
        {
            throw new ArgumentException("Training and calibration need labelled rows.", nameof(fit));
        }

        RequireBothClasses(fit.Count, fit.Churned, fit.Cutoff, "training");
        return TrainOn(fit, ChurnTrainingSample.Rows(fit, options.TrainMaxRows, options.Seed), calibration, options, yearEarlier);
    }

    /// <summary>
    /// As <see cref="Train"/>, where the caller drew the sample and checked the population's classes: the classifier
    /// learns from <paramref name="rows"/> of <paramref name="learn"/> (all when null).
    /// </summary>
    /// <remarks>A cut-off whose rows are only the sample (<see cref="CrmAnalytics.Core.Customers.CutoffRequest.Sample"/>) passes null.</remarks>
    internal static ChurnModel TrainOn(ChurnDataset learn, IReadOnlyList<int>? rows, ChurnDataset calibration, ChurnTrainingOptions options, ChurnYearEarlier? yearEarlier = null) =>
        TrainOn(learn, rows, CalibrationRows.Of(calibration), options, yearEarlier);

    /// <summary>As <see cref="TrainOn(ChurnDataset, IReadOnlyList{int}?, ChurnDataset, ChurnTrainingOptions, ChurnYearEarlier?)"/>, calibrated on rows that score themselves.</summary>
    internal static ChurnModel TrainOn(ChurnDataset learn, IReadOnlyList<int>? rows, CalibrationRows calibration, ChurnTrainingOptions options, ChurnYearEarlier? yearEarlier = null)
    {
        // Checked before the fit too: Calibrate checks it only once the classifier has been trained.
        RequireBothClasses(calibration.Labels.Length, calibration.Churned, calibration.Cutoff, "calibration");
        return Calibrate(FitClassifier(learn, rows, options), calibration, options, yearEarlier);
    }

    /// <summary>
    /// The first half of <see cref="TrainOn(ChurnDataset, IReadOnlyList{int}?, CalibrationRows, ChurnTrainingOptions, ChurnYearEarlier?)"/>:
    /// the classifier learnt from <paramref name="rows"/> of <paramref name="learn"/> (all when null), with an identity
    /// calibration, for <see cref="Calibrate"/> once the calibration rows exist.
    /// </summary>
    internal static ChurnModel FitClassifier(ChurnDataset learn, IReadOnlyList<int>? rows, ChurnTrainingOptions options)
    {
        if (learn.Labels is null)
        {
            throw new ArgumentException("Training and calibration need labelled rows.", nameof(learn));
        }

        RequireASplit(rows?.Count ?? learn.Count, learn.Cutoff, options);
        var ml = new MLContext(options.Seed);
        var view = ChurnRows.View(ml, learn, rows);
        var transformer = BuildPipeline(ml, options).Fit(view);
        return new ChurnModel(ml, transformer, view.Schema, learn.Schema, PlattScaling.Identity, options.Trainer);
    }

    /// <summary>The classifier of <see cref="FitClassifier"/>, calibrated on the raw scores of <paramref name="calibration"/>.</summary>
    internal static ChurnModel Calibrate(ChurnModel uncalibrated, CalibrationRows calibration, ChurnTrainingOptions options, ChurnYearEarlier? yearEarlier = null)
    {
        RequireBothClasses(calibration.Labels.Length, calibration.Churned, calibration.Cutoff, "calibration");
        var scores = calibration.RawScores(uncalibrated);
        var fitted = options.Calibration != ChurnCalibrationMethod.Seasonal ? ChurnCalibration.Fit(options.Calibration, scores, calibration.Labels)
            : yearEarlier is null ? PlattScaling.Fit(scores, calibration.Labels)
            : SeasonalPlattScaling.Fit((scores, calibration.Labels), Labelled(uncalibrated, yearEarlier.Latest), Labelled(uncalibrated, yearEarlier.Target));
        return uncalibrated.WithCalibration(fitted);
    }

    private static (IReadOnlyList<double> Scores, IReadOnlyList<bool> Labels) Labelled(ChurnModel model, ChurnDataset rows) =>
        (model.RawScores(rows), rows.Labels ?? throw new ArgumentException("Seasonal calibration needs labelled rows a year earlier.", nameof(rows)));

    /// <summary>
    /// A tree needs <see cref="ChurnTrainingOptions.MinimumLeafRows"/> rows on each side of its first split; with fewer
    /// training rows no tree can split, and ML.NET fails on the resulting leafless trees instead of reporting it.
    /// </summary>
    private static void RequireASplit(int rows, DateOnly cutoff, ChurnTrainingOptions options)
    {
        if (options.Trainer != ChurnTrainer.Logistic && rows < 2 * options.MinimumLeafRows)
        {
            throw new ModelFitException(FormattableString.Invariant(
                $"The churn training rows ({rows:N0}, features before {cutoff:yyyy-MM-dd}) are too few for a tree: a split needs {options.MinimumLeafRows:N0} rows on each side. ") +
                "Use --churn-trainer logistic, a longer history, or --churn-trainer none to skip churn.");
        }
    }

    /// <param name="count">The rows of the cut-off, before any sampling.</param>
    internal static void RequireBothClasses(int count, int churned, DateOnly cutoff, string part)
    {
        if (churned == 0 || churned == count)
        {
            throw new ModelFitException(
                $"The churn {part} rows ({count:N0}, features before {cutoff:yyyy-MM-dd}) need both churned and retained customers; found {churned:N0} churned. " +
                "The history before the training cut-off is too short or too uniform: use a shorter --churn-horizon, or --churn-trainer none to skip churn.");
        }
    }
}

/// <summary>
/// The labelled rows a calibration is fitted on: their labels, and their raw scores under any model of their schema —
/// from a built feature matrix, or from a cut-off's customers whose rows are built where they are scored
/// (<see cref="Features.ChurnFeatureBuilder.FeatureSource"/>), so that the matrix is never held.
/// </summary>
internal sealed class CalibrationRows(DateOnly cutoff, bool[] labels, Func<ChurnModel, double[]> rawScores)
{
    public DateOnly Cutoff => cutoff;

    public bool[] Labels => labels;

    public int Churned { get; } = labels.Count(l => l);

    public double[] RawScores(ChurnModel model) => rawScores(model);

    public static CalibrationRows Of(ChurnDataset data) =>
        new(data.Cutoff, data.Labels ?? throw new ArgumentException("Training and calibration need labelled rows.", nameof(data)), model => model.RawScores(data));
}

/// <summary>
/// The labelled active rows a year (<see cref="SeasonalPlattScaling.YearDays"/>) before the calibration cut-off
/// (<paramref name="Latest"/>) and a year before the cut-off the model predicts from (<paramref name="Target"/>).
/// </summary>
internal sealed record ChurnYearEarlier(ChurnDataset Latest, ChurnDataset Target);
