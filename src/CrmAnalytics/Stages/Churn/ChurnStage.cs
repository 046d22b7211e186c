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

/// <summary>The churn model of a scoring run, trained at cut-offs before the as-of date or loaded, and what it reads.</summary>
/// <param name="Source">"trained_in_run", or the model file's name.</param>
/// <param name="Inputs">What the features are computed from besides the transactions; scoring reads the same.</param>
/// <param name="Milliseconds">The time it took to train or load.</param>
internal sealed record ChurnTraining(ChurnModel Model, ChurnModelInfo Info, string Source, ChurnInputs Inputs, long Milliseconds);

/// <summary>
/// The churn steps of a scoring run: train in the run (or load a model), then score the active base at the as-of date
/// and list the warnings. <c>crm score</c> values every customer's CLV in between, once training has freed the days.
/// </summary>
public static class ChurnStage
{
    /// <param name="builder">The transactions, for training at cut-offs before the as-of date; training frees their days (nothing after it reads them).</param>
    internal static ChurnTraining Train(ChurnJobOptions options, CustomerSummaryBuilder builder, DateOnly asOf, ChurnInputs inputs, RunLog log)
    {
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
            // Training's cut-off rows and feature matrices are garbage now, and given back to the system: the CLV columns
            // that come next are one 173 MB array at 1.35M customers, which the holes they leave do not fit. In interleaved
            // runs on the 10M-line sample the clv stage's peak fell from 1,050–1,121 to 616–618 MiB, churn scoring's from
            // 1,048–1,118 to 728–765 and the write's from 910–1,000 to 883–889; the run's peak is churn training's
            // (1,044–1,059 MiB against 1,050–1,121 before), and the median wall time 19.1 → 18.7 s (7 pairs).
            HeapRelease.ToSystem();
        }

        return new ChurnTraining(model, info, source, inputs, watch.ElapsedMilliseconds);
    }

    /// <param name="snapshot">The run's customers at the as-of date, which scoring reads rather than rebuilds.</param>
    /// <param name="customers">The customer table, aligned with the snapshot's customers.</param>
    internal static ChurnStageResult Score(ChurnJobOptions options, ChurnTraining training, CustomerSnapshot snapshot, ScoredCustomers customers, RunLog log)
    {
        var (model, info, source, inputs) = (training.Model, training.Info, training.Source, training.Inputs);
        var asOf = snapshot.AsOf;
        var watch = Stopwatch.StartNew();
        // A loaded model scores the base it was trained on, with the CLV features of the purchase model it was trained with.
        var activeDays = info.Options.ActiveDays;
        var scoring = ChurnScorer.Score(model, snapshot, info.ScoringInputs(inputs), activeDays, options.Bands);
        // The scoring features are garbage now: freed for the writers to reuse.
        HeapRelease.ForReuse();
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
            training.Milliseconds,
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
