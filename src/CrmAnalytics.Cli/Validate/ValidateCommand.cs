using System.CommandLine;
using System.Globalization;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Stages.Nps;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Stages.Input;

namespace CrmAnalytics.Cli.Validate;

/// <summary><c>crm validate</c>: a dry run that checks the mapping and accounts for every row, writing nothing.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var input = new TransactionInputOptions();
        var engine = new EngineInputOptions(fromOccasions: false);
        var preview = new Option<int>("--preview") { Description = "How many rejects to list (line, column, reason; never values).", DefaultValueFactory = _ => 20 };
        var surveys = new Option<FileInfo?>("--surveys") { Description = "Also check an NPS survey export (read with the --survey-* options, as crm score does) and account for every row." };
        var survey = new SurveyInputOptions("survey-");
        var command = new Command("validate", "Check a transaction export (and a survey export) against its mapping and account for every row; writes nothing.");
        input.AddTo(command);
        input.Transactions.Arity = ArgumentArity.ZeroOrOne;
        engine.AddTo(command);
        command.Options.Add(preview);
        command.Options.Add(surveys);
        survey.AddTo(command);
        command.SetAction((parse, ct) => context.RunAsync(parse, async log =>
        {
            var options = input.Build(parse, context.Clock);
            var errors = new List<string>();
            var source = engine.Build(parse, errors);
            var path = EngineInputOptions.InputName(parse.GetValue(input.Transactions)?.FullName, source, errors);
            if (errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            var sink = new PreviewRejectSink(parse.GetValue(preview));
            var (result, _) = await TransactionIngest.ReadAsync(path!, options, source, sink, log, ct).ConfigureAwait(false);
            DateOnly? asOf = null;
            var exit = ExitCodes.Ok;
            try
            {
                asOf = input.Check(parse, result, options, log);
            }
            catch (CrmAnalyticsException ex)
            {
                log.Error(ex.Message);
                exit = ex.ExitCode;
            }

            Print(context.Output, sink, result, asOf);
            if (parse.GetValue(surveys) is { } surveyFile)
            {
                var surveyAsOf = asOf ?? (result.Builder.LastDate is null ? null : result.Builder.DefaultAsOf());
                var surveyExit = await ValidateSurveysAsync(context, parse, surveyFile.FullName, survey, surveyAsOf, parse.GetValue(input.MaxRejectRate), parse.GetValue(preview), log, ct).ConfigureAwait(false);
                exit = exit == ExitCodes.Ok ? surveyExit : exit;
            }

            return exit;
        }));
        return command;
    }

    /// <summary>
    /// Reads the survey export as <c>crm score --surveys</c> would (responses on or after <paramref name="asOf"/>, the
    /// transactions' as-of date, are <c>date_after_as_of</c>), prints its accounting and first rejects, and returns the exit code of its checks.
    /// </summary>
    private static async Task<int> ValidateSurveysAsync(
        CliContext context, ParseResult parse, string path, SurveyInputOptions survey, DateOnly? asOf, double maxRejectRate, int preview, RunLog log, CancellationToken ct)
    {
        var errors = new List<string>();
        var options = survey.Build(parse, asOf, errors);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        var sink = new PreviewRejectSink(preview);
        var (result, _) = await NpsStage.ReadAsync(path, options, sink, log, ct).ConfigureAwait(false);
        var exit = ExitCodes.Ok;
        try
        {
            NpsStage.Check(result, maxRejectRate, log);
        }
        catch (CrmAnalyticsException ex)
        {
            log.Error(ex.Message);
            exit = ex.ExitCode;
        }

        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"survey file: {Path.GetFileName(result.Path)} ({result.Format}{(result.Compressed ? ", gzip" : string.Empty)})"));
        PrintAccounting(context.Output, result.Accounting);
        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"responses: {result.Responses.Count}"));
        PrintPreview(context.Output, sink);
        return exit;
    }

    private static void PrintAccounting(TextWriter output, RowAccounting acc)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"rows_read: {acc.RowsRead}"));
        output.WriteLine(string.Create(inv, $"rows_accepted: {acc.RowsAccepted}"));
        output.WriteLine(string.Create(inv, $"rows_rejected: {acc.RowsRejected}"));
        output.WriteLine(string.Create(inv, $"rows_malformed: {acc.RowsMalformed} ({acc.MalformedRate:P2})"));
        foreach (var (reason, count) in acc.ByReason())
        {
            output.WriteLine(string.Create(inv, $"  {reason}: {count}"));
        }
    }

    private static void Print(TextWriter output, PreviewRejectSink sink, TransactionReadResult result, DateOnly? asOf)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"file: {Path.GetFileName(result.Path)} ({result.Format}{(result.Compressed ? ", gzip" : string.Empty)})"));
        PrintAccounting(output, result.Accounting);
        output.WriteLine(string.Create(inv, $"customers: {result.Builder.CustomerCount}"));
        output.WriteLine(string.Create(inv, $"dates: {result.Builder.FirstDate:yyyy-MM-dd} .. {result.Builder.LastDate:yyyy-MM-dd}"));
        output.WriteLine(asOf is null ? "as_of: (none: the run would fail)" : string.Create(inv, $"as_of: {asOf:yyyy-MM-dd}"));
        PrintPreview(output, sink);
    }

    private static void PrintPreview(TextWriter output, PreviewRejectSink sink)
    {
        var inv = CultureInfo.InvariantCulture;
        if (sink.Preview.Count > 0)
        {
            output.WriteLine("first rejects (line, column, reason):");
            foreach (var (line, column, reason) in sink.Preview)
            {
                output.WriteLine(string.Create(inv, $"  {line}\t{(column.Length == 0 ? "*" : column)}\t{reason.Code()}"));
            }
        }
    }

    /// <summary>Keeps the first N rejects' positions and reasons, never their values.</summary>
    private sealed class PreviewRejectSink(int limit) : IRejectSink
    {
        public List<(long Line, string Column, RejectReason Reason)> Preview { get; } = [];

        public void Reject(string file, long line, string column, RejectReason reason, ReadOnlySpan<byte> rawRecord)
        {
            if (Preview.Count < limit)
            {
                Preview.Add((line, column, reason));
            }
        }
    }
}
