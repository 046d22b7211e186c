using System.CommandLine;
using CrmAnalytics.Cli.Sample;
using CrmAnalytics.Cli.Score;
using CrmAnalytics.Cli.Segments;
using CrmAnalytics.Cli.Validate;
using CrmAnalytics.Core;

namespace CrmAnalytics.Cli;

internal sealed class VersionAction(CliContext context) : System.CommandLine.Invocation.SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        context.Output.WriteLine(ScoreJob.ToolVersion);
        return ExitCodes.Ok;
    }
}

/// <summary>The <c>crm</c> command tree. Tests run it in process with captured output.</summary>
public static class CrmCli
{
    public static RootCommand Create(TextWriter output, TextWriter error)
    {
        var context = new CliContext(output, error);
        var root = new RootCommand("CrmAnalytics: RFM segments, customer summaries and run reports from transaction exports.");
        root.Options.Add(context.Quiet);
        root.Options.Add(context.Verbose);
        root.Options.Add(context.LogFormat);
        root.Subcommands.Add(ScoreCommand.Create(context));
        root.Subcommands.Add(CrmAnalytics.Cli.Run.RunCommand.Create(context));
        root.Subcommands.Add(ValidateCommand.Create(context));
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
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = Create(output, error);
        var parse = root.Parse(args);
        var config = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
            {
                error.WriteLine("crm: error: " + e.Message);
            }

            error.WriteLine("Run 'crm --help' for usage.");
            return ExitCodes.BadArguments;
        }

        return parse.Invoke(config);
    }
}
