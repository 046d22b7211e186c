using System.CommandLine;
using System.Globalization;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Input.Surveys;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Rejects;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Nps;

namespace CrmAnalytics.Cli.Nps;

/// <summary><c>crm nps FILE</c>: NPS with its margin of error from a survey export, overall, by month and by channel.</summary>
internal static class NpsCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<FileInfo>("surveys") { Description = "The survey export: .csv, .csv.gz or .parquet." };
        var input = new SurveyInputOptions(string.Empty);
        var asOf = new Option<string?>("--as-of") { Description = "Only responses dated before this day (yyyy-MM-dd) count; later ones are rejected as date_after_as_of." };
        var json = new Option<bool>("--json") { Description = "Print the breakdown as JSON (the nps section of summary.json) instead of a table." };
        var maxRejectRate = new Option<double>("--max-reject-rate") { Description = "Fail (exit 4) when malformed rows exceed this share of rows read.", DefaultValueFactory = _ => 0.05 };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Publish rejects.csv (every rejected row: file, line, column, reason, raw record without the comment) into this folder, atomically, as crm score publishes its output." };
        var command = new Command("nps", "Net Promoter Score with its 95% margin of error from a survey export: overall, by month and by channel.");
        command.Arguments.Add(file);
        input.AddTo(command);
        command.Options.Add(asOf);
        command.Options.Add(json);
        command.Options.Add(maxRejectRate);
        command.Options.Add(outDir);
        command.SetAction((parse, ct) => context.RunAsync(parse, async log =>
        {
            var errors = new List<string>();
            DateOnly? asOfDate = null;
            if (parse.GetValue(asOf) is { } text)
            {
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) asOfDate = d;
                else errors.Add($"--as-of '{text}' is not a date in yyyy-MM-dd form.");
            }

            var options = input.Build(parse, asOfDate, errors);
            var rate = parse.GetValue(maxRejectRate);
            if (!(rate >= 0 && rate <= 1)) errors.Add("--max-reject-rate must be between 0 and 1.");
            if (errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            var path = parse.GetValue(file)!.FullName;
            using var publisher = parse.GetValue(outDir) is { } target ? OutputPublisher.Begin(target.FullName, [path]) : null;
            SurveyReadResult result;
            using (var rejects = publisher is null ? null : RejectsWriter.Create(publisher.PathOf(OutputFileNames.Rejects)))
            {
                (result, _) = await NpsStage.ReadAsync(path, options, (IO.Input.IRejectSink?)rejects ?? IO.Input.NullRejectSink.Instance, log, ct).ConfigureAwait(false);
            }

            NpsStage.Check(result, rate, log);
            if (publisher is not null)
            {
                publisher.Commit();
                log.Info("publish", string.Create(CultureInfo.InvariantCulture, $"published {OutputFileNames.Rejects} ({result.Accounting.RowsRejected:N0} rejected rows) to {publisher.TargetDirectory}"));
            }

            var summary = NpsSummary.ForSurvey(result, InputSummary.ForFile(path, NpsStage.FormatName(result), result.Accounting), parse.GetValue(input.MinResponses));
            context.Output.Write(parse.GetValue(json) ? RunSummaryWriter.ToJson(summary) : NpsTable.Format(summary));
            return ExitCodes.Ok;
        }));
        return command;
    }
}

/// <summary>The plain-text breakdown <c>crm nps</c> prints.</summary>
internal static class NpsTable
{
    public static string Format(NpsSummary summary)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new System.Text.StringBuilder();
        var input = summary.Input;
        sb.Append(inv, $"file: {Path.GetFileName(input.Path)} ({input.Format}), sha256 {input.Sha256}\n");
        sb.Append(inv, $"rows read {input.RowsRead:N0}: accepted {input.RowsAccepted:N0}, rejected {input.RowsRejected:N0}");
        if (input.RejectsByReason.Count > 0)
        {
            sb.Append(" (").Append(string.Join(", ", input.RejectsByReason.Select(kv => string.Create(inv, $"{kv.Key} {kv.Value:N0}")))).Append(')');
        }

        sb.Append('\n');
        sb.Append(inv, $"NPS = %promoters (9-10) - %detractors (0-6); margin = 95% interval half-width; * = fewer than {summary.MinResponses} responses\n\n");
        var width = Math.Max(12, new[] { summary.Overall }.Concat(summary.ByMonth).Concat(summary.ByChannel).Max(g => g.Group.Length) + 2);
        sb.Append("group".PadRight(width)).Append(inv, $"{"responses",10}{"promoters",10}{"passives",10}{"detractors",11}{"NPS",8}{"±95%",8}\n");
        void Rows(string title, IReadOnlyList<NpsGroupSummary> groups)
        {
            if (groups.Count == 0)
            {
                return;
            }

            if (title.Length > 0)
            {
                sb.Append(title).Append('\n');
            }

            foreach (var g in groups)
            {
                sb.Append((g.Group + (g.TooSmall ? " *" : string.Empty)).PadRight(width))
                    .Append(inv, $"{g.Responses,10:N0}{g.Promoters,10:N0}{g.Passives,10:N0}{g.Detractors,11:N0}{g.Nps,8:F1}{g.MarginOfError,8:F1}\n");
            }
        }

        Rows(string.Empty, [summary.Overall]);
        Rows("by month:", summary.ByMonth);
        Rows("by channel:", summary.ByChannel);
        return sb.ToString();
    }
}
