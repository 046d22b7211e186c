using System.CommandLine;
using System.Globalization;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.Cli.Logging;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.Cli.Validate;

/// <summary><c>crm validate</c>: a dry run that checks the mapping and accounts for every row, writing nothing.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var input = new TransactionInputOptions();
        var engine = new EngineInputOptions(fromOccasions: false);
        var preview = new Option<int>("--preview") { Description = "How many rejects to list (line, column, reason; never values).", DefaultValueFactory = _ => 20 };
        var command = new Command("validate", "Check a transaction export against its mapping and account for every row; writes nothing.");
        input.AddTo(command);
        engine.AddTo(command);
        command.Options.Add(preview);
        command.SetAction((parse, ct) => context.RunAsync(parse, async log =>
        {
            var options = input.Build(parse, context.Clock);
            var errors = new List<string>();
            var source = engine.Build(parse, errors);
            if (errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            var sink = new PreviewRejectSink(parse.GetValue(preview));
            var path = parse.GetValue(input.Transactions)!.FullName;
            var (result, _) = await TransactionIngest.ReadAsync(path, options, source, sink, log, ct).ConfigureAwait(false);
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
            return exit;
        }));
        return command;
    }

    private static void Print(TextWriter output, PreviewRejectSink sink, TransactionReadResult result, DateOnly? asOf)
    {
        var inv = CultureInfo.InvariantCulture;
        {
            var acc = result.Accounting;
            output.WriteLine(string.Create(inv, $"file: {Path.GetFileName(result.Path)} ({result.Format}{(result.Compressed ? ", gzip" : string.Empty)})"));
            output.WriteLine(string.Create(inv, $"rows_read: {acc.RowsRead}"));
            output.WriteLine(string.Create(inv, $"rows_accepted: {acc.RowsAccepted}"));
            output.WriteLine(string.Create(inv, $"rows_rejected: {acc.RowsRejected}"));
            output.WriteLine(string.Create(inv, $"rows_malformed: {acc.RowsMalformed} ({acc.MalformedRate:P2})"));
            foreach (var (reason, count) in acc.ByReason())
            {
                output.WriteLine(string.Create(inv, $"  {reason}: {count}"));
            }

            output.WriteLine(string.Create(inv, $"customers: {result.Builder.CustomerCount}"));
            output.WriteLine(string.Create(inv, $"dates: {result.Builder.FirstDate:yyyy-MM-dd} .. {result.Builder.LastDate:yyyy-MM-dd}"));
            output.WriteLine(asOf is null ? "as_of: (none: the run would fail)" : string.Create(inv, $"as_of: {asOf:yyyy-MM-dd}"));
        }

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
