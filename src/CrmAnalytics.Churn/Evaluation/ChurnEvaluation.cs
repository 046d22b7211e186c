using CrmAnalytics.Core;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Internals;
using CrmAnalytics.Core.Parallelism;
using System.Runtime.ExceptionServices;

namespace CrmAnalytics.Churn.Evaluation;

/// <summary>A model trained for scoring, with the honest evaluation of the same recipe one horizon earlier.</summary>
/// <param name="TrainingCutoff">The classifier's features are from before as-of − 2H.</param>
/// <param name="CalibrationCutoff">The calibration's features are from before as-of − H, its labels up to the as-of date.</param>
/// <param name="Rows">Active customers at the training cut-off.</param>
/// <param name="RowsUsed">The rows the classifier learned from: all of <paramref name="Rows"/>, or the stratified sample above <see cref="ChurnTrainingOptions.TrainMaxRows"/>.</param>
public sealed record ChurnTrainingResult(ChurnModel Model, DateOnly AsOf, DateOnly TrainingCutoff, DateOnly CalibrationCutoff, int HorizonDays, int Rows, int Churned, int RowsUsed, ChurnEvaluationResult Evaluation);

/// <summary>
/// The churn recipe on one read of the transactions (DESIGN.md, "Churn"). With as-of A and horizon H: the scoring
/// model's classifier learns features at A − 2H with labels from [A − 2H, A − H), and its calibration is fitted on the
/// most recent labelled period, features at A − H with labels from [A − H, A). The evaluation runs the same recipe one
/// horizon earlier (classifier at A − 3H, calibration at A − 2H) and is tested at A − H with labels from [A − H, A) —
/// a later period it never saw, not a random split.
/// Every cut-off's rows are its active base (<see cref="ChurnActiveBase"/>); the evaluation also reports every customer
/// of the test cut-off. Customers whose first purchase is on or after a cut-off are not in that cut-off's rows.
/// <see cref="ChurnCalibrationMethod.Seasonal"/> also labels the calibration cut-off and the predicted one a year
/// earlier, for the evaluation and the scoring model alike; when the evaluation's are out of reach, both use Platt.
/// </summary>
public static class ChurnWorkflow
{
    /// <summary>The horizon of a run: <paramref name="days"/> when given, else <see cref="ChurnHorizon.Auto"/> on the repeat gaps before the as-of date.</summary>
    public static ChurnHorizonChoice ChooseHorizon(CustomerSummaryBuilder builder, DateOnly asOf, int? days)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (days is { } fixedDays)
        {
            return ChurnHorizon.Fixed(fixedDays);
        }

