using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Cli.Churn;
using CrmAnalytics.Cli.Drift;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.Cli.Logging;
using CrmAnalytics.Cli.Nps;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Attributes;
using CrmAnalytics.IO.Input.Surveys;
using CrmAnalytics.IO.Output;
using CrmAnalytics.IO.Report;

namespace CrmAnalytics.Cli.Score;

internal sealed record ScoreJobOptions
{
    public required string Transactions { get; init; }

    public required TransactionReadOptions Read { get; init; }

    public required string Preset { get; init; }

    public required double MaxRejectRate { get; init; }

    public required double MaxExcludedRate { get; init; }

    public required string OutputDirectory { get; init; }

    public required CustomerScoringOptions Scoring { get; init; }

    public string? SegmentRulesSource { get; init; }

    public bool WriteParquet { get; init; } = true;

    public bool WriteCsv { get; init; } = true;

    /// <summary><c>--segment-columns</c>: the segment files' column names, <c>[all]</c>, or null for <see cref="IO.Output.SegmentColumns.DefaultNames"/>.</summary>
    public IReadOnlyList<string>? SegmentColumns { get; init; }

    public IReadOnlyList<string> CommandLine { get; init; } = [];

    /// <summary>CLV settings; null skips the CLV models.</summary>
    public ClvScoringOptions? Clv { get; init; }

    /// <summary>Churn settings; null skips churn.</summary>
    public ChurnJobOptions? Churn { get; init; }

    /// <summary>The job file the run came from (<c>crm run</c>); its sha256 goes into summary.json.</summary>
    public string? JobFile { get; init; }

    /// <summary>
    /// History mode (<c>--keep N</c>): publish to <c>out/runs/&lt;as-of&gt;_&lt;run-id&gt;/</c>, switch <c>out/latest</c>, keep
    /// the newest N runs; null publishes to the output folder itself.
    /// </summary>
    public int? Keep { get; init; }

    /// <summary>Fail (exit 7, nothing published) when a PSI against the previous run exceeds this; null never fails.</summary>
    public double? FailOnDrift { get; init; }
    /// <summary>Survey settings (<c>--surveys</c>); null when no surveys are given.</summary>
    public NpsJobOptions? Nps { get; init; }

    /// <summary>How report.html formats numbers (<c>--currency</c>).</summary>
    public ReportOptions Report { get; init; } = new();
}

/// <summary>
/// One scoring run: read → summarize → score → write into a temporary folder → publish atomically.
/// Any failure before publishing leaves the previous output untouched.
/// </summary>
internal sealed class ScoreJob(ScoreJobOptions options, RunLog log)
{
    public static string ToolVersion { get; } =
        typeof(ScoreJob).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var root = Path.GetFullPath(options.OutputDirectory);
        var created = TopmostMissingAncestor(options.Keep is null ? root : RunHistory.PendingRunPath(root, "pending"));
        OutputLock? historyLock = null;
        try
        {
            if (options.Keep is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(root)!);
                historyLock = OutputLock.Acquire(root);
                if (historyLock.StaleHolder is { } staleHolder)
                {
                    log.Warn("publish", $"recovered the output lock of a run that did not finish ({staleHolder}); its partial files are removed after this run publishes.");
                }

                RunHistory.ThrowIfNotRoot(root, Inputs());
            }

