using System.Globalization;
using System.Runtime.ExceptionServices;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Rejects;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Churn;
using CrmAnalytics.Stages.Clv;
using CrmAnalytics.Stages.Drift;
using CrmAnalytics.Stages.Input;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Stages.Nps;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Segmentation;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Attributes;
using CrmAnalytics.IO.Input.Surveys;

namespace CrmAnalytics.Stages.Score;

/// <summary>
/// The stages of <c>crm score</c>, in the order <see cref="ScoreJob"/> runs them: read → summarize → score → CLV
/// fits → churn training → CLV columns → churn scoring → nps → drift → write. Each takes the records of the stages
/// before it and returns a new one; the expensive ones run through
/// <see cref="Cancellable.RunAsync{T}(Func{T}, CancellationToken)"/> so that a cancelled run stops.
/// </summary>
internal sealed class ScoreStages(ScoreJobOptions options, RunLog log, StageMeter meter)
{
    /// <summary>Reads and validates the transactions, surveys and customer attributes; rejected rows go to rejects.csv in <paramref name="work"/>.</summary>
    public async Task<RunInput> ReadAsync(string work, CancellationToken ct)
    {
        TransactionReadResult read;
        CustomerAttributesReadResult? attributes = null;
        (SurveyReadResult Result, long Milliseconds)? surveys = null;
        using (var rejects = RejectsWriter.Create(Path.Combine(work, OutputFileNames.Rejects)))
        {
            long milliseconds;
            (read, milliseconds) = await TransactionIngest.ReadAsync(options.Transactions, options.Read, options.Source, rejects, log, ct).ConfigureAwait(false);
            meter.Record("read", milliseconds);
            if (options.Nps is { } nps && read.Builder.LastDate is not null)
            {
                // Responses on or after the as-of date are rejected (date_after_as_of), as transactions are.
                surveys = await NpsStage.ReadAsync(nps.Surveys, nps.Read with { AsOf = options.Read.AsOf ?? read.Builder.DefaultAsOf() }, rejects, log, ct).ConfigureAwait(false);
            }

            if (options.Churn?.AttributesPath is { } attributesPath)
            {
                attributes = CustomerAttributesReader.Read(attributesPath, rejects);
                log.Info("read", string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(attributesPath)}: {attributes.Accounting.RowsAccepted:N0} customers with {attributes.Attributes.Columns.Count} attribute columns, {attributes.Accounting.RowsRejected:N0} rows rejected"));
            }
        }

        ct.ThrowIfCancellationRequested();
        var asOf = TransactionIngest.Check(read, options.Read, options.MaxRejectRate, options.MaxExcludedRate, log);
        if (surveys is { } checkedSurveys)
        {
            NpsStage.Check(checkedSurveys.Result, options.MaxRejectRate, log);
            meter.Record("surveys", checkedSurveys.Milliseconds);
        }

        return new RunInput(read, asOf, attributes, surveys?.Result);
    }

    /// <summary>
    /// The in-memory stages, summarize → score → value → churn → surveys: what <c>crm score</c> and the library's
    /// <see cref="Scorecard"/> both run on the accepted input.
    /// </summary>
    public async Task<ScoreRun> ModelAsync(RunInput input, CancellationToken ct)
    {
        var summary = await SummarizeAsync(input, ct).ConfigureAwait(false);
        int? outsideShard = null;
        if (options.Shard is { } shard)
        {
            var all = summary.Customers.Count;
            summary = shard.Select(summary);
            outsideShard = all - summary.Customers.Count;
            log.Info("summarize", string.Create(CultureInfo.InvariantCulture,
                $"shard {shard}: scoring the {summary.Customers.Count:N0} customers whose id hashes to it; {outsideShard:N0} hash to other shards"));
        }

        var run = Score(input, summary) with { CustomersOutsideShard = outsideShard };
        // CLV is fitted before churn training, whose features need to know the purchase model, and every customer is
        // valued after it: training frees the transactions' days, so the CLV columns (0.17 GB at 1.35M customers) and
        // the cut-offs' rows are never held at once.
        run = await FitValueAsync(run, ct).ConfigureAwait(false);
        run = await TrainChurnAsync(run, ct).ConfigureAwait(false);
        ReleaseDays(run.Input.Transactions.Builder);
        run = await ValueAsync(run, ct).ConfigureAwait(false);
        run = await ChurnAsync(run, ct).ConfigureAwait(false);
        return JoinSurveys(run);
    }

