using System.Globalization;
using System.Text.Json;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Churn;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Stages.Nps;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Report;

namespace CrmAnalytics.Stages.Score;

/// <summary>Every setting of one <c>crm score</c> (or <c>crm run</c>) job; the CLI builds it from its options or a job file.</summary>
public sealed record ScoreJobOptions
{
    /// <summary>The transaction export (or the table or query of <c>--engine postgres</c>).</summary>
    public required string Transactions { get; init; }

    /// <summary>How the export is parsed: format, column mapping, dates, amounts, as-of date.</summary>
    public required TransactionReadOptions Read { get; init; }

    /// <summary>Where the per-row reduction runs (<c>--engine</c>, <c>--from-occasions</c>).</summary>
    public Input.TransactionSource Source { get; init; } = Input.TransactionSource.Native;

    /// <summary>The column preset the mapping came from (<c>--preset</c>), recorded in summary.json.</summary>
    public required string Preset { get; init; }

    /// <summary>The largest share of malformed rows the run accepts (<c>--max-reject-rate</c>).</summary>
    public required double MaxRejectRate { get; init; }

    /// <summary>The largest share of rows excluded by design the run accepts (<c>--max-excluded-rate</c>).</summary>
    public required double MaxExcludedRate { get; init; }

    /// <summary>The output folder, published atomically.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>RFM, lifecycle and value-tier settings.</summary>
    public required CustomerScoringOptions Scoring { get; init; }

    /// <summary>The RFM segment rules file (<c>--segment-rules</c>); null for the built-in rules.</summary>
    public string? SegmentRulesSource { get; init; }

    /// <summary>Whether customers.parquet is written.</summary>
    public bool WriteParquet { get; init; } = true;

    /// <summary>Whether customers.csv is written.</summary>
    public bool WriteCsv { get; init; } = true;

    /// <summary><c>--segment-columns</c>: the segment files' column names, <c>[all]</c>, or null for <see cref="IO.CustomerTable.SegmentColumns.DefaultNames"/>.</summary>
    public IReadOnlyList<string>? SegmentColumns { get; init; }

    /// <summary>The dialect of customers.csv and the customer lists in segments/ (<c>--csv-dialect</c>).</summary>
    public CsvDialect CsvDialect { get; init; }

    /// <summary>The command line as given, recorded in summary.json.</summary>
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

    /// <summary><c>--require clv</c>: a CLV fit that fails is exit 5; otherwise the CLV models are skipped with a warning.</summary>
    public bool RequireClv { get; init; }

    /// <summary><c>--require churn</c>: a churn model that cannot be trained is exit 5; otherwise churn is skipped with a warning.</summary>
    public bool RequireChurn { get; init; }

    /// <summary>How report.html formats numbers (<c>--currency</c>).</summary>
    public ReportOptions Report { get; init; } = new();

    /// <summary><c>--models</c>: a <c>crm fit</c> bundle folder to score with instead of fitting; null fits in the run.</summary>
    public string? ModelsPath { get; init; }

    /// <summary>The bundle at <see cref="ModelsPath"/>, once loaded and applied (<see cref="Models.ModelBundle.Resolve"/>).</summary>
    internal Models.ModelBundle? Models { get; init; }

    /// <summary><c>--shard i/n</c>: score only this shard's customers; null scores all.</summary>
    public Models.ShardSpec? Shard { get; init; }
}

/// <summary>
/// One scoring run: read → summarize → score → write into a temporary folder → publish atomically.
/// Any failure before publishing leaves the previous output untouched.
/// </summary>
public sealed class ScoreJob(ScoreJobOptions options, RunLog log, TimeProvider clock)
{
    /// <exception cref="InputException">The <c>--models</c> bundle is missing or from another schema or version (exit 3).</exception>
    private readonly ScoreJobOptions options = Models.ModelBundle.Resolve(options);