            return await RunCoreAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            // Under the history lock still, so its file goes too (it is deleted while the root does not exist).
            RemoveIfEmpty(created, historyLock is null ? null : OutputLock.PathFor(root));
            throw;
        }
        finally
        {
            historyLock?.Dispose();
        }
    }

    /// <summary>Every file the run reads: the output folder may hold none of them (<see cref="OutputOwnership"/>).</summary>
    private IEnumerable<string> Inputs() =>
        new[] { options.Transactions, options.Nps?.Surveys, options.Churn?.AttributesPath, options.Churn?.ModelPath, options.SegmentRulesSource, options.JobFile }
            .OfType<string>();

    /// <summary>The highest parent of the output folder that does not exist yet: a failed run removes what it created.</summary>
    private static string? TopmostMissingAncestor(string target)
    {
        string? missing = null;
        for (var dir = Path.GetDirectoryName(target); dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            missing = dir;
        }

        return missing;
    }

    /// <param name="ownLock">This run's history lock file, which may sit inside <paramref name="created"/>.</param>
    private static void RemoveIfEmpty(string? created, string? ownLock)
    {
        if (created is null || !Directory.Exists(created))
        {
            return;
        }

        try
        {
            if (!Directory.EnumerateFiles(created, "*", SearchOption.AllDirectories).Any(f => f != ownLock))
            {
                Directory.Delete(created, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private async Task<int> RunCoreAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var timings = new Dictionary<string, long>();
        var total = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.OutputDirectory);
        var runId = RunHistory.NewRunId(started);
        using var publisher = OutputPublisher.Begin(options.Keep is null ? root : RunHistory.PendingRunPath(root, runId), Inputs());
        var work = publisher.WorkingDirectory;
        if (publisher.StaleLockHolder is { } holder)
        {
            log.Warn("publish", $"recovered the output lock of a run that did not finish ({holder}); its partial files were removed and the published output is the last complete one.");
        }

        TransactionReadResult read;
        CustomerAttributesReadResult? attributes = null;
        (SurveyReadResult Result, long Milliseconds)? surveys = null;
        using (var rejects = RejectsWriter.Create(Path.Combine(work, OutputFileNames.Rejects)))
        {
            (read, timings["read"]) = await TransactionIngest.ReadAsync(options.Transactions, options.Read, rejects, log, ct).ConfigureAwait(false);
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
            timings["surveys"] = checkedSurveys.Milliseconds;
        }

        var watch = Stopwatch.StartNew();
        var summary = await Cancellable.RunAsync(() => read.Builder.Build(asOf), ct).ConfigureAwait(false);
        timings["summarize"] = watch.ElapsedMilliseconds;
        log.Info("summarize", string.Create(CultureInfo.InvariantCulture,
            $"{summary.Customers.Count:N0} customers as of {asOf:yyyy-MM-dd} ({summary.CustomersWithoutPurchases:N0} with only returns)"));

        watch.Restart();
        var scored = CustomerScorer.Score(summary, options.Scoring);
        timings["score"] = watch.ElapsedMilliseconds;

        ClvSummary? clvSummary = null;
        var customers = scored.Customers;
        var snapshot = new CustomerSnapshot(summary, scored.Customers.Select(c => c.Rfm).ToArray());
        if (options.Clv is { } clvOptions)
        {
            watch.Restart();
            var clv = await Cancellable.RunAsync(() => ClvScorer.Score(summary.Customers, clvOptions), ct).ConfigureAwait(false);
            customers = customers.Select((c, i) => c with { Clv = clv.Customers[i] }).ToArray();
            timings["clv"] = watch.ElapsedMilliseconds;
            clvSummary = ClvSummary.From(clv, clvOptions);
            snapshot = snapshot with { PurchaseModel = clv.PurchaseModel };
            watch.Restart();
            clvSummary = clvSummary with { Holdout = await Cancellable.RunAsync(() => Clv.ClvHoldoutStage.Run(read.Builder, asOf, clvOptions, log), ct).ConfigureAwait(false) };
            timings["clv_holdout"] = watch.ElapsedMilliseconds;
            log.Info("clv", string.Create(CultureInfo.InvariantCulture,
                $"{clv.PurchaseModel.Name}: LL {clv.PurchaseModel.Fit.LogLikelihood:F2} ({clv.PurchaseModel.Fit.Optimizer}, {clv.PurchaseModel.Fit.Iterations} iterations); gamma-gamma LL {clv.SpendModel.Fit.LogLikelihood:F2}; total clv_{clvOptions.Value.HorizonMonths}m {clvSummary.TotalClv:N2}"));
        }

        ChurnStageResult? churn = null;
        if (options.Churn is { } churnOptions)
        {
            watch.Restart();
            var inputs = new ChurnInputs { Scoring = options.Scoring, Clv = options.Clv, Surveys = surveys?.Result.Responses, Attributes = attributes?.Attributes };
            var scoredSoFar = customers;
            churn = await Cancellable.RunAsync(() => ChurnStage.Run(churnOptions, read.Builder, snapshot, inputs, scoredSoFar, log), ct).ConfigureAwait(false);
            customers = churn.Customers;
            timings["churn"] = watch.ElapsedMilliseconds;
        }

        var columns = CustomerColumns.For(options.Clv?.Value.HorizonMonths, churn: options.Churn is not null);
        InputSummary? surveyInput = null;
        NpsSummary? npsSummary = null;
        if (surveys is { } joinedSurveys)
        {
            surveyInput = InputSummary.ForFile(options.Nps!.Surveys, NpsStage.FormatName(joinedSurveys.Result), joinedSurveys.Result.Accounting);
            (customers, npsSummary) = NpsStage.Join(joinedSurveys.Result, surveyInput, customers, options.Nps.MinResponses, [.. scored.Segments.Select(s => s.Name)], log);
            columns = NpsColumns.AppendTo(columns);
        }

        watch.Restart();
        var previous = options.Keep is null ? root : Path.Combine(root, RunHistory.LatestLink);
        var drift = await DriftStage.CompareAsync(previous, customers, churn?.Warnings.Select(w => w.CustomerId).ToArray(), clvSummary, options.FailOnDrift, log, ct).ConfigureAwait(false);
        timings["drift"] = watch.ElapsedMilliseconds;

        watch.Restart();
        var outputs = new List<string> { OutputFileNames.Rejects };
        if (options.WriteParquet)
        {
            await CustomerParquetWriter.WriteFileAsync(Path.Combine(work, OutputFileNames.CustomersParquet), customers, columns, cancellationToken: ct).ConfigureAwait(false);
            outputs.Add(OutputFileNames.CustomersParquet);
        }

        if (options.WriteCsv)
        {
            ct.ThrowIfCancellationRequested();
            CustomerCsvWriter.WriteFile(Path.Combine(work, OutputFileNames.CustomersCsv), customers, columns);
            outputs.Add(OutputFileNames.CustomersCsv);
        }

        ct.ThrowIfCancellationRequested();
        var slugs = scored.Segments.Select(s => s.Slug).ToArray();
        outputs.AddRange(CustomerCsvWriter.WriteSegmentFiles(work, customers, slugs, IO.Output.SegmentColumns.Select(columns, options.SegmentColumns))
            .Select(p => Path.GetRelativePath(work, p).Replace('\\', '/')));
        if (churn is not null)
        {
            IO.Churn.ChurnWarningWriter.WriteFile(Path.Combine(work, OutputFileNames.ChurnWarning), churn.Warnings);
            outputs.Add(OutputFileNames.ChurnWarning);
        }

        if (drift is { } delta)
        {
            ChangesWriter.WriteFile(Path.Combine(work, OutputFileNames.Changes), delta.Changes);
            outputs.Add(OutputFileNames.Changes);
        }

        timings["write"] = watch.ElapsedMilliseconds;

        foreach (var s in scored.Segments.Where(s => s.Customers > 0))
        {
            log.Detail("segments", string.Create(CultureInfo.InvariantCulture, $"{s.Name}: {s.Customers:N0} customers, {s.RevenueShare:P1} of revenue"));
        }

        timings["total"] = total.ElapsedMilliseconds;
        outputs.Add(OutputFileNames.Report);
        outputs.Add(OutputFileNames.Summary);
        outputs.Sort(StringComparer.Ordinal);
        var runSummary = new RunSummary
        {
            ToolVersion = ToolVersion,
            CommandLine = options.CommandLine,
            StartedAtUtc = started,
            FinishedAtUtc = DateTimeOffset.UtcNow,
            AsOf = asOf,
            JobFile = options.JobFile is { } jobFile ? new JobFileSummary(jobFile, Sha256.HashFile(jobFile)) : null,
            Inputs = attributes is null
                ? [InputSummary.ForFile(options.Transactions, FormatName(read), read.Accounting)]
                : [InputSummary.ForFile(options.Transactions, FormatName(read), read.Accounting), InputSummary.ForFile(options.Churn!.AttributesPath!, "customer-attributes", attributes.Accounting)],
            Customers = new CustomerCountSummary(summary.Customers.Count, summary.CustomersWithoutPurchases),
            Segments = scored.Segments.Select(SegmentSummary.From).ToArray(),
            Lifecycle = scored.Stages.Select(LifecycleSummary.From).ToArray(),
            Kpis = scored.Kpis,
            Clv = clvSummary,
            Churn = churn?.Summary,
            Drift = drift?.Summary,
            Parameters = Parameters(asOf),
            TimingsMs = timings,
            PeakWorkingSetBytes = Process.GetCurrentProcess().PeakWorkingSet64,
            Outputs = outputs,
            ExitCode = ExitCodes.Ok,
        };
        if (surveyInput is not null)
        {
            runSummary = runSummary with { Inputs = [.. runSummary.Inputs, surveyInput], Nps = npsSummary };
        }

        ct.ThrowIfCancellationRequested();
        RunSummaryWriter.WriteFile(Path.Combine(work, OutputFileNames.Summary), runSummary);
        var runFolder = RunHistory.RunFolderName(asOf, runId);
        HtmlReport.WriteFile(Path.Combine(work, OutputFileNames.Report), ReportData.From(runSummary, customers, options.Keep is null ? Path.GetFileName(root) : runFolder), options.Report);

        ct.ThrowIfCancellationRequested();
        if (options.Keep is not { } keep)
        {
            publisher.Commit();
            log.Info("publish", string.Create(CultureInfo.InvariantCulture,
                $"published {outputs.Count} files to {options.OutputDirectory} in {total.ElapsedMilliseconds:N0} ms"));
            return ExitCodes.Ok;
        }

        RunHistory.ThrowIfNotKept(root, runFolder, keep);
        publisher.CommitAs(runFolder);
        bool newest;
        try
        {
            newest = RunHistory.SwitchLatestIfNewest(root, runFolder);
        }
        catch (OutputException)
        {
            // latest still points at the previous run; do not leave a run it never pointed at.
            Directory.Delete(publisher.TargetDirectory, recursive: true);
            throw;
        }

        var pruned = RunHistory.Prune(root, keep, runFolder);
        log.Info("publish", string.Create(CultureInfo.InvariantCulture,
            $"published {outputs.Count} files to {Path.Combine(options.OutputDirectory, RunHistory.RunsFolder, runFolder)}; {RunHistory.LatestLink} {(newest ? "points to it" : "stays at the newer as-of (backfill)")}; {pruned.Count} older run(s) removed (--keep {keep}) in {total.ElapsedMilliseconds:N0} ms"));
        return ExitCodes.Ok;
    }

    private static string FormatName(TransactionReadResult read) =>
        read.Format.ToString().ToLowerInvariant() + (read.Compressed ? "+gzip" : string.Empty);

    private Dictionary<string, JsonElement> Parameters(DateOnly asOf)
    {
        var r = options.Read;
        var s = options.Scoring;
        var values = new Dictionary<string, object?>
        {
            ["preset"] = options.Preset,
            ["mapping"] = r.Mapping.Mapped().ToDictionary(m => m.Key, m => m.Column),
            ["has_header"] = r.HasHeader,
            ["separator"] = r.Separator.ToString(),
            ["date_format"] = r.DateFormat ?? "ISO 8601",
            ["decimal_separator"] = r.DecimalSeparator.ToString(),
            ["encoding"] = r.Encoding,
            ["cancel_prefix"] = r.CancelledOrderPrefix,
            ["zero_amount"] = r.ZeroAmount.ToString().ToLowerInvariant(),
            ["as_of"] = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["as_of_source"] = r.AsOf is null ? "day after last accepted transaction" : "--as-of",
            ["max_reject_rate"] = options.MaxRejectRate,
            ["max_excluded_rate"] = options.MaxExcludedRate,
            ["earliest_date"] = r.EarliestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["latest_date"] = r.LatestDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["segment_rules"] = options.SegmentRulesSource is null ? "default (R rfm package)" : Path.GetFileName(options.SegmentRulesSource),
            ["inactive_after_days"] = s.Lifecycle.InactiveAfterDays,
            ["new_within_days"] = s.Lifecycle.NewWithinDays,
            ["active_window_days"] = s.Lifecycle.ActiveWindowDays,
            ["active_min_orders"] = s.Lifecycle.ActiveMinOrders,
            ["top_share"] = s.TopShare,
            ["margin"] = s.Margin,
            ["clv_model"] = options.Clv?.Model ?? "none",
            ["clv_horizon_months"] = options.Clv?.Value.HorizonMonths,
            ["clv_monthly_discount_rate"] = options.Clv?.Value.MonthlyDiscountRate,
            ["clv_penalizer"] = options.Clv?.Fit.Penalizer,
            ["clv_time_unit_days"] = options.Clv?.TimeUnitDays,
            ["churn_trainer"] = options.Churn is { } ch ? (ch.ModelPath is null ? ch.Training.Trainer.ToString().ToLowerInvariant() : "model file") : "none",
            ["churn_horizon"] = options.Churn is { } horizon ? horizon.HorizonDays?.ToString(CultureInfo.InvariantCulture) ?? "auto" : null,
            ["churn_active_days"] = options.Churn?.Training.ActiveDays,
            ["churn_calibration"] = options.Churn?.Training.Calibration.ToString().ToLowerInvariant(),
            ["churn_seed"] = options.Churn?.Training.Seed,
            ["churn_trees"] = options.Churn?.Training.Trees,
            ["churn_leaves"] = options.Churn?.Training.Leaves,
            ["churn_learning_rate"] = options.Churn?.Training.LearningRate,
            ["churn_high_share"] = options.Churn?.Bands.HighShare,
            ["churn_medium_share"] = options.Churn?.Bands.MediumShare,
            ["churn_high"] = options.Churn?.Bands.Thresholds?.High,
            ["churn_medium"] = options.Churn?.Bands.Thresholds?.Medium,
            ["churn_list_max"] = options.Churn?.ListMax,
            ["churn_contact_plan"] = options.Churn?.ContactPlanPath is { } plan ? Path.GetFileName(plan) : null,
            ["churn_model"] = options.Churn?.ModelPath is { } m ? Path.GetFileName(m) : null,
            ["churn_max_model_age_days"] = options.Churn?.MaxModelAgeDays,
            ["fail_on_drift"] = options.FailOnDrift,
            ["keep"] = options.Keep,
            ["customer_attributes"] = options.Churn?.AttributesPath is { } a ? Path.GetFileName(a) : null,
        };
        return values.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value));
    }
}
