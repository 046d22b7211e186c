using System.Diagnostics;
using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Report;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Logging;

namespace CrmAnalytics.Stages.Models;

/// <summary><c>crm merge SHARD_DIR... --out DIR</c>: the shard folders' files merged and published.</summary>
/// <param name="Shards">The output folders of <c>crm score --models B --shard i/n</c>, i = 0 … n − 1, in any order.</param>
public sealed record MergeJobOptions(string OutputDirectory, IReadOnlyList<string> Shards, IReadOnlyList<string> CommandLine);

/// <summary>
/// Merges the outputs of the shard runs of one bundle into the output the unsharded run writes: the customer tables and
/// segment files by customer id, the warning list ranked and capped again, <c>summary.json</c> recomputed, and
/// <c>report.html</c> rendered from them; published atomically under the output lock, like <c>crm score</c>.
/// </summary>
public sealed class MergeJob(MergeJobOptions options, RunLog log)
{
    /// <summary>Runs the job and publishes its output; returns the exit code (failures throw the exception of their exit code).</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var shards = MergeShards.Check([.. options.Shards.Select(MergeShard.Load)]);
        var summaries = shards.Select(s => ReadSummary(s)).ToArray();
        // Each shard's summary.json is an input, so that --out can be none of the shard folders nor a folder above them.
        using var publisher = OutputPublisher.Begin(Path.GetFullPath(options.OutputDirectory), shards.Select(s => s.PathOf(OutputFileNames.Summary)));
        if (publisher.StaleLockHolder is { } holder)
        {
            log.Warn("publish", $"recovered the output lock of a run that did not finish ({holder}); its partial files were removed.");
        }

        var work = publisher.WorkingDirectory;
        var first = shards[0];
        string[] Files(string relative) => [.. shards.Select(s => s.PathOf(relative))];
        string Target(string relative)
        {
            var path = Path.Combine(work, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return path;
        }

        var outputs = new List<string> { OutputFileNames.Rejects, OutputFileNames.Summary, OutputFileNames.Report };
        string[] columns = [.. MergeSummary.RequiredColumns, .. MergeSummary.OptionalColumns(summaries[0])];
        CustomerTableColumns? table = null;
        if (first.Has(OutputFileNames.CustomersParquet))
        {
            table = await MergeParquet.MergeAsync(Files(OutputFileNames.CustomersParquet), Target(OutputFileNames.CustomersParquet), columns, ct).ConfigureAwait(false);
            outputs.Add(OutputFileNames.CustomersParquet);
        }

        // Customer lists: customers.csv and one file per segment. changes.csv compares each shard with its own previous
        // run, and is not merged (README).
        foreach (var list in first.Outputs.Where(o => o == OutputFileNames.CustomersCsv
            || (o.StartsWith(OutputFileNames.SegmentsFolder + "/", StringComparison.Ordinal) && o is not OutputFileNames.ChurnWarning and not OutputFileNames.Changes)))
        {
            ct.ThrowIfCancellationRequested();
            MergeCsv.MergeCustomers(Files(list), Target(list));
            outputs.Add(list);
        }

        // Shards of one export: every shard's rejects.csv is the export's. Shards of their own inputs: each shard's rows,
        // in shard order (rejects.csv has no customer_id).
        var sameInput = MergeShards.SameInput(shards);
        if (sameInput)
        {
            File.Copy(first.PathOf(OutputFileNames.Rejects), Target(OutputFileNames.Rejects));
        }
        else
        {
            MergeCsv.MergeCustomers(Files(OutputFileNames.Rejects), Target(OutputFileNames.Rejects));
        }

        // Without customers.parquet the summary is recomputed from customers.csv, whose money is rounded to cents.
        table ??= await CustomerTableReader.ReadAsync(work, MergeSummary.RequiredColumns, MergeSummary.OptionalColumns(summaries[0]), ct).ConfigureAwait(false);
        IReadOnlyList<(string Id, double? Lost)>? warnings = null;
        if (first.Has(OutputFileNames.ChurnWarning) && summaries[0].Churn?.Result is { } churn)
        {
            warnings = MergeWarnings(Files(OutputFileNames.ChurnWarning), Target(OutputFileNames.ChurnWarning), churn.WarningListMax, table, summaries[0]);
            outputs.Add(OutputFileNames.ChurnWarning);
        }

        outputs.Sort(StringComparer.Ordinal);
        ct.ThrowIfCancellationRequested();
        var summary = MergeSummary.Build(summaries, table, warnings, new MergeRun(options.CommandLine, started, clock.ElapsedMilliseconds, outputs, sameInput));
        RunSummaryWriter.WriteFile(Path.Combine(work, OutputFileNames.Summary), summary);
        HtmlReport.WriteFile(Path.Combine(work, OutputFileNames.Report), await ReportInputs.ReadAsync(work, ct).ConfigureAwait(false));
        if (summaries[0].Nps is not null)
        {
            log.Warn("merge", "the shards' nps sections are not merged (their groups by segment are per shard); summary.json has nps = null.");
        }

        ct.ThrowIfCancellationRequested();
        publisher.Commit();
        log.Info("merge", string.Create(CultureInfo.InvariantCulture,
            $"merged {shards.Count} shards ({table.Rows:N0} customers) into {options.OutputDirectory} in {clock.ElapsedMilliseconds:N0} ms"));
        return ExitCodes.Ok;
    }

    private static RunSummary ReadSummary(MergeShard shard)
    {
        try
        {
            using var stream = File.OpenRead(shard.PathOf(OutputFileNames.Summary));
            return RunSummaryWriter.Read(stream);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new InputException($"{shard.PathOf(OutputFileNames.Summary)}: cannot be read as a run summary ({ex.GetType().Name}).", ex);
        }
    }

    /// <summary>The warning lists ranked together by the full-precision probability and CLV of the merged table.</summary>
    private static IReadOnlyList<(string Id, double? Lost)> MergeWarnings(string[] files, string target, int max, CustomerTableColumns table, RunSummary first)
    {
        var rows = new Dictionary<string, int>(table.Rows, StringComparer.Ordinal);
        var ids = table["customer_id"];
        for (var r = 0; r < table.Rows; r++)
        {
            rows[ids[r] ?? string.Empty] = r;
        }

        var clv = first.Clv?.Result is { } fitted && table.Has(MergeSummary.ClvColumn(fitted)) ? MergeSummary.ClvColumn(fitted) : null;
        double? Lost(string id)
        {
            if (!rows.TryGetValue(id, out var r))
            {
                throw new InputException($"{files[0]}: a customer on a warning list is not in the customer table; the shard folders are incomplete.");
            }

            return clv is not null && table.Number(clv, r) is { } value ? table.Number("churn_probability", r) * value : null;
        }

        var listed = MergeCsv.MergeWarningList(files, target, max, id => Lost(id) ?? table.Number("churn_probability", rows.GetValueOrDefault(id)) ?? 0);
        return [.. listed.Select(id => (id, Lost(id)))];
    }
}

/// <summary>Writes one merged file into the working folder; a failure is exit 6 and the publisher discards the folder.</summary>
internal static class MergeOutput
{
    /// <exception cref="OutputException">The file cannot be created or written (a full disk, permissions).</exception>
    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        try
        {
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"Cannot write '{path}': {ex.Message}", ex);
        }
    }
}