        var history = builder.FirstDate is { } first ? asOf.DayNumber - first.DayNumber : 0;
        return ChurnHorizon.Auto(builder.RepeatGapHistogram(asOf), history);
    }

    public static ChurnEvaluationResult Evaluate(CustomerSummaryBuilder builder, DateOnly asOf, int horizonDays, ChurnInputs inputs, ChurnTrainingOptions options) =>
        EvaluateCore<object?>(builder, asOf, horizonDays, inputs, options, releaseDays: false, alongside: null).Result;

    /// <summary>Evaluates the recipe, and trains the scoring model one horizon later while the evaluation is measured.</summary>
    /// <remarks>The evaluation's calibration rows (A − 2H) train the scoring classifier, and its test rows (A − H) calibrate it.</remarks>
    /// <param name="releaseDays">
    /// The caller reads no more days from <paramref name="builder"/> (<c>crm score</c>): they are freed once the cut-offs
    /// are walked (<see cref="CustomerSummaryBuilder.ReleaseDays"/>), unless the calibration is seasonal, which walks
    /// the year before again.
    /// </param>
    public static ChurnTrainingResult Train(CustomerSummaryBuilder builder, DateOnly asOf, int horizonDays, ChurnInputs inputs, ChurnTrainingOptions options, bool releaseDays = false)
    {
        var (evaluation, (model, fit, calibration)) = EvaluateCore<(ChurnModel, LearningRows, CalibrationRows)>(builder, asOf, horizonDays, inputs, options, releaseDays, (fit, testCutoff, seasonal) =>
        {
            var yearEarlier = seasonal ? YearEarlier(builder, testCutoff, asOf, fit.Rows.Schema, inputs, horizonDays, options) : null;
            ChurnModelTrainer.RequireBothClasses(fit.Count, fit.Churned, fit.Rows.Cutoff, "training");
            var classifier = ChurnModelTrainer.FitClassifier(fit.Rows, null, options);
            return calibration => (ChurnModelTrainer.Calibrate(classifier, calibration, options, yearEarlier), fit, calibration);
        });
        return new ChurnTrainingResult(model, asOf, fit.Rows.Cutoff, calibration.Cutoff, horizonDays, fit.Count, fit.Churned, fit.Rows.Count, evaluation);
    }

    /// <param name="alongside">
    /// The scoring model, trained beside the evaluation in two steps. The first is given the evaluation's calibration
    /// rows (A − 2H) as the scoring classifier learns from them (the sample, with the counts of all), the test cut-off
    /// (A − H) and whether the evaluation's calibration was seasonal (the scoring model's then is too: its periods are
    /// later); it runs while the test rows are built. The step it returns is given the test rows and runs while the
    /// evaluation is measured. Failures of the evaluation come first.
    /// </param>
    /// <remarks>
    /// The steps that leave a core idle overlap: the scoring classifier is trained while the test rows are built, and
    /// calibrated while the evaluation is measured. LightGBM's threads wait at every tree's barriers, and building the
    /// rows has steps on one core, so either alone used 1.3–1.4 of the 2 cores at 1.35M customers.
    /// The calibration cut-off's customers are dropped before the test cut-off's rows are prepared, so the two are never
    /// held at once (at 1.35M customers 645,000 and 1.35M rows of 120 bytes).
    /// </remarks>
    private static (ChurnEvaluationResult Result, T Alongside) EvaluateCore<T>(
        CustomerSummaryBuilder builder, DateOnly asOf, int horizonDays, ChurnInputs inputs, ChurnTrainingOptions options, bool releaseDays,
        Func<LearningRows, DateOnly, bool, Func<CalibrationRows, T>>? alongside)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var testCutoff = asOf.AddDays(-horizonDays);
        var calibrationCutoff = testCutoff.AddDays(-horizonDays);
        var trainCutoff = calibrationCutoff.AddDays(-horizonDays);
        // One walk over the transactions for the three cut-offs; each cut-off's rows are built when needed.
        // The classifier learns from at most TrainMaxRows of the training cut-off's rows: the walk draws the sample from
        // the labels and builds only its rows (the same rows and values as sampling the build of all; at 1.35M customers
        // 0.13 GB less at the walk).
        var cutoffs = new ChurnCutoffs(builder,
            [
                new(trainCutoff, options.ActiveDays, horizonDays, labels => ChurnTrainingSample.Rows(labels, options.TrainMaxRows, options.Seed)),
                new(calibrationCutoff, options.ActiveDays, horizonDays),
                new(testCutoff, null, horizonDays),
            ],
            schema, inputs);
        if (releaseDays && options.Calibration != ChurnCalibrationMethod.Seasonal)
        {
            // Nothing reads the transactions' days after the walk: freed now (0.2 GB at 1.35M customers) and given back
            // to the system. They are 1 MB chunks among the large arrays the walk made, so the holes they leave fit none
            // of the arrays that come next; kept for reuse (a collection without compaction), the run's peak on the
            // 10M-line sample was 1,036–1,045 MiB, given back 959–1,021 MiB (3 interleaved runs each; this collection
            // takes 0.22 s instead of 0.09 s).
            builder.ReleaseDays();
            HeapRelease.ToSystem();
        }

        // The training cut-off's sample is built while the calibration cut-off's customers are prepared (RFM ranks and
        // purchase-model columns); each has steps that run on one core (ranks, pattern groups). The calibration rows are
        // never built whole: they are built where they are scored, as the test cut-off's are, and only the scoring
        // classifier's sample of them is built as a matrix (at 1.35M customers 645,000 rows, 95 MB with their keys and ids).
        var trainLabels = cutoffs.Labels(0);
        var (trainRows, trainChurned) = (trainLabels.Length, trainLabels.Count(l => l));
        RequireRows(trainRows, trainCutoff, options.ActiveDays);
        ChurnDataset train = null!;
        ChurnFeatureBuilder.FeatureSource calibrationSource = null!;
        SideBySide.Run(() => train = cutoffs.Build(0), () => calibrationSource = cutoffs.Source(1));
        RequireRows(calibrationSource.Count, calibrationCutoff, options.ActiveDays);
        var calibrationLabels = calibrationSource.Labels();
        var calibration = new CalibrationRows(calibrationCutoff, calibrationLabels, m => RawScores(m, calibrationSource, null));
        // The training cut-off's customers and both preparations' working arrays are garbage now (at 1.35M customers
        // 1.2M keys, ranks and pattern groups each): freed, the steps below reuse their memory instead of faulting in new
        // pages. On the 10M-line sample the run's peak fell from 1.77–1.79 to 1.59–1.67 GB when this collection came
        // (the calibration rows were then built here too), and the next step got faster.
        HeapRelease.ForReuse();
        ChurnModelTrainer.RequireBothClasses(trainRows, trainChurned, trainCutoff, "training");
        var yearEarlier = options.Calibration == ChurnCalibrationMethod.Seasonal ? YearEarlier(builder, calibrationCutoff, testCutoff, schema, inputs, horizonDays, options) : null;

        // The evaluation's classifier is trained and calibrated on the calibration cut-off's rows while the scoring
        // classifier's sample of them is built: at most TrainMaxRows (at 1.35M customers 100,000 of 645,000), the same
        // sample as drawing it from all of them, in the same order.
        ChurnModel model = null!;
        LearningRows learning = null!;
        SideBySide.Run(
            () => model = ChurnModelTrainer.TrainOn(train, null, calibration, options, yearEarlier),
            () =>
            {
                var sampled = ChurnTrainingSample.Rows(calibrationLabels, options.TrainMaxRows, options.Seed);
                learning = new LearningRows(
                    calibrationSource.Rows(sampled, sampled is null ? calibrationLabels : Array.ConvertAll(sampled, i => calibrationLabels[i])),
                    calibrationLabels.Length,
                    calibration.Churned);
            });
        // The training rows and the calibration cut-off's customers are not read again (this method runs once, so
        // unoptimised, and its locals would otherwise live to its end): the test cut-off's rows reuse their memory.
        (train, calibrationSource, calibration) = (null!, null!, null!);
        HeapRelease.ForReuse();

        // The test cut-off's customers are measured twice, as everyone and as its active base, and the active base
        // calibrates the scoring model: their rows are built where they are scored and never kept (at 1.35M customers
        // everyone's matrix was 0.15 GB at the evaluation's peak, and the active base's 0.1 GB; see RawScores).
        ChurnFeatureBuilder.FeatureSource everyone = null!;
        bool[] everyoneLabels = null!;
        int[] activeRows = null!;
        Func<CalibrationRows, T>? calibrate = null;
        Exception? scoringFailure = null;
        SideBySide.Run(
            () =>
            {
                everyone = cutoffs.Source(2);
                everyoneLabels = everyone.Labels();
                activeRows = ChurnFeatureBuilder.ActiveRows(everyone.Count, i => everyone.Key(i).RecencyDays, options.ActiveDays);
            },
            () =>
            {
                try
                {
                    calibrate = alongside?.Invoke(learning, testCutoff, yearEarlier is not null);
                }
                catch (Exception ex)
                {
                    // Reported after the evaluation's own checks below.
                    scoringFailure = ex;
                }
            });
        learning = null!;

        // When everyone is active, the active base is everyone: one population, measured once.
        var allActive = activeRows.Length == everyone.Count;
        TValue[] Active<TValue>(TValue[] values) => allActive ? values : Array.ConvertAll(activeRows, i => values[i]);
        var testLabels = Active(everyoneLabels);
        var test = new CalibrationRows(testCutoff, testLabels, m => RawScores(m, everyone, allActive ? null : activeRows));
        RequireRows(testLabels.Length, testCutoff, options.ActiveDays);
        if (test.Churned == 0 || test.Churned == testLabels.Length)
        {
            throw new ModelFitException($"The churn test period after {testCutoff:yyyy-MM-dd} has {test.Churned:N0} churned of {testLabels.Length:N0} active customers: it cannot be evaluated.");
        }

        if (scoringFailure is not null)
        {
            ExceptionDispatchInfo.Capture(scoringFailure).Throw();
        }

        // Everyone is scored once; the active base's metrics read its share of the scores. The two populations' metrics
        // run side by side, and the scoring model is calibrated beside them.
        ChurnPopulationMetrics active = null!, all = null!;
        T result = default!;
        SideBySide.Run(
            () =>
            {
                var probabilities = Array.ConvertAll(RawScores(model, everyone, null), model.Calibration.Probability);
                var alive = everyone.ProbabilityAlive;
                if (allActive)
                {
                    active = all = Metrics(probabilities, everyoneLabels, everyone.Key, alive, options);
                    return;
                }

                SideBySide.Run(
                    () => active = Metrics(Active(probabilities), testLabels, i => everyone.Key(activeRows[i]), alive is null ? null : Active(alive), options),
                    () => all = Metrics(probabilities, everyoneLabels, everyone.Key, alive, options));
            },
            () => result = calibrate is null ? default! : calibrate(test));

        return (new ChurnEvaluationResult(trainCutoff, calibrationCutoff, testCutoff, horizonDays, options.ActiveDays, trainRows, trainChurned, ChurnTrainingSample.Size(trainRows, options.TrainMaxRows), active.Model, active.Baselines, all), result);
    }

    /// <summary>The rows a classifier learns from: the sample of a cut-off's rows (all of them below the cap), and that cut-off's counts.</summary>
    private sealed record LearningRows(ChurnDataset Rows, int Count, int Churned);

    /// <summary>
    /// The labelled active rows a year before <paramref name="calibrationCutoff"/> and before <paramref name="targetCutoff"/>
    /// for <see cref="SeasonalPlattScaling"/>; null when the earlier of them is less than a horizon after the first
    /// purchase, or either lacks churners or stayers (the calibration is then plain Platt scaling).
    /// </summary>
    private static ChurnYearEarlier? YearEarlier(CustomerSummaryBuilder builder, DateOnly calibrationCutoff, DateOnly targetCutoff, ChurnFeatureSchema schema, ChurnInputs inputs, int horizonDays, ChurnTrainingOptions options)
    {
        var latest = calibrationCutoff.AddDays(-SeasonalPlattScaling.YearDays);
        if (builder.FirstDate is not { } first || latest.DayNumber - first.DayNumber < horizonDays)
        {
            return null;
        }

        var rows = new[] { latest, targetCutoff.AddDays(-SeasonalPlattScaling.YearDays) }
            .Select(cutoff => ChurnFeatureBuilder.Build(builder, cutoff, schema, inputs, horizonDays, options.ActiveDays))
            .ToArray();
        return rows.All(r => r.Churned > 0 && r.Churned < r.Count) ? new ChurnYearEarlier(rows[0], rows[1]) : null;
    }

    /// <param name="probabilities">The model's churn probability of each customer.</param>
    /// <param name="row">Customer i's keys, for the baselines (read where they are kept, not copied).</param>
    /// <param name="probabilityAlive">P(alive) from the cut-off's purchase model; null fits BG/NBD on the customers' keys.</param>
    /// <remarks>The four rankings are independent (each sorts its own scores), so they run side by side.</remarks>
    private static ChurnPopulationMetrics Metrics(double[] probabilities, bool[] labels, Func<int, CustomerKeys> row, double[]? probabilityAlive, ChurnTrainingOptions options)
    {
        ChurnMetrics metrics = null!, recency = null!, bgnbd = null!, ownGap = null!;
        SideBySide.Run(
            () => metrics = ChurnMetricsCalculator.ForProbability(options.Trainer.ToString().ToLowerInvariant(), probabilities, labels),
            () => recency = ChurnMetricsCalculator.ForRanking("recency", Recency(labels.Length, row), labels),
            () =>
            {
                var alive = probabilityAlive ?? BgNbdAlive(labels.Length, row);
                bgnbd = ChurnMetricsCalculator.ForProbability("bgnbd_1_minus_p_alive", alive.Select(p => 1 - p).ToArray(), labels);
            },
            () => ownGap = ChurnMetricsCalculator.ForRanking("recency_over_own_gap", RecencyOverOwnGap(labels.Length, i => OwnGap(row(i))), labels));
        return new ChurnPopulationMetrics(metrics, [recency, bgnbd, ownGap]);
    }

    /// <summary>
    /// The model's raw scores of the customers of <paramref name="source"/> at <paramref name="rows"/> (all when null):
    /// each row built into a buffer of its worker and scored there for tree models, otherwise <see cref="ScoringChunk"/>
    /// rows at a time through ML.NET. The same scores as <see cref="ChurnModel.RawScores"/> of their built rows.
    /// </summary>
    private static double[] RawScores(ChurnModel model, ChurnFeatureBuilder.FeatureSource source, int[]? rows)
    {
        var n = rows?.Length ?? source.Count;
        var scores = new double[n];
        if (model.ScoresWithTrees)
        {
            Parallel.For(0, n, () => new float[source.Width], (j, _, row) =>
            {
                source.Fill(rows is null ? j : rows[j], row);
                scores[j] = model.RawScore(row);
                return row;
            }, _ => { });
            return scores;
        }

        var chunk = new int[Math.Min(ScoringChunk, n)];
        for (var start = 0; start < n; start += ScoringChunk)
        {
            var count = Math.Min(ScoringChunk, n - start);
            for (var j = 0; j < count; j++)
            {
                chunk[j] = rows is null ? start + j : rows[start + j];
            }

            model.RawScores(source.Rows(new ArraySegment<int>(chunk, 0, count), labels: null)).CopyTo(scores, start);
        }

        return scores;
    }

    /// <summary>Rows per chunk of <see cref="RawScores"/>: 7 MB of features at 27 columns.</summary>
    private const int ScoringChunk = 65_536;

    /// <summary>
    /// Recency divided by the customer's own mean gap between occasions: the seed's "change against their own
    /// history". A one-time buyer has no gap of their own and is measured against the median mean gap of the
    /// population's repeat buyers (1 day when there are none).
    /// </summary>
    internal static double[] RecencyOverOwnGap(IReadOnlyList<CustomerSummary> customers) =>
        RecencyOverOwnGap(customers.Count, i => (customers[i].RecencyDays, customers[i].Frequency, customers[i].MeanGapDays));

    /// <param name="customer">Customer i's recency in days, repeat frequency and mean gap in days.</param>
    private static double[] RecencyOverOwnGap(int count, Func<int, (int RecencyDays, int Frequency, double MeanGapDays)> customer)
    {
        // The repeat buyers' gaps are sorted in the front of the result array, which is overwritten after: no list that
        // grows through large arrays (at 1.35M customers 16 MB of them, for each of the two test populations).
        var result = new double[count];
        var repeat = 0;
        for (var i = 0; i < count; i++)
        {
            if (customer(i) is { Frequency: > 0 } c)
            {
                result[repeat++] = c.MeanGapDays;
            }
        }

        var gaps = result.AsSpan(0, repeat);
        gaps.Sort();
        var typical = repeat == 0 ? 1.0 : Math.Max(1.0, gaps[repeat / 2]);
        for (var i = 0; i < count; i++)
        {
            var c = customer(i);
            result[i] = c.RecencyDays / (c.Frequency > 0 ? Math.Max(1.0, c.MeanGapDays) : typical);
        }

        return result;
    }

    private static double[] Recency(int count, Func<int, CustomerKeys> row)
    {
        var recency = new double[count];
        for (var i = 0; i < count; i++)
        {
            recency[i] = row(i).RecencyDays;
        }

        return recency;
    }

    private static (int RecencyDays, int Frequency, double MeanGapDays) OwnGap(CustomerKeys c) => (c.RecencyDays, c.Frequency, c.MeanGapDays);

    private static double[] BgNbdAlive(int count, Func<int, CustomerKeys> row)
    {
        var customers = Enumerable.Range(0, count).Select(row);
        var options = new ClvScoringOptions();
        var unit = options.TimeUnitDays;
        var model = ClvScorer.FitPurchaseModel("bgnbd", RepeatPatterns.From(customers.Select(c => ((double)c.Frequency, c.TxDays / unit, c.AgeDays / unit))), options.Fit with { StandardErrors = false });
        return customers.Select(c => model.ProbabilityAlive(c.Frequency, c.TxDays / unit, c.AgeDays / unit)).ToArray();
    }

    private static void RequireRows(int count, DateOnly cutoff, int activeDays)
    {
        if (count == 0)
        {
            throw new ModelFitException($"No customer bought in the {activeDays} days before the churn cut-off {cutoff:yyyy-MM-dd}: the history is shorter than three horizons (use a shorter --churn-horizon, or --churn-trainer none to skip churn).");
        }
    }
}