    /// <summary>Runs the job and publishes its output; returns the exit code (failures throw the exception of their exit code).</summary>
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
                historyLock = OutputLock.Acquire(root, clock);
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
        new[] { options.Source.Postgres is null ? options.Transactions : null, options.Nps?.Surveys, options.Churn?.AttributesPath, options.Churn?.ModelPath, options.SegmentRulesSource, options.JobFile, options.ModelsPath }
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
        var started = clock.GetUtcNow();
        _ = Task.Run(IO.Summary.RunSummaryWriter.Warm, CancellationToken.None);
        using var meter = new StageMeter();
        var root = Path.GetFullPath(options.OutputDirectory);
        var runId = RunHistory.NewRunId(started);
        using var publisher = OutputPublisher.Begin(options.Keep is null ? root : RunHistory.PendingRunPath(root, runId), Inputs(), clock);
        if (publisher.StaleLockHolder is { } holder)
        {
            log.Warn("publish", $"recovered the output lock of a run that did not finish ({holder}); its partial files were removed and the published output is the last complete one.");
        }

        var stages = new ScoreStages(options, log, meter);
        var input = await stages.ReadAsync(publisher.WorkingDirectory, ct).ConfigureAwait(false);
        var run = await stages.ModelAsync(input, ct).ConfigureAwait(false);
        run = await stages.DriftAsync(run, options.Keep is null ? root : Path.Combine(root, RunHistory.LatestLink), ct).ConfigureAwait(false);
        // The report's per-customer values are gathered while the files are written: the writers leave a core idle at
        // the end (the Parquet file takes longest), and the report, written after them, needs the values first.
        // If writing fails, the run fails and this read-only task is left to end on its own.
        var customers = run.Customers;
        var reportRows = Task.Run(() => ReportData.Rows(customers), CancellationToken.None);
        run = await stages.WriteAsync(run, publisher.WorkingDirectory, ct).ConfigureAwait(false);
        return Publish(run, publisher, await reportRows.ConfigureAwait(false), meter, started, runId, ct);
    }

    /// <summary>Writes summary.json and report.html, then moves the output into place (with the history when <c>--keep</c> is given).</summary>
    /// <param name="reportRows">The report's per-customer values (<see cref="ReportData.Rows"/>).</param>
    private int Publish(ScoreRun run, OutputPublisher publisher, ReportCustomer[] reportRows, StageMeter meter, DateTimeOffset started, string runId, CancellationToken ct)
    {
        // The report's aggregates that sort every customer are computed while the summary is made and written, which
        // runs on one core (at 1.35M customers 0.4–0.5 s and 0.35–0.4 s, most of the latter compiling the serializer).
        var reportStats = Task.Run(() => new ReportCustomerStats(reportRows).Prepare(), CancellationToken.None);
        var root = Path.GetFullPath(options.OutputDirectory);
        var work = publisher.WorkingDirectory;
        var outputs = run.Outputs.Append(OutputFileNames.Report).Append(OutputFileNames.Summary).Order(StringComparer.Ordinal).ToArray();
        // The manifest hashes the inputs that were not hashed as they were read (Parquet, attributes, surveys).
        var runSummary = Manifest(run, started, meter, outputs);
        ct.ThrowIfCancellationRequested();
        RunSummaryWriter.WriteFile(Path.Combine(work, OutputFileNames.Summary), runSummary);
        var runFolder = RunHistory.RunFolderName(run.Input.AsOf, runId);
        HtmlReport.WriteFile(Path.Combine(work, OutputFileNames.Report), ReportData.From(runSummary, reportRows, reportStats.GetAwaiter().GetResult(), options.Keep is null ? Path.GetFileName(root) : runFolder), options.Report);

        ct.ThrowIfCancellationRequested();
        if (options.Keep is not { } keep)
        {
            publisher.Commit();
            log.Info("publish", string.Create(CultureInfo.InvariantCulture,
                $"published {outputs.Length} files to {options.OutputDirectory} in {meter.TotalMilliseconds:N0} ms"));
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
            $"published {outputs.Length} files to {Path.Combine(options.OutputDirectory, RunHistory.RunsFolder, runFolder)}; {RunHistory.LatestLink} {(newest ? "points to it" : "stays at the newer as-of (backfill)")}; {pruned.Count} older run(s) removed (--keep {keep}) in {meter.TotalMilliseconds:N0} ms"));
        return ExitCodes.Ok;
    }

    /// <summary>summary.json: the run's facts, every stage's summary section, and the timings so far.</summary>
    private RunSummary Manifest(ScoreRun run, DateTimeOffset started, StageMeter meter, IReadOnlyList<string> outputs)
    {
        var read = run.Input.Transactions;
        var inputs = new List<InputSummary> { options.Source.Summary(options.Transactions, FormatName(read), read.Accounting, read.Hash) };
        if (run.Input.Attributes is { } attributes)
        {
            inputs.Add(InputSummary.ForFile(options.Churn!.AttributesPath!, "customer-attributes", attributes.Accounting));
        }

        if (run.Nps is { } nps)
        {
            inputs.Add(nps.Input);
        }

        return new RunSummary
        {
            ToolVersion = ToolInfo.Version,
            CommandLine = options.CommandLine,
            StartedAtUtc = started,
            FinishedAtUtc = clock.GetUtcNow(),
            AsOf = run.Input.AsOf,
            JobFile = options.JobFile is { } jobFile ? new JobFileSummary(jobFile, Sha256.HashFile(jobFile)) : null,
            Inputs = inputs,
            Customers = new CustomerCountSummary(run.Snapshot.Customers.Count, run.Snapshot.Summary.CustomersWithoutPurchases) { OutsideShard = run.CustomersOutsideShard },
            Segments = run.Scoring.Segments.Select(SegmentSummary.From).ToArray(),
            Lifecycle = run.Scoring.Stages.Select(LifecycleSummary.From).ToArray(),
            Kpis = run.Scoring.Kpis,
            Clv = run.ClvSkipped is { } clvSkipped ? ModelSection.Skip<ClvSummary>(clvSkipped) : ModelSection.Of(run.Clv),
            Churn = run.ChurnSkipped is { } churnSkipped ? ModelSection.Skip<ChurnSummary>(churnSkipped) : ModelSection.Of(run.Churn?.Summary),
            Drift = run.Drift?.Summary,
            Nps = run.Nps?.Summary,
            Parameters = Parameters(run.Input.AsOf),
            TimingsMs = meter.WithTotal(),
            PeakWorkingSetBytes = meter.RunPeak,
            PeakWorkingSetBytesByStage = meter.PeakWorkingSetBytes,
            Outputs = outputs,
            ExitCode = ExitCodes.Ok,
        };
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
            ["engine"] = options.Source.Name,
            ["mapping"] = r.Mapping.Mapped().ToDictionary(m => m.Key, m => m.Column),
            ["has_header"] = r.HasHeader,
            ["separator"] = r.Separator.ToString(),
            ["date_format"] = r.DateFormat ?? "ISO 8601",
            ["decimal_separator"] = r.DecimalSeparator.ToString(),
            ["thousands_separator"] = r.ThousandsSeparator?.ToString(),
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
            ["clv_interval_level"] = options.Clv?.IntervalLevel,
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
            ["require"] = new[] { options.RequireClv ? "clv" : null, options.RequireChurn ? "churn" : null }.OfType<string>().ToArray(),
            ["models"] = options.ModelsPath is { } models ? Path.GetFileName(Path.TrimEndingDirectorySeparator(models)) : null,
            ["shard"] = options.Shard?.ToString(),
            ["models_sha256"] = options.ModelsPath is { } bundle ? Sha256.HashFile(Directory.Exists(bundle) ? Path.Combine(bundle, Models.ModelBundle.FileName) : bundle) : null,
            ["customer_attributes"] = options.Churn?.AttributesPath is { } a ? Path.GetFileName(a) : null,
        };
        return values.ToDictionary(kv => kv.Key, kv => JsonSerializer.SerializeToElement(kv.Value));
    }
}