    /// <summary>
    /// Frees the transactions' days, which no stage after churn training reads (the later ones read the snapshot), when
    /// training has not freed them already: with a loaded churn model (<c>--churn-model</c>, <c>--models</c>), without
    /// churn, when churn was skipped, or with the seasonal calibration. They are given back to the system for the
    /// arrays that come next, which their 1 MB chunks do not fit (the CLV columns are one array of 173 MB at 1.35M
    /// customers). On the 10M-line sample the run's peak with a loaded churn model fell from 1,004–1,021 to 841–848 MiB,
    /// and without churn from 921–951 to 754–807 MiB.
    /// </summary>
    private static void ReleaseDays(CustomerSummaryBuilder builder)
    {
        if (!builder.DaysReleased)
        {
            builder.ReleaseDays();
            Core.Internals.HeapRelease.ToSystem();
        }
    }

    /// <summary>One record per customer as of the as-of date.</summary>
    public async Task<CustomerSummaryResult> SummarizeAsync(RunInput input, CancellationToken ct)
    {
        var summary = await meter.TimeAsync("summarize", () => Cancellable.RunAsync(() => input.Transactions.Builder.Build(input.AsOf), ct)).ConfigureAwait(false);
        log.Info("summarize", string.Create(CultureInfo.InvariantCulture,
            $"{summary.Customers.Count:N0} customers as of {input.AsOf:yyyy-MM-dd} ({summary.CustomersWithoutPurchases:N0} with only returns)"));
        return summary;
    }

    /// <summary>RFM scores and segments, lifecycle stages and tiers; the snapshot keeps the RFM scores for the later stages.</summary>
    public ScoreRun Score(RunInput input, CustomerSummaryResult summary) =>
        meter.Time("score", () =>
        {
            var scoring = options.Models is { } bundle
                ? CustomerSegmenter.Segment(summary, options.Scoring, summary.Customers.Select(bundle.Rfm.Score).ToArray(),
                    summary.Customers.Select(c => bundle.ValueTierCut?.Contains(c) ?? false).ToArray())
                : CustomerSegmenter.Segment(summary, options.Scoring);
            // The table moves to ScoreRun.Customers, where each model stage adds its columns.
            return new ScoreRun(input, new CustomerSnapshot(summary, scoring.Customers.Rfm), scoring with { Customers = ScoredCustomers.Empty })
            {
                Customers = scoring.Customers,
            };
        });

    /// <summary>
    /// The holdout check and the CLV fits at the as-of date; the snapshot keeps the purchase model. With covariates the
    /// columns come from the covariate model, fitted here too. Without CLV, the run as is.
    /// </summary>
    public async Task<ScoreRun> FitValueAsync(ScoreRun run, CancellationToken ct)
    {
        if (options.Clv is not { } clvOptions)
        {
            return run;
        }

        ClvHoldoutOutcome? holdout = null;
        ClvFitted fitted;
        try
        {
            // The holdout check runs first: with --clv-model auto it picks the model the whole window is fitted with.
            // It refits at an earlier date, which is training: a run with --models does not do it.
            if (options.Models is null)
            {
                holdout = await meter.TimeAsync("clv_holdout", () => Cancellable.RunAsync(() => ClvHoldoutStage.Run(run.Input.Transactions.Builder, run.Snapshot.AsOf, clvOptions, log), ct)).ConfigureAwait(false);
                clvOptions = clvOptions with { Model = holdout.Model };
            }

            var customers = run.Snapshot.Customers;
            var fits = await meter.TimeAsync("clv_fit", () => Cancellable.RunAsync(() => options.Models?.Clv is { } bundle
                ? ClvScorer.Fitted(bundle.PurchaseModel(), bundle.SpendModel(), customers)
                : ClvScorer.FitModels(customers, clvOptions), ct)).ConfigureAwait(false);
            fitted = new ClvFitted(clvOptions, fits, holdout);
            // With covariates the columns come from the covariate model: the plain models are fitted, not scored.
            if (clvOptions.Covariates.Any)
            {
                var plain = ClvScorer.Fit(fits, clvOptions);
                var (covariates, scored) = await meter.TimeAsync("clv_covariates", () => Cancellable.RunAsync(
                    () => ClvCovariateStage.Run(customers, plain, run.Input.Attributes?.Attributes, options.Churn?.AttributesPath, clvOptions, log), ct)).ConfigureAwait(false);
                fitted = fitted with { Scored = scored, Covariates = covariates };
            }
        }
        catch (Core.ModelFitException ex) when (!options.RequireClv)
        {
            return run with { ClvSkipped = ModelSkip.Warn("clv", ex, log) };
        }

        return run with
        {
            Snapshot = run.Snapshot with { PurchaseModel = fitted.PurchaseModel },
            ClvFit = fitted,
        };
    }

