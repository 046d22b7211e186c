using System.CommandLine;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Cli.Segments;

/// <summary><c>crm segments lint|default</c>: check an RFM rule file, or print the default rules to start one.</summary>
internal static class SegmentsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("segments", "Work with RFM segment rule files.");

        var file = new Argument<FileInfo>("rules") { Description = "A segment rules JSON file." };
        var strict = new Option<bool>("--strict") { Description = "Exit 2 when cells are uncovered or a rule never wins." };
        var lint = new Command("lint", "Report uncovered, overlapping and shadowed cells over all 125 R×F×M combinations.");
        lint.Arguments.Add(file);
        lint.Options.Add(strict);
        lint.SetAction((parse, ct) => context.RunAsync(parse, log =>
        {
            var rules = RfmSegmentRules.Load(parse.GetValue(file)!.FullName);
            var result = RfmRulesLinter.Lint(rules);
            context.Output.Write(result.ToText());
            return result.IsClean || !parse.GetValue(strict) ? ExitCodes.Ok : ExitCodes.BadArguments;
        }));

        var show = new Command("default", "Print the default rule table (the R rfm package's) as JSON, a starting point for your own.");
        show.SetAction((parse, ct) => context.RunAsync(parse, log =>
        {
            context.Output.WriteLine(RfmSegmentRules.Default.ToJson());
            return ExitCodes.Ok;
        }));

        command.Subcommands.Add(lint);
        command.Subcommands.Add(show);
        return command;
    }
}
