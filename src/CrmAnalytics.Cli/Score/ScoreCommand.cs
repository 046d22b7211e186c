using System.CommandLine;
using CrmAnalytics.Cli.Churn;
using CrmAnalytics.Cli.Clv;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.Cli.Options;
using CrmAnalytics.Cli.Report;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Rfm;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.Stages.Score;
using CrmAnalytics.Stages.Churn;

namespace CrmAnalytics.Cli.Score;

/// <summary><c>crm score</c>: the nightly job from a transaction export to published customer and segment files.</summary>
internal static class ScoreCommand
{
    public static Command Create(CliContext context) =>
        Create(context, "score", "Read a transaction export and publish the customer table, RFM segment files, rejects and a run summary.", churnModelRequired: false);

    /// <summary>The scoring command; <c>crm churn score</c> is the same job with <c>--churn-model</c> required.</summary>
    public static Command Create(CliContext context, string name, string description, bool churnModelRequired)
    {
        var options = new ScoreCommandOptions(churnModelRequired);
        var command = new Command(name, description);
        options.AddTo(command);
        command.SetAction((parse, ct) => context.RunAsync(parse, log =>
        {
            var errors = new List<string>();
            var job = options.Build(parse, context.Clock, errors);
            if (job is null || errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            return new ScoreJob(job, log, context.Clock).RunAsync(ct);
        }));
        return command;
    }
}

/// <summary>Every option of <c>crm score</c>, and how they become a <see cref="ScoreJobOptions"/>; shared with <c>crm run</c>.</summary>
internal sealed class ScoreCommandOptions(bool churnModelRequired)
{
    public TransactionInputOptions Input { get; } = new();

    public EngineInputOptions Engine { get; } = new(fromOccasions: true);

    public Option<DirectoryInfo> Output { get; } = new("--out") { Description = "Output folder; replaced atomically when the run succeeds.", Required = true };

    public Option<FileInfo?> Segments { get; } = new("--segments") { Description = "RFM segment rules JSON (default: the R rfm package's table; see 'crm segments default')." };

    public Option<string> Formats { get; } = new("--format") { Description = "Customer table formats to write: parquet, csv or parquet,csv.", DefaultValueFactory = _ => "parquet,csv" };

    public Option<CsvDialect> CsvDialect { get; } = new("--csv-dialect")
    {
        Description = "Dialect of customers.csv and the customer lists in segments/: rfc4180 (',', '.' decimals, no BOM) or excel (UTF-8 BOM, ';', ',' decimals).",
        DefaultValueFactory = _ => IO.CustomerTable.CsvDialect.Rfc4180,
    };

    /// <summary>The scoring defaults: the one source of the lifecycle, tier and margin flags' defaults.</summary>
    private static readonly CustomerScoringOptions Defaults = new();

    public Option<int> Inactive { get; } = new("--inactive-days") { Description = "Lifecycle: inactive after this many days without a purchase.", DefaultValueFactory = _ => Defaults.Lifecycle.InactiveAfterDays };

    public Option<int> NewDays { get; } = new("--new-days") { Description = "Lifecycle: new when the first purchase is within this many days.", DefaultValueFactory = _ => Defaults.Lifecycle.NewWithinDays };

    public Option<int> ActiveWindow { get; } = new("--active-window-days") { Description = "Lifecycle: window for 'active' (30, 90, 180 or 365).", DefaultValueFactory = _ => Defaults.Lifecycle.ActiveWindowDays };

    public Option<int> ActiveOrders { get; } = new("--active-min-orders") { Description = "Lifecycle: occasions in the window needed for 'active'.", DefaultValueFactory = _ => Defaults.Lifecycle.ActiveMinOrders };

    public Option<double> TopShare { get; } = new("--top-share") { Description = "Value tier: share of customers in the top tier by monetary total.", DefaultValueFactory = _ => Defaults.TopShare };

    public Option<double> Margin { get; } = new("--margin") { Description = "Gross margin for CLV and the simple cohort CLV KPI (1 = revenue).", DefaultValueFactory = _ => Defaults.Margin };

    public ClvCommandOptions Clv { get; } = new();

