using CrmAnalytics.Core;
using CrmAnalytics.Core.Internals;
using System.Diagnostics;
using System.Globalization;
using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Models;
using CrmAnalytics.Churn.Scoring;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Churn;

namespace CrmAnalytics.Stages.Churn;

/// <summary>What the churn step adds to a run.</summary>
/// <param name="Customers">The customers with their churn columns.</param>
/// <param name="Warnings">The rows of segments/churn-warning.csv.</param>
internal sealed record ChurnStageResult(ScoredCustomers Customers, ChurnSummary Summary, IReadOnlyList<ChurnWarning> Warnings);

/// <summary>The churn step of a scoring run: train in the run (or load a model), score the active base at the as-of date, list the warnings.</summary>
public static class ChurnStage
{
    /// <param name="builder">The transactions, for training at cut-offs before the as-of date; training frees their days (nothing after it reads them).</param>
    /// <param name="snapshot">The run's customers at the as-of date, which scoring reads rather than rebuilds.</param>
    /// <param name="customers">The customer table, aligned with the snapshot's customers.</param>
    internal static ChurnStageResult Run(
        ChurnJobOptions options, CustomerSummaryBuilder builder, CustomerSnapshot snapshot, ChurnInputs inputs, ScoredCustomers customers, RunLog log)
    {
        var asOf = snapshot.AsOf;
        var watch = Stopwatch.StartNew();
        ChurnModel model;
        ChurnModelInfo info;
        string source;
        if (options.ModelPath is { } path)
        {
            var loaded = ChurnModelFile.Load(path);
            (model, info, source) = (loaded.Model, loaded.Info, Path.GetFileName(path));
            var age = asOf.DayNumber - info.AsOf.DayNumber;
            if (age > options.MaxModelAgeDays)
            {
                log.Warn("churn", string.Create(CultureInfo.InvariantCulture,
                    $"the churn model was trained as of {info.AsOf:yyyy-MM-dd}, {age} days before this run's as-of (limit --churn-max-model-age-days {options.MaxModelAgeDays}); retrain it with 'crm churn train'."));
            }
        }
        else
        {
            var horizon = ChurnWorkflow.ChooseHorizon(builder, asOf, options.HorizonDays);
            LogHorizon(horizon, log);
            // The run reads no transaction days after churn training (scoring reads the snapshot), so training frees them.
            var trained = ChurnWorkflow.Train(builder, asOf, horizon.Days, inputs, options.Training, releaseDays: true);
            (model, info, source) = (trained.Model, ChurnModelFile.Describe(trained, options.Training, horizon, ToolInfo.Version, inputs.Clv?.Model), "trained_in_run");
            // Training's cut-off rows and feature matrices are garbage now; scoring builds its own (see HeapRelease).
            HeapRelease.AfterPhase();
        }

        var trainMs = watch.ElapsedMilliseconds;
        watch.Restart();

        // A loaded model scores the base it was trained on, with the CLV features of the purchase model it was trained with.
        var activeDays = info.Options.ActiveDays;
        var scoring = ChurnScorer.Score(model, snapshot, info.ScoringInputs(inputs), activeDays, options.Bands);
        // The scoring features are garbage now, and the outputs are written next (see HeapRelease).
        HeapRelease.AfterPhase();
        if (scoring.Customers.Length != customers.Count)
        {
            throw new InvalidOperationException("Churn rows and customers are not aligned.");
        }

        var scored = customers.WithChurn(scoring.Customers);
        var scoreMs = watch.ElapsedMilliseconds;
        var warnings = ChurnWarningList.Build(scored, options.ListMax, options.ContactPlan, asOf);
        var bands = Enum.GetValues<ChurnRisk>().ToDictionary(ChurnRiskThresholds.Code, r => scoring.Customers.Count(x => x.Risk == r));
        var rank = options.Bands.Thresholds is null;
        var summary = new ChurnSummary(
            source,
            info.Trainer,
            info.HorizonDays,
            info.Horizon,
            info.AsOf,
            info.TrainingCutoff,
            info.CalibrationCutoff,
            info.TrainingRows,
            info.TrainingRowsUsed,
            info.TrainingChurned,
            info.Features.Select(f => f.Name).ToArray(),
            info.Calibration.Method,
            info.Calibration.A,
            info.Calibration.B,
            activeDays,
            scoring.Active,
            scoring.Lapsed,
            options.Bands.Mode,
            rank ? options.Bands.HighShare : null,
            rank ? options.Bands.MediumShare : null,
            scoring.Bands.HighCutoff,
            scoring.Bands.MediumCutoff,
            bands,
            scoring.Active == 0 ? null : scoring.Customers.Where(r => r.Probability is not null).Average(r => r.Probability!.Value),
            warnings.Count,
            options.ListMax,
            warnings.All(w => w.ExpectedValueLost is not null) && warnings.Count > 0 ? warnings.Sum(w => w.ExpectedValueLost!.Value) : null,
            info.Evaluation,
            trainMs,
            scoreMs);

        var e = info.Evaluation;
        log.Info("churn", string.Create(CultureInfo.InvariantCulture,
            $"{info.Trainer} ({source}): active base {scoring.Active:N0}, lapsed {scoring.Lapsed:N0}; test AUC on the active base {e.Model.Auc:F3} vs {string.Join(", ", e.Baselines.Select(b => $"{b.Name} {b.Auc:F3}"))}; high {bands["high"]:N0}, medium {bands["medium"]:N0}, low {bands["low"]:N0}; warning list {warnings.Count:N0}"));
        return new ChurnStageResult(scored, summary, warnings);
    }

    /// <summary>Logs the churn horizon and how it was chosen (<c>crm score</c>, <c>crm fit</c> and <c>crm churn</c> say it alike).</summary>
    public static void LogHorizon(ChurnHorizonChoice horizon, RunLog log) =>
        log.Info("churn", horizon.Rule == "auto"
            ? string.Create(CultureInfo.InvariantCulture,
                $"horizon {horizon.Days} days (auto: 80th percentile of {horizon.Gaps:N0} repeat gaps = {(horizon.GapPercentileDays is { } p ? p.ToString(CultureInfo.InvariantCulture) + " days" : "none")}, in weeks, clamped to 28…{horizon.MaxDays})")
            : string.Create(CultureInfo.InvariantCulture, $"horizon {horizon.Days} days (fixed)"));
}