    /// <summary>Every customer's CLV columns under the fits of <see cref="FitValueAsync"/>, and the CLV section. Without CLV, the run as is.</summary>
    public async Task<ScoreRun> ValueAsync(ScoreRun run, CancellationToken ct)
    {
        if (run.ClvFit is not { } fitted)
        {
            return run;
        }

        var clvOptions = fitted.Options;
        ClvScoringResult clv;
        try
        {
            clv = fitted.Scored ?? await meter.TimeAsync("clv", () => Cancellable.RunAsync(() => ClvScorer.Score(fitted.Fits, run.Snapshot.Customers, clvOptions), ct)).ConfigureAwait(false);
        }
        catch (Core.ModelFitException ex) when (!options.RequireClv)
        {
            return run with { ClvFit = null, ClvSkipped = ModelSkip.Warn("clv", ex, log) };
        }

        var summary = ClvSummary.From(clv, clvOptions);
        log.Info("clv", string.Create(CultureInfo.InvariantCulture,
            $"{clv.PurchaseModel.Name}: LL {clv.PurchaseModel.Fit.LogLikelihood:F2} ({clv.PurchaseModel.Fit.Optimizer}, {clv.PurchaseModel.Fit.Iterations} iterations); gamma-gamma LL {clv.SpendModel.Fit.LogLikelihood:F2}; total clv_{clvOptions.Value.HorizonMonths}m {summary.TotalClv:N2}"));
        ClvWarnings.SpendDependence(summary.SpendIndependence, log);
        return run with
        {
            ClvFit = null,
            // The columns of the last model that ran: the table shares every other column, so this copies nothing.
            Customers = run.Customers.WithClv(clv.Customers),
            Clv = summary with { Holdout = fitted.Holdout?.Holdout, Selection = fitted.Holdout?.Selection, Covariates = fitted.Covariates },
        };
    }

    /// <summary>Trains (or loads) the churn model on the transactions, which it frees. Without churn, the run as is.</summary>
    public async Task<ScoreRun> TrainChurnAsync(ScoreRun run, CancellationToken ct)
    {
        if (options.Churn is not { } churnOptions)
        {
            return run;
        }

        // The CLV features are computed with the purchase model the CLV columns come from, and left out when CLV was skipped.
        var inputs = new ChurnInputs
        {
            Scoring = options.Scoring,
            Clv = run.ClvSkipped is not null ? null : options.Clv is { } clv && run.ClvFit is { } fitted ? clv with { Model = fitted.PurchaseModel.Name } : options.Clv,
            Surveys = run.Input.Surveys?.Responses,
            Attributes = run.Input.Attributes?.Attributes,
        };
        try
        {
            var training = await meter.TimeAsync("churn_train", () => Cancellable.RunAsync(
                () => ChurnStage.Train(churnOptions, run.Input.Transactions.Builder, run.Snapshot.AsOf, inputs, log), ct)).ConfigureAwait(false);
            return run with { ChurnTraining = training };
        }
        catch (Core.ModelFitException ex) when (!options.RequireChurn)
        {
            return run with { ChurnSkipped = ModelSkip.Warn("churn", ex, log) };
        }
    }

    /// <summary>Scores the snapshot's active base with the model of <see cref="TrainChurnAsync"/> and lists the warnings. Without churn, the run as is.</summary>
    public async Task<ScoreRun> ChurnAsync(ScoreRun run, CancellationToken ct)
    {
        if (options.Churn is not { } churnOptions || run.ChurnTraining is not { } training)
        {
            return run;
        }

        try
        {
            var churn = await meter.TimeAsync("churn", () => Cancellable.RunAsync(
                () => ChurnStage.Score(churnOptions, training, run.Snapshot, run.Customers, log), ct)).ConfigureAwait(false);
            return run with { ChurnTraining = null, Customers = churn.Customers, Churn = churn };
        }
        catch (Core.ModelFitException ex) when (!options.RequireChurn)
        {
            return run with { ChurnTraining = null, ChurnSkipped = ModelSkip.Warn("churn", ex, log) };
        }
    }

    /// <summary>Joins each customer's latest survey response. Without surveys, the run as is.</summary>
    public ScoreRun JoinSurveys(ScoreRun run)
    {
        if (run.Input.Surveys is not { } surveys)
        {
            return run;
        }

        var input = InputSummary.ForFile(options.Nps!.Surveys, NpsStage.FormatName(surveys), surveys.Accounting);
        var (customers, summary) = NpsStage.Join(surveys, input, run.Customers, options.Nps.MinResponses, [.. run.Scoring.Segments.Select(s => s.Name)], log);
        return run with { Customers = customers, Nps = new SurveyJoin(input, summary) };
    }

