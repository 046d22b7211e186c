using System.CommandLine;
using CrmAnalytics.Stages.Models;

namespace CrmAnalytics.Cli.Merge;

/// <summary><c>crm merge SHARD_DIR... --out DIR</c>: one output from the shard outputs of one bundle (see "Fit once, score in shards").</summary>
internal static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var shards = new Argument<string[]>("shards")
        {
            Description = "The --out folders of 'crm score --models DIR --shard i/n', every i from 0 to n − 1 once, in any order.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out") { Description = "The folder to publish the merged output to (atomically, as crm score does).", Required = true };
        var command = new Command("merge", "Merge the shard outputs of one model bundle into the output the unsharded run writes: customers.parquet and customers.csv, the segment files, the churn warning list ranked and capped again, summary.json recomputed, report.html.");
        command.Arguments.Add(shards);
        command.Options.Add(output);
        command.SetAction((parse, ct) => context.RunAsync(parse, log =>
            new MergeJob(new MergeJobOptions(parse.GetValue(output)!, parse.GetValue(shards)!, [.. parse.Tokens.Select(t => t.Value)]), log).RunAsync(ct)));
        return command;
    }
}
