using System.CommandLine;
using CrmAnalytics.Cli.Score;
using CrmAnalytics.Core;
using CrmAnalytics.Stages.Models;

namespace CrmAnalytics.Cli.Fit;

/// <summary><c>crm fit</c>: fit every population-wide model once into a bundle that <c>crm score --models</c> reuses.</summary>
internal static class FitCommand
{
    public static Command Create(CliContext context)
    {
        var options = new ScoreCommandOptions(churnModelRequired: false);
        var sample = new Option<int?>("--fit-sample") { Description = "Fit on a seeded sample of this many customers: those with the smallest FNV-1a 64 hash of '<seed>:<customer_id>'." };
        var seed = new Option<int>("--fit-seed") { Description = "Seed of --fit-sample.", DefaultValueFactory = _ => 1 };
        var command = new Command("fit", "Read a transaction export as 'crm score' does and publish a model bundle to --out: CLV parameters, the churn model, RFM breakpoints, the value-tier cut-off and the lifecycle settings.");
        options.AddTo(command, withModels: false);
        command.Options.Add(sample);
        command.Options.Add(seed);
        command.SetAction((parse, ct) => context.RunAsync(parse, log =>
        {
            var errors = new List<string>();
            var job = options.Build(parse, context.Clock, errors);
            foreach (var scoreOnly in new Option[] { options.Keep, options.FailOnDrift })
            {
                if (parse.GetResult(scoreOnly) is not null)
                {
                    errors.Add($"{scoreOnly.Name} is an option of 'crm score'; 'crm fit' publishes one bundle folder and compares with nothing.");
                }
            }

            if (parse.GetValue(sample) is < 1)
            {
                errors.Add("--fit-sample must be at least 1.");
            }

            if (job is null || errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            return new FitJob(job, new FitSampleOptions(parse.GetValue(sample), parse.GetValue(seed)), log).RunAsync(ct);
        }));
        return command;
    }
}