    /// <summary>Compares with the run published at <paramref name="previous"/>, if any.</summary>
    /// <exception cref="Core.DriftExceededException">A PSI exceeds <c>--fail-on-drift</c>.</exception>
    public async Task<ScoreRun> DriftAsync(ScoreRun run, string previous, CancellationToken ct)
    {
        var drift = await meter.TimeAsync("drift", () => DriftStage.CompareAsync(
            previous, run.Customers, run.Churn?.Warnings.Select(w => w.CustomerId).ToArray(), run.Clv, options.FailOnDrift, log, ct)).ConfigureAwait(false);
        return drift is { } d ? run with { Drift = new DriftResult(d.Summary, d.Changes) } : run;
    }

    /// <summary>Writes the customer table, segment files, warning list and changes into <paramref name="work"/>.</summary>
    public async Task<ScoreRun> WriteAsync(ScoreRun run, string work, CancellationToken ct)
    {
        var outputs = await meter.TimeAsync("write", () => WriteFilesAsync(run, work, ct)).ConfigureAwait(false);
        foreach (var s in run.Scoring.Segments.Where(s => s.Customers > 0))
        {
            log.Detail("segments", string.Create(CultureInfo.InvariantCulture, $"{s.Name}: {s.Customers:N0} customers, {s.RevenueShare:P1} of revenue"));
        }

        return run with { Outputs = outputs };
    }

    /// <summary>
    /// Writes the independent files at once, each on its own task: customers.parquet, customers.csv, the segment files,
    /// the warning list and changes.csv. Every writer streams the customer table (Parquet one row group of one column
    /// at a time), so memory stays bounded whatever the number of files. The first failure cancels the writers that
    /// take a token; the run fails after all have stopped, and the publisher discards the folder.
    /// </summary>
    private async Task<IReadOnlyList<string>> WriteFilesAsync(ScoreRun run, string work, CancellationToken ct)
    {
        var columns = CustomerColumns.For(options.Clv?.Value.HorizonMonths, churn: options.Churn is not null, clvIntervals: options.Clv?.IntervalLevel > 0);
        if (run.Nps is not null)
        {
            columns = NpsColumns.AppendTo(columns);
        }

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writers = new List<Task<IEnumerable<string>>>();
        void Start(Func<CancellationToken, IEnumerable<string>> write) => writers.Add(Task.Run(() =>
        {
            try
            {
                failed.Token.ThrowIfCancellationRequested();
                return write(failed.Token);
            }
            catch
            {
                failed.Cancel();
                throw;
            }
        }, CancellationToken.None));

        if (options.WriteParquet)
        {
            Start(token =>
            {
                CustomerParquetWriter.WriteFileAsync(Path.Combine(work, OutputFileNames.CustomersParquet), run.Customers, columns, cancellationToken: token).GetAwaiter().GetResult();
                return [OutputFileNames.CustomersParquet];
            });
        }

        // customers.csv and the segment files in one pass: each cell is formatted once, for both.
        var slugs = run.Scoring.Segments.Select(s => s.Slug).ToArray();
        Start(_ =>
        {
            var table = options.WriteCsv ? Path.Combine(work, OutputFileNames.CustomersCsv) : null;
            var segments = CustomerCsvWriter.WriteTableAndSegmentFiles(
                table, work, run.Customers, slugs, columns, IO.CustomerTable.SegmentColumns.Select(columns, options.SegmentColumns), options.CsvDialect);
            return [.. table is null ? [] : new[] { OutputFileNames.CustomersCsv }, .. segments.Select(p => Path.GetRelativePath(work, p).Replace('\\', '/'))];
        });
        if (run.Churn is { } churn)
        {
            Start(_ =>
            {
                IO.Churn.ChurnWarningWriter.WriteFile(Path.Combine(work, OutputFileNames.ChurnWarning), churn.Warnings, options.CsvDialect);
                return [OutputFileNames.ChurnWarning];
            });
        }

        if (run.Drift is { } drift)
        {
            Start(_ =>
            {
                ChangesWriter.WriteFile(Path.Combine(work, OutputFileNames.Changes), drift.Changes);
                return [OutputFileNames.Changes];
            });
        }

        try
        {
            await Task.WhenAll(writers).ConfigureAwait(false);
        }
        catch when (!ct.IsCancellationRequested)
        {
            // Report the writer that failed, not the cancellation it caused in the others.
            if (writers.Select(w => w.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException) is { } first)
            {
                ExceptionDispatchInfo.Throw(first);
            }

            throw;
        }

        ct.ThrowIfCancellationRequested();
        return [OutputFileNames.Rejects, .. writers.SelectMany(w => w.Result)];
    }
}
