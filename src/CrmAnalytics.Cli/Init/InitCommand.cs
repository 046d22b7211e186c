using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.Stages.Input;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Sniffing;

namespace CrmAnalytics.Cli.Init;

/// <summary>
/// <c>crm init &lt;export&gt; [--out job.json] [--force] [--no-validate]</c>: sniffs a new export's dialect and mapping from
/// its first lines, prints what it found and what it is unsure of, writes a commented job file for <c>crm run</c>, and
/// then reads the whole export with it as <c>crm validate</c> would. It asks nothing: where it cannot decide it writes its
/// best guess and names the alternative.
/// </summary>
internal static class InitCommand
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(CliContext context)
    {
        var export = new Argument<FileInfo>("export") { Description = "The export to look at (delimited text, optionally .gz); only its first 4 MiB are sniffed." };
        var output = new Option<FileInfo>("--out") { Description = "The job file to write.", DefaultValueFactory = _ => new FileInfo("job.json") };
        var force = new Option<bool>("--force") { Description = "Replace the job file when it exists (nothing else is ever replaced)." };
        var noValidate = new Option<bool>("--no-validate") { Description = "Write the job without reading the whole export afterwards." };
        var command = new Command("init", "Sniff a new export's dialect and columns, write a job file for crm run, and validate the export with it.");
        command.Arguments.Add(export);
        command.Options.Add(output);
        command.Options.Add(force);
        command.Options.Add(noValidate);
        command.SetAction((parse, ct) => context.RunAsync(parse, async log =>
        {
            var path = parse.GetValue(export)!.FullName;
            var target = parse.GetValue(output)!.FullName;
            if (Directory.Exists(target))
            {
                throw new OutputException($"{target}: is a folder; give --out the job file's path (e.g. job.json).");
            }

            if (File.Exists(target) && !parse.GetValue(force))
            {
                throw new OutputException($"{target}: exists; crm init never replaces a job file unless --force is given.");
            }

            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new InputException($"{path}: does not exist.");
            }

            var sniffed = ExportSniffer.Sniff(path);
            Print(context.Output, path, sniffed);
            Write(target, JobText(path, target, sniffed), parse.GetValue(force));
            context.Output.WriteLine($"wrote {target}");
            if (sniffed.Doubts.Count > 0)
            {
                log.Warn("init", string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)}: {sniffed.Doubts.Count} guess(es) are unsure; they are listed on stdout and in the job file's comments."));
            }

            return parse.GetValue(noValidate) ? ExitCodes.Ok : await ValidateAsync(context, path, sniffed.Options, log, ct).ConfigureAwait(false);
        }));
        return command;
    }

    private static void Print(TextWriter output, string path, ExportSniffResult sniffed)
    {
        output.WriteLine($"crm init: {Path.GetFileName(path)} (looked at {sniffed.Sample})");
        foreach (var finding in sniffed.Findings)
        {
            output.WriteLine($"  {finding}");
        }

        output.WriteLine("mapping (with up to three sampled values):");
        foreach (var role in sniffed.Roles)
        {
            output.WriteLine($"  {role.Key,-12} {(sniffed.Options.HasHeader ? $"'{role.Column}'" : $"column {role.Column}"),-24} {role.Why}; e.g. {string.Join(", ", role.Samples)}");
        }

        if (sniffed.Doubts.Count > 0)
        {
            output.WriteLine("unsure (the job holds the best guess):");
            foreach (var doubt in sniffed.Doubts)
            {
                output.WriteLine($"  - {doubt}");
            }
        }
    }

    /// <summary>The job file: the read settings as <c>crm score</c> options, commented with what was found and doubted.</summary>
    internal static string JobText(string export, string target, ExportSniffResult sniffed)
    {
        var o = sniffed.Options;
        var folder = Path.GetDirectoryName(target)!;
        var text = new StringBuilder();
        text.AppendLine($"// Written by `crm init` from {Path.GetFileName(export)}, looking at {sniffed.Sample}.");
        text.AppendLine("// Check it:  crm run --check <this file>    Run it:  crm run <this file>    (see README, \"Job files\")");
        text.AppendLine("// Keys are crm score's options without the dashes; relative paths are relative to this file.");
        foreach (var finding in sniffed.Findings)
        {
            text.AppendLine($"//   {finding}");
        }

        if (sniffed.Doubts.Count > 0)
        {
            text.AppendLine("// Unsure (the values below are the best guess):");
            foreach (var doubt in sniffed.Doubts)
            {
                text.AppendLine($"//   - {doubt}");
            }
        }

        text.AppendLine("{");
        var relative = Path.GetRelativePath(folder, export);
        Key(text, "transactions", relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? export : relative);
        Key(text, "out", "out", "where crm run publishes; change it");
        Key(text, "input-format", o.Format.ToString());
        if (o.Format != TransactionFormat.Whitespace)
        {
            Key(text, "separator", o.Separator == '\t' ? "tab" : o.Separator.ToString());
        }

        Key(text, "encoding", o.Encoding);
        if (!o.HasHeader)
        {
            text.AppendLine("  \"no-header\": true, // the map names 1-based column numbers");
        }

        Key(text, "map", string.Join(",", o.Mapping.Mapped().Select(m => $"{m.Key}={m.Column}")));
        if (o.DateFormat is { } format)
        {
            Key(text, "date-format", format);
        }
        else
        {
            text.AppendLine("  // \"date-format\" is left out: the dates are ISO 8601 (yyyy-MM-dd; a time after it is ignored).");
        }

        Key(text, "decimal-separator", o.DecimalSeparator.ToString());
        if (o.ThousandsSeparator is { } thousands)
        {
            Key(text, "thousands-separator", thousands == ' ' ? "space" : thousands.ToString());
        }

        if (o.CancelledOrderPrefix is { } prefix)
        {
            Key(text, "cancel-prefix", prefix, "order ids starting with it are cancellations");
        }

        text.AppendLine("}");
        return text.ToString();
    }

    private static void Key(StringBuilder text, string key, string value, string? comment = null) =>
        text.AppendLine($"  \"{key}\": {JsonSerializer.Serialize(value, Json)},{(comment is null ? string.Empty : " // " + comment)}");

    /// <summary>Writes beside the target, then moves it into place: a failed write never leaves half a job file.</summary>
    private static void Write(string target, string text, bool replace)
    {
        var temporary = target + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            File.Move(temporary, target, replace);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new OutputException($"{target}: cannot be written ({ex.GetType().Name}: {ex.Message}).", ex);
        }
    }

    /// <summary>Reads the whole export with the job's settings, as <c>crm validate</c> does, and prints the accounting and the net amount.</summary>
    private static async Task<int> ValidateAsync(CliContext context, string path, TransactionReadOptions sniffed, RunLog log, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(context.Clock.GetUtcNow().UtcDateTime);
        var options = sniffed with { LatestDate = TransactionInputOptions.LatestPlausibleDate(today, null, TransactionInputOptions.DefaultFutureDays) };
        var (result, _) = await TransactionIngest.ReadAsync(path, options, NullRejectSink.Instance, log, ct).ConfigureAwait(false);
        var acc = result.Accounting;
        var inv = CultureInfo.InvariantCulture;
        var output = context.Output;
        output.WriteLine("validate (the whole export, read with the job's settings):");
        output.WriteLine(string.Create(inv, $"  rows_read: {acc.RowsRead}"));
        output.WriteLine(string.Create(inv, $"  rows_accepted: {acc.RowsAccepted}"));
        output.WriteLine(string.Create(inv, $"  rows_malformed: {acc.RowsMalformed}"));
        foreach (var (reason, count) in acc.ByReason())
        {
            output.WriteLine(string.Create(inv, $"    {reason}: {count}"));
        }

        var asOf = TransactionIngest.Check(result, options, maxRejectRate: 0.05, maxExcludedRate: 0.9, log);
        var customers = result.Builder.Build(asOf).Customers;
        output.WriteLine(string.Create(inv, $"  customers: {customers.Count}"));
        output.WriteLine(string.Create(inv, $"  dates: {result.Builder.FirstDate:yyyy-MM-dd} .. {result.Builder.LastDate:yyyy-MM-dd}"));
        output.WriteLine(string.Create(inv, $"  net_amount: {customers.Sum(c => (decimal)c.MonetaryTotal):F2}"));
        if (acc.RowsMalformed > 0)
        {
            log.Warn("init", string.Create(inv, $"{Path.GetFileName(path)}: {acc.RowsMalformed:N0} malformed rows with the sniffed settings; crm validate with the job's settings lists their lines"));
        }

        return ExitCodes.Ok;
    }
}
