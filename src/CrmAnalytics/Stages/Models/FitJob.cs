using System.Globalization;
using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Models;
using CrmAnalytics.Churn.Scoring;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Rfm;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.Stages.Churn;
using CrmAnalytics.Stages.Clv;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Stages.Models;

/// <summary><c>crm fit --fit-sample N --fit-seed S</c>; null <see cref="Size"/> fits on every customer.</summary>
public sealed record FitSampleOptions(int? Size, int Seed);

/// <summary>
/// <c>crm fit</c>: read the transactions as <c>crm score</c> does, fit every population-wide model once, and publish the
/// <see cref="ModelBundle"/> folder atomically (bundle.json, the churn model with its sidecar, rejects.csv).
/// </summary>
public sealed class FitJob(ScoreJobOptions options, FitSampleOptions sample, RunLog log)
{
    /// <summary>Runs the job and publishes its output; returns the exit code (failures throw the exception of their exit code).</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var inputs = new[] { options.Source.Postgres is null ? options.Transactions : null, options.Nps?.Surveys, options.Churn?.AttributesPath, options.Churn?.ModelPath }.OfType<string>();
        using var publisher = OutputPublisher.Begin(Path.GetFullPath(options.OutputDirectory), inputs);
        var work = publisher.WorkingDirectory;
        using var meter = new StageMeter();
        var stages = new ScoreStages(options, log, meter);
        var input = await stages.ReadAsync(work, ct).ConfigureAwait(false);
        var population = await stages.SummarizeAsync(input, ct).ConfigureAwait(false);
        var fitOn = sample.Size is { } size ? FitSample.Draw(population, size, sample.Seed) : population;
        log.Info("fit", string.Create(CultureInfo.InvariantCulture,
            $"fitting on {fitOn.Customers.Count:N0} of {population.Customers.Count:N0} customers{(fitOn == population ? string.Empty : $" (seeded sample, seed {sample.Seed})")}"));

        var rfm = RfmBreakpoints.From(fitOn.Customers);
        var clvOptions = options.Clv;
        if (clvOptions is { Model: ClvScoringOptions.Auto })
        {
            // --clv-model auto: the same holdout choice as crm score makes, on the whole export; the bundle keeps the pick.
            var chosen = await Cancellable.RunAsync(() => ClvHoldoutStage.Run(input.Transactions.Builder, input.AsOf, clvOptions, log), ct).ConfigureAwait(false);
            clvOptions = clvOptions with { Model = chosen.Model };
        }

        var clv = clvOptions is not null
            ? await Cancellable.RunAsync(() => FitClv(fitOn.Customers, clvOptions), ct).ConfigureAwait(false)
            : null;
        var snapshot = new CustomerSnapshot(population, population.Customers.Select(rfm.Score).ToArray(), clv?.PurchaseModel());
        var churn = options.Churn is { } churnOptions
            ? await Cancellable.RunAsync(() => FitChurn(churnOptions, clvOptions, input, snapshot, work), ct).ConfigureAwait(false)
            : null;

        var bundle = new ModelBundle(
            ModelBundle.SchemaName,
            ModelBundle.CurrentSchemaVersion,
            ToolInfo.Version,
            input.AsOf,
            population.Customers.Count,
            fitOn.Customers.Count,
            sample.Size,
            sample.Seed,
            rfm,
            options.Scoring.TopShare,
            ValueTier.Cut(fitOn.Customers, options.Scoring.TopShare),
            options.Scoring.Lifecycle,
            clv,
            churn);
        ct.ThrowIfCancellationRequested();
        bundle.Save(work);
        publisher.Commit();
        log.Info("publish", $"published the model bundle to {options.OutputDirectory}");
        return ExitCodes.Ok;
    }

    /// <exception cref="ModelFitException">A fit did not converge (exit 5).</exception>
    private static BundleClv FitClv(IReadOnlyList<CustomerSummary> customers, ClvScoringOptions clvOptions)
    {
        var purchase = ClvScorer.FitPurchaseModel(clvOptions.Model, customers, clvOptions);
        var spend = GammaGammaModel.Fit(SpendPatterns.From(customers), clvOptions.Fit);
        return new BundleClv(clvOptions.Model, clvOptions.TimeUnitDays, purchase.Fit, ((ISpendModel)spend).Fit);
    }

    /// <summary>
    /// Trains the churn model (or copies <c>--churn-model</c>) into the bundle, then scores the whole population with it
    /// to freeze the rank bands' probability cut-offs.
    /// </summary>
    private BundleChurn FitChurn(ChurnJobOptions churnOptions, ClvScoringOptions? clvOptions, RunInput input, CustomerSnapshot snapshot, string work)
    {
        var inputs = new ChurnInputs { Scoring = options.Scoring, Clv = clvOptions, Surveys = input.Surveys?.Responses, Attributes = input.Attributes?.Attributes };
        var path = Path.Combine(work, ModelBundle.ChurnModelFileName);
        LoadedChurnModel model;
        if (churnOptions.ModelPath is { } given)
        {
            model = ChurnModelFile.Load(given);
        }
        else
        {
            var horizon = ChurnWorkflow.ChooseHorizon(input.Transactions.Builder, input.AsOf, churnOptions.HorizonDays);
            ChurnStage.LogHorizon(horizon, log);
            var trained = ChurnWorkflow.Train(input.Transactions.Builder, input.AsOf, horizon.Days, inputs, churnOptions.Training);
            model = new LoadedChurnModel(trained.Model, ChurnModelFile.Describe(trained, churnOptions.Training, horizon, ToolInfo.Version, clvOptions?.Model));
        }

        ChurnModelFile.Save(path, model.Model, model.Info);
        var scoring = ChurnScorer.Score(model.Model, snapshot, model.Info.ScoringInputs(inputs), model.Info.Options.ActiveDays, churnOptions.Bands with { Thresholds = null });
        log.Info("churn", string.Create(CultureInfo.InvariantCulture,
            $"{model.Info.Trainer}: rank-band cut-offs high ≥ {scoring.Bands.HighCutoff:G6}, medium ≥ {scoring.Bands.MediumCutoff:G6} on an active base of {scoring.Active:N0}"));
        return new BundleChurn(ModelBundle.ChurnModelFileName, scoring.Bands.HighCutoff, scoring.Bands.MediumCutoff);
    }
}
