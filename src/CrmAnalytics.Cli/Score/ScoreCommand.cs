using System.CommandLine;
using CrmAnalytics.Cli.Churn;
using CrmAnalytics.Cli.Clv;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.Cli.Report;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Cli.Score;

/// <summary><c>crm score</c>: the nightly job from a transaction export to published customer and segment files.</summary>
internal static class ScoreCommand
{
    public static Command Create(CliContext context) =>
        Create(context, "score", "Read a transaction export and publish the customer table, RFM segment files, rejects and a run summary.", churnModelRequired: false);

    /// <summary>The scoring command; <c>crm churn score</c> is the same job with <c>--churn-model</c> required.</summary>
    public static Command Create(CliContext context, string name, string description, bool churnModelRequired)
    {
        var input = new TransactionInputOptions();
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder; replaced atomically when the run succeeds.", Required = true };
        var segments = new Option<FileInfo?>("--segments") { Description = "RFM segment rules JSON (default: the R rfm package's table; see 'crm segments default')." };
        var formats = new Option<string>("--format") { Description = "Customer table formats to write: parquet, csv or parquet,csv.", DefaultValueFactory = _ => "parquet,csv" };
        var inactive = new Option<int>("--inactive-days") { Description = "Lifecycle: inactive after this many days without a purchase.", DefaultValueFactory = _ => 180 };
        var newDays = new Option<int>("--new-days") { Description = "Lifecycle: new when the first purchase is within this many days.", DefaultValueFactory = _ => 180 };
        var activeWindow = new Option<int>("--active-window-days") { Description = "Lifecycle: window for 'active' (30, 90, 180 or 365).", DefaultValueFactory = _ => 365 };
        var activeOrders = new Option<int>("--active-min-orders") { Description = "Lifecycle: occasions in the window needed for 'active'.", DefaultValueFactory = _ => 2 };
        var topShare = new Option<double>("--top-share") { Description = "Value tier: share of customers in the top tier by monetary total.", DefaultValueFactory = _ => 0.2 };
        var margin = new Option<double>("--margin") { Description = "Gross margin for CLV and the simple cohort CLV KPI (1 = revenue).", DefaultValueFactory = _ => 1.0 };
        var clv = new ClvCommandOptions();
        var churn = new ChurnCommandOptions();
        var failOnDrift = new Option<double?>("--fail-on-drift") { Description = "Fail with exit 7, publishing nothing, when the PSI of churn_probability or CLV against the previous run in --out exceeds this (e.g. 0.25)." };
        var surveys = new Option<FileInfo?>("--surveys") { Description = "NPS survey export (CSV or Parquet) to join: adds nps_* columns and the nps section; read with the --survey-* options." };
        var survey = new SurveyInputOptions("survey-");
        var currency = ReportCommand.CurrencyOption();

        var command = new Command(name, description);
        input.AddTo(command);
        foreach (var o in new Option[] { output, segments, formats, inactive, newDays, activeWindow, activeOrders, topShare, margin })
        {
            command.Options.Add(o);
        }

        clv.AddTo(command, includeNone: true);
        churn.AddTo(command, includeNone: !churnModelRequired, includeModel: true, includeBands: true);
        churn.Model.Required = churnModelRequired;
        command.Options.Add(failOnDrift);
        command.Options.Add(surveys);
        survey.AddTo(command);
        command.Options.Add(currency);

        command.SetAction((parse, ct) => context.RunAsync(parse, log =>
        {
            var errors = new List<string>();
            var read = input.Build(parse);
            var fmt = ParseFormats(parse.GetValue(formats) ?? string.Empty, errors);
            var rulesFile = parse.GetValue(segments);
            var scoring = new CustomerScoringOptions
            {
                Segments = rulesFile is null ? RfmSegmentRules.Default : RfmSegmentRules.Load(rulesFile.FullName),
                Lifecycle = new LifecycleOptions
                {
                    InactiveAfterDays = parse.GetValue(inactive),
                    NewWithinDays = parse.GetValue(newDays),
                    ActiveWindowDays = parse.GetValue(activeWindow),
                    ActiveMinOrders = parse.GetValue(activeOrders),
                },
                TopShare = parse.GetValue(topShare),
                Margin = parse.GetValue(margin),
            };
            errors.AddRange(scoring.Validate());
            var clvOptions = clv.Build(parse, parse.GetValue(margin), errors);
            var churnOptions = churn.Build(parse, errors);
            if (parse.GetValue(failOnDrift) is { } psiLimit && !(psiLimit > 0))
            {
                errors.Add("--fail-on-drift must be a positive PSI, e.g. 0.25.");
            }

            var npsOptions = parse.GetValue(surveys) is { } surveyFile
                ? new Nps.NpsJobOptions(surveyFile.FullName, survey.Build(parse, null, errors), parse.GetValue(survey.MinResponses))
                : null;
            if (errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            var job = new ScoreJob(new ScoreJobOptions
            {
                Transactions = parse.GetValue(input.Transactions)!.FullName,
                Read = read,
                Preset = parse.GetValue(input.Preset) ?? "generic",
                MaxRejectRate = parse.GetValue(input.MaxRejectRate),
                OutputDirectory = parse.GetValue(output)!.FullName,
                Scoring = scoring,
                SegmentRulesSource = rulesFile?.FullName,
                WriteParquet = fmt.Parquet,
                WriteCsv = fmt.Csv,
                CommandLine = parse.Tokens.Select(t => t.Value).ToArray(),
                Clv = clvOptions,
                Churn = churnOptions,
                FailOnDrift = parse.GetValue(failOnDrift),
                Nps = npsOptions,
                Report = new IO.Report.ReportOptions { CurrencySymbol = parse.GetValue(currency) ?? string.Empty },
            }, log);
            return job.RunAsync(ct);
        }));
        return command;
    }

    private static (bool Parquet, bool Csv) ParseFormats(string text, List<string> errors)
    {
        var parquet = false;
        var csv = false;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            switch (part.ToLowerInvariant())
            {
                case "parquet": parquet = true; break;
                case "csv": csv = true; break;
                default: errors.Add($"--format '{part}' is unknown; use parquet, csv or both."); break;
            }
        }

        if (!parquet && !csv)
        {
            errors.Add("--format must name at least one of parquet, csv.");
        }

        return (parquet, csv);
    }
}
