using System.CommandLine;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Cli.Options;
using CrmAnalytics.Cli.Sample;
using CrmAnalytics.Cli.Score;
using CrmAnalytics.Cli.Segments;
using CrmAnalytics.Cli.Validate;
using CrmAnalytics.Core;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Cli;

internal sealed class VersionAction(CliContext context) : System.CommandLine.Invocation.SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        context.Output.WriteLine(ToolInfo.Version);
        return ExitCodes.Ok;
    }
}

/// <summary>The <c>crm</c> command tree. Tests run it in process with captured output.</summary>
public static class CrmCli
{
    public static RootCommand Create(TextWriter output, TextWriter error, TimeProvider? clock = null)
    {
        var context = new CliContext(output, error, clock ?? TimeProvider.System);
        var root = new RootCommand("CrmAnalytics: RFM segments, customer summaries and run reports from transaction exports.");
        root.Options.Add(context.Quiet);
        root.Options.Add(context.Verbose);
        root.Options.Add(context.LogFormat);
        root.Subcommands.Add(ScoreCommand.Create(context));
        root.Subcommands.Add(Fit.FitCommand.Create(context));
        root.Subcommands.Add(Merge.MergeCommand.Create(context));
        root.Subcommands.Add(CrmAnalytics.Cli.Run.RunCommand.Create(context));
        root.Subcommands.Add(ValidateCommand.Create(context));
        root.Subcommands.Add(Init.InitCommand.Create(context));
        root.Subcommands.Add(Sql.SqlCommand.Create(context));
        root.Subcommands.Add(SampleCommand.Create(context));
        root.Subcommands.Add(SegmentsCommand.Create(context));
        root.Subcommands.Add(Clv.ClvCommand.Create(context));
        root.Subcommands.Add(Churn.ChurnCommand.Create(context));
        root.Subcommands.Add(Nps.NpsCommand.Create(context));
        root.Subcommands.Add(Report.ReportCommand.Create(context));

        // The default action prints the entry assembly's version, which is the test host's when run in process.
        var version = root.Options.OfType<VersionOption>().Single();
        version.Action = new VersionAction(context);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code (2 for any parse error).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, output, error, TimeProvider.System, CancellationToken.None);

    /// <summary>
    /// Parses and runs <paramref name="args"/> with the run date from <paramref name="clock"/>; <paramref name="cancellation"/>
    /// stops the run (exit 130). Every stderr line, parse errors and internal errors included, follows <c>--log-format</c>.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider clock, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Create(output, error, clock);
        var parse = root.Parse(args);
        var log = new RunLog(error, Verbosity.Quiet, RequestedLogFormat(args), clock);
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                log.Error(OptionMessages.Describe(e));
            }

            log.Error("run 'crm --help' for usage.");
            return ExitCodes.BadArguments;
        }

        try
        {
            // ProcessTerminationTimeout = null: Program handles SIGINT and SIGTERM, so that a run cleans up before it exits.
            var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return parse.InvokeAsync(config, cancellation).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // An unexpected failure: the type only, since messages can carry input values.
            log.Error($"internal error: {ex.GetType().FullName}. Nothing was published.");
            if (Environment.GetEnvironmentVariable("CRM_DEBUG") == "1")
            {
                log.Error(ex.ToString().ReplaceLineEndings(" | "));
            }

            return ExitCodes.InternalError;
        }
    }

    /// <summary>The <c>--log-format</c> the arguments ask for, read even when they do not parse.</summary>
    private static LogFormat RequestedLogFormat(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var value = args[i].StartsWith("--log-format=", StringComparison.Ordinal) ? args[i]["--log-format=".Length..]
                : args[i] == "--log-format" && i + 1 < args.Length ? args[i + 1]
                : null;
            if (value is not null && Enum.TryParse<LogFormat>(value, ignoreCase: true, out var format))
            {
                return format;
            }
        }

        return LogFormat.Text;
    }
}