    public ChurnCommandOptions Churn { get; } = new();

    /// <summary>False for <c>crm fit</c>, whose bundle holds no covariate fit.</summary>
    private bool _scores = true;

    public Option<string?> SegmentColumnNames { get; } = new("--segment-columns")
    {
        Description = "Columns of the segments/*.csv files, comma separated, or 'all'; default: customer_id, segment, lifecycle_stage, value_tier, rfm_code, recency_days, orders, monetary_total and, when the run has them, p_alive, expected_purchases_365d, clv_<H>m, churn_probability, churn_risk, nps_category.",
    };

    public Option<double?> FailOnDrift { get; } = new("--fail-on-drift") { Description = "Fail with exit 7, publishing nothing, when the PSI of churn_probability or CLV against the previous run in --out exceeds this (e.g. 0.25)." };

    public Option<int?> Keep { get; } = new("--keep") { Description = "History mode: publish each run to <out>/runs/<as-of>_<run-id>/, point <out>/latest at it, keep the newest N runs." };

    public Option<FileInfo?> Surveys { get; } = new("--surveys") { Description = "NPS survey export (CSV or Parquet) to join: adds nps_* columns and the nps section; read with the --survey-* options." };

    public SurveyInputOptions Survey { get; } = new("survey-");

    public Option<string?> Currency { get; } = ReportCommand.CurrencyOption();

    public Option<string?> Require { get; } = new("--require")
    {
        Description = "Models that must be fitted: clv, churn or clv,churn. One that cannot be fitted fails the run with exit 5; by default it is skipped with a warning and the rest is published.",
    };

    public Option<DirectoryInfo?> Models { get; } = new("--models") { Description = "A model bundle folder from 'crm fit': score with its parameters and breakpoints instead of fitting (see 'Fit once, score in shards')." };

    public Option<string?> Shard { get; } = new("--shard") { Description = "i/n (0 ≤ i < n): score only the customers whose key (the first 15 hex digits of MD5 of the id) mod n is i; needs --models so that shards agree." };

    /// <param name="withModels">Adds --models and --shard; <c>crm fit</c>, which writes the bundle, has neither.</param>
    public void AddTo(Command command, bool withModels = true)
    {
        _scores = withModels;
        if (withModels)
        {
            command.Options.Add(Models);
            command.Options.Add(Shard);
        }

        Input.AddTo(command);
        Input.Transactions.Arity = ArgumentArity.ZeroOrOne;
        Engine.AddTo(command);
        foreach (var o in new Option[] { Output, Segments, Formats, SegmentColumnNames, CsvDialect, Inactive, NewDays, ActiveWindow, ActiveOrders, TopShare, Margin })
        {
            command.Options.Add(o);
        }

        Clv.AddTo(command, includeNone: true, scoring: true);
        Churn.AddTo(command, includeNone: !churnModelRequired, includeModel: true, includeBands: true);
        Churn.Model.Required = churnModelRequired;
        command.Options.Add(FailOnDrift);
        command.Options.Add(Keep);
        command.Options.Add(Surveys);
        Survey.AddTo(command);
        command.Options.Add(Currency);
        command.Options.Add(Require);
    }

