using System.Diagnostics;
using System.Globalization;
using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Models;
using CrmAnalytics.Churn.Scoring;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Cli.Logging;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Output;

namespace CrmAnalytics.Cli.Churn;

/// <summary>The churn step of a scoring run: train in the run (or load a model), score at the as-of date, summarise.</summary>
internal static class ChurnStage
{
    /// <summary>The "expected value lost" of the at-risk list: churn_probability × clv (× 1 without CLV), input currency.</summary>
    public static CustomerColumn ExpectedValueLost { get; } = CustomerColumn.NullableReal(
        "expected_value_lost",
        "churn_probability × clv_<H>m: the value at stake if the customer leaves, input currency; null without CLV",
        CsvRounding.Cents,
        c => c.Churn is { } ch && c.Clv is { } clv ? ch.Probability * clv.Clv : null);

    public static (IReadOnlyList<ScoredCustomer> Customers, ChurnSummary Summary) Run(
        ChurnJobOptions options, CustomerSummaryBuilder builder, DateOnly asOf, ChurnInputs inputs, IReadOnlyList<ScoredCustomer> customers, RunLog log)
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
            var trained = ChurnWorkflow.Train(builder, asOf, options.HorizonDays, inputs, options.Training);
            (model, info, source) = (trained.Model, ChurnModelFile.Describe(trained, options.Training, Score.ScoreJob.ToolVersion), "trained_in_run");
        }

        var trainMs = watch.ElapsedMilliseconds;
        watch.Restart();
        var rows = ChurnScorer.Score(model, builder, asOf, inputs, options.Thresholds);
        if (rows.Length != customers.Count)
        {
            throw new InvalidOperationException("Churn rows and customers are not aligned.");
        }

        var scored = customers.Select((c, i) => c with { Churn = rows[i] }).ToArray();
        var scoreMs = watch.ElapsedMilliseconds;
        var high = HighRiskList(scored);
        var bands = Enum.GetValues<ChurnRisk>().ToDictionary(ChurnRiskThresholds.Code, r => rows.Count(x => x.Risk == r));
        var summary = new ChurnSummary(
            source,
            info.Trainer,
            info.HorizonDays,
            info.AsOf,
            info.TrainingCutoff,
            info.TrainingRows,
            info.TrainingChurned,
            info.Features.Select(f => f.Name).ToArray(),
            info.Calibration.A,
            info.Calibration.B,
            options.Thresholds.High,
            options.Thresholds.Medium,
            bands,
            rows.Length == 0 ? 0 : rows.Average(r => r.Probability),
            high.Count,
            scored.Any(c => c.Clv is not null) ? high.Sum(c => c.Churn!.Probability * c.Clv!.Value.Clv) : null,
            info.Evaluation,
            trainMs,
            scoreMs);

        var e = info.Evaluation;
        log.Info("churn", string.Create(CultureInfo.InvariantCulture,
            $"{info.Trainer} ({source}): test AUC {e.Model.Auc:F3} vs recency {e.Baselines[0].Auc:F3}, BG/NBD {e.Baselines[1].Auc:F3}; high {bands["high"]:N0}, medium {bands["medium"]:N0}, low {bands["low"]:N0}"));
        return (scored, summary);
    }

    /// <summary>High-risk customers by expected value lost (probability × CLV when fitted, else probability), then id.</summary>
    public static IReadOnlyList<ScoredCustomer> HighRiskList(IReadOnlyList<ScoredCustomer> customers) =>
        customers
            .Where(c => c.Churn?.Risk == ChurnRisk.High)
            .OrderByDescending(c => c.Churn!.Probability * (c.Clv?.Clv ?? 1.0))
            .ThenBy(c => c.Summary.CustomerId, StringComparer.Ordinal)
            .ToArray();
}
