using System.CommandLine;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Cli.Churn;

/// <summary><c>crm churn contact-plan default|lint</c>: print the built-in contact plan, or check a plan file.</summary>
internal static class ContactPlanCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("contact-plan", "Work with the contact-plan rules of the churn warning list (--churn-contact-plan).");

        var show = new Command("default", "Print the built-in contact plan as JSON, a starting point for your own.");
        show.SetAction((parse, ct) => context.RunAsync(parse, log =>
        {
            context.Output.WriteLine(ContactPlan.Default.ToJson());
            return ExitCodes.Ok;
        }));

        var file = new Argument<FileInfo>("plan") { Description = "A contact-plan JSON file." };
        var segments = new Option<FileInfo?>("--segments") { Description = "The segment rules the plan is used with (default: the built-in rules)." };
        var strict = new Option<bool>("--strict") { Description = "Exit 2 when a name never matches or a rule never wins." };
        var lint = new Command("lint", "Check a contact plan: invalid files exit 2; segment and reason names that never match and rules that never win are reported.");
        lint.Arguments.Add(file);
        lint.Options.Add(segments);
        lint.Options.Add(strict);
        lint.SetAction((parse, ct) => context.RunAsync(parse, log =>
        {
            var plan = ContactPlan.Load(parse.GetValue(file)!.FullName);
            var rules = parse.GetValue(segments) is { } s ? RfmSegmentRules.Load(s.FullName) : RfmSegmentRules.Default;
            var segmentNames = rules.Rules.Select(r => r.Name).Append(rules.Others.Name).ToHashSet(StringComparer.Ordinal);
            var reasonNames = ChurnFeatureSchema.SummaryFeatureNames.Concat(ChurnFeatureSchema.ClvFeatureNames).Concat(ChurnFeatureSchema.NpsFeatureNames).ToHashSet(StringComparer.Ordinal);
            var findings = ContactPlanLinter.Lint(plan, segmentNames, reasonNames);
            context.Output.WriteLine($"{plan.Rules.Count} rules; {findings.Count} findings");
            foreach (var finding in findings)
            {
                context.Output.WriteLine("  " + finding);
            }

            return findings.Count == 0 || !parse.GetValue(strict) ? ExitCodes.Ok : ExitCodes.BadArguments;
        }));

        command.Subcommands.Add(show);
        command.Subcommands.Add(lint);
        return command;
    }
}