    /// <summary>
    /// The job the options describe, with every problem added to <paramref name="errors"/> (null when the rules file
    /// cannot be loaded). Reads no data: <c>crm run --check</c> relies on it.
    /// </summary>
    public ScoreJobOptions? Build(ParseResult parse, TimeProvider clock, List<string> errors, string? jobFile = null)
    {
        var read = Input.Build(parse, clock, errors);
        var source = Engine.Build(parse, errors);
        var transactions = EngineInputOptions.InputName(parse.GetValue(Input.Transactions)?.FullName, source, errors);
        var fmt = ParseFormats(parse.GetValue(Formats) ?? string.Empty, errors);
        var rulesFile = parse.GetValue(Segments);
        RfmSegmentRules? rules = null;
        try
        {
            rules = rulesFile is null ? RfmSegmentRules.Default : RfmSegmentRules.Load(rulesFile.FullName);
        }
        catch (ConfigurationException ex)
        {
            // Every other option is still checked, so that all problems are reported at once.
            errors.Add(ex.Message);
        }

        var scoring = new CustomerScoringOptions
        {
            Segments = rules ?? RfmSegmentRules.Default,
            Lifecycle = new LifecycleOptions
            {
                InactiveAfterDays = parse.GetValue(Inactive),
                NewWithinDays = parse.GetValue(NewDays),
                ActiveWindowDays = parse.GetValue(ActiveWindow),
                ActiveMinOrders = parse.GetValue(ActiveOrders),
            },
            TopShare = parse.GetValue(TopShare),
            Margin = parse.GetValue(Margin),
        };
        errors.AddRange(scoring.Validate());
        var clvOptions = Clv.Build(parse, parse.GetValue(Margin), errors);
        var churnOptions = Churn.Build(parse, errors);
        if (parse.GetValue(FailOnDrift) is { } psiLimit && !(psiLimit > 0 && double.IsFinite(psiLimit)))
        {
            errors.Add("--fail-on-drift must be a positive, finite PSI, e.g. 0.25.");
        }

        if (clvOptions?.Covariates.Any == true && (parse.GetValue(Churn.Attributes) is null || churnOptions is null || parse.GetResult(Models) is not null || !_scores))
        {
            errors.Add("--clv-covariates and --clv-covariates-dropout read their columns from --customers, which they need, and which --churn-trainer none does not read; they are fitted and reported in a scoring run, so not with --models or in crm fit.");
        }

        var require = RequireOption.Parse(parse.GetValue(Require), clvOptions is not null, churnOptions is not null, errors);
        if (parse.GetValue(Keep) is < 1)
        {
            errors.Add("--keep must be at least 1.");
        }

        var npsOptions = parse.GetValue(Surveys) is { } surveyFile
            ? new Stages.Nps.NpsJobOptions(surveyFile.FullName, Survey.Build(parse, null, errors), parse.GetValue(Survey.MinResponses))
            : null;
        var segmentColumns = parse.GetValue(SegmentColumnNames)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (segmentColumns is not null)
        {
            var runColumns = CustomerColumns.For(clvOptions?.Value.HorizonMonths, churn: churnOptions is not null, clvIntervals: clvOptions?.IntervalLevel > 0);
            errors.AddRange(SegmentColumns.Validate(segmentColumns, npsOptions is null ? runColumns : NpsColumns.AppendTo(runColumns)));
        }

        var models = parse.GetResult(Models) is null ? null : parse.GetValue(Models);
        var shard = parse.GetResult(Shard) is null || parse.GetValue(Shard) is not { } shardText ? null : Stages.Models.ShardSpec.Parse(shardText, errors);
        if (shard is not null && models is null)
        {
            errors.Add("--shard needs --models: without one bundle, each shard would fit its own models and rank its customers among itself.");
        }

        if (rules is null)
        {
            return null;
        }

        return new ScoreJobOptions
        {
            Transactions = transactions ?? string.Empty,
            Read = read,
            Source = source,
            Preset = parse.GetValue(Input.Preset) ?? "generic",
            MaxRejectRate = parse.GetValue(Input.MaxRejectRate),
            MaxExcludedRate = parse.GetValue(Input.MaxExcludedRate),
            OutputDirectory = parse.GetValue(Output)!.FullName,
            Scoring = scoring,
            SegmentRulesSource = rulesFile?.FullName,
            WriteParquet = fmt.Parquet,
            WriteCsv = fmt.Csv,
            SegmentColumns = segmentColumns,
            CsvDialect = parse.GetValue(CsvDialect),
            CommandLine = parse.Tokens.Select(t => t.Value).ToArray(),
            Clv = clvOptions,
            Churn = churnOptions,
            FailOnDrift = parse.GetValue(FailOnDrift),
            Keep = parse.GetValue(Keep),
            RequireClv = require.Clv,
            RequireChurn = require.Churn,
            Nps = npsOptions,
            Report = new IO.Report.ReportOptions { CurrencySymbol = parse.GetValue(Currency) ?? string.Empty },
            JobFile = jobFile,
            ModelsPath = models?.FullName,
            Shard = shard,
        };
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
