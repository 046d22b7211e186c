using System.CommandLine;
using System.Globalization;
using CrmAnalytics.Cli.Score;
using CrmAnalytics.Core;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Cli.Run;

/// <summary>
/// <c>crm run job.json [--check] [score options]</c>: runs <c>crm score</c> as a job file describes it. Every score option
/// has a job-file key; options given on the command line override the file's. <c>--check</c> validates everything
/// (unknown keys, bad values, missing input files) at once and reads no data.
/// </summary>
internal static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var job = new Argument<FileInfo>("job") { Description = "The job file (JSON with comments; keys are crm score's option names without dashes, plus \"transactions\")." };
        var check = new Option<bool>("--check") { Description = "Validate the job file and report every problem; read no data, publish nothing." };
        var command = new Command("run", "Run the scoring job a job file describes; options on the command line override the file's.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Arguments.Add(job);
        command.Options.Add(check);
        command.SetAction((parse, ct) => context.RunAsync(parse, async log =>
        {
            var path = parse.GetValue(job)!.FullName;
            var errors = new List<string>();
            if (!File.Exists(path))
            {
                throw new ConfigurationException($"The job file {path} does not exist.");
            }

            var options = new ScoreCommandOptions(churnModelRequired: false);
            var score = new Command("score");
            options.AddTo(score);
            var args = Compose(path, score, parse.UnmatchedTokens, errors);
            var scoreParse = score.Parse(args);
            errors.AddRange(scoreParse.Errors.Select(Options.OptionMessages.Describe));
            var unparsed = scoreParse.Errors.Select(e => (e.SymbolResult as System.CommandLine.Parsing.OptionResult)?.Option).OfType<Option>().ToHashSet();
            if (unparsed.Count > 0)
            {
                // The values that do not parse are left out, so that every other option is still checked.
                scoreParse = score.Parse(Without(args, unparsed));
            }
            var built = scoreParse.Errors.Count == 0 ? options.Build(scoreParse, context.Clock, errors, path) : null;

            if (errors.Count > 0)
            {
                throw new ConfigurationException($"{Path.GetFileName(path)}: {errors.Count} problem(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
            }

            if (parse.GetValue(check))
            {
                context.Output.WriteLine($"{Path.GetFileName(path)}: ok (no data read)");
                return ExitCodes.Ok;
            }

            return await new ScoreJob(built! with { CommandLine = ["run", .. parse.Tokens.Select(t => t.Value)] }, log, context.Clock).RunAsync(ct).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>
    /// The score arguments: the file's options, then the command line's, with a command-line option replacing the file's
    /// option of the same name; keys that are not score options are errors.
    /// </summary>
    internal static string[] Compose(string path, Command score, IReadOnlyList<string> overrides, List<string> errors)
    {
        var known = score.Options.ToDictionary(o => o.Name.TrimStart('-'), StringComparer.Ordinal);
        var entries = JobFile.Read(path, errors);
        var fromCommandLine = new List<(string Key, string? Value)>();
        for (var i = 0; i < overrides.Count; i++)
        {
            var token = overrides[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                errors.Add($"unexpected argument '{token}' after the job file (options only, e.g. --as-of 2024-01-01).");
                continue;
            }

            var key = token[2..];
            var isFlag = known.TryGetValue(key, out var option) && option.ValueType == typeof(bool);
            string? value = null;
            if (!isFlag && i + 1 < overrides.Count)
            {
                value = overrides[++i];
            }

            fromCommandLine.Add((key, value));
        }

        var overridden = fromCommandLine.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var args = new List<string>();
        string? transactions = null;
        var effective = entries.Where(e => !overridden.Contains(e.Key)).Concat(fromCommandLine).ToArray();
        errors.AddRange(MissingInputs(effective));
        foreach (var (key, value) in effective)
        {
            if (key == "transactions")
            {
                transactions = value;
                continue;
            }

            if (!known.ContainsKey(key))
            {
                // The file's unknown keys are reported by the job schema, with their JSON paths.
                if (overridden.Contains(key))
                {
                    errors.Add($"'--{key}' is not an option of crm score (see 'crm score --help').");
                }

                continue;
            }

            args.Add("--" + key);
            if (value is not null)
            {
                args.Add(value);
            }
        }

        if (transactions is null && !effective.Any(e => e.Key == "from-occasions"))
        {
            errors.Add("\"transactions\" (the export to score) is missing.");
        }
        else if (transactions is not null)
        {
            args.Insert(0, transactions);
        }

        return [.. args];
    }

    /// <summary><paramref name="args"/> without the given options and their values.</summary>
    private static string[] Without(string[] args, HashSet<Option> options)
    {
        var names = options.ToDictionary(o => o.Name, o => o.ValueType == typeof(bool), StringComparer.Ordinal);
        var kept = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (names.TryGetValue(args[i], out var isFlag))
            {
                i += isFlag ? 0 : 1;
                continue;
            }

            kept.Add(args[i]);
        }

        return [.. kept];
    }

    /// <summary>The input files a job names that do not exist, all of them, whether or not the other values parse.</summary>
    private static IEnumerable<string> MissingInputs(IEnumerable<(string Key, string? Value)> entries) =>
        entries.Where(e => InputKeys.Contains(e.Key) && e.Value is { Length: > 0 } && !File.Exists(e.Value)
                && !(e.Key == "transactions" && IO.Engines.DuckDbTransactionSource.IsMultiFile(e.Value)))
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"'{e.Key}': {e.Value} does not exist."));

    private static readonly HashSet<string> InputKeys = new(StringComparer.Ordinal) { "transactions", "surveys", "customers", "churn-model", "from-occasions" };
}
