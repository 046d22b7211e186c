using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Engines;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Surveys;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Cli.Options;

/// <summary>Option errors in the user's words: option names and kinds of value, never .NET type or property names.</summary>
internal static partial class OptionMessages
{
    /// <summary>A parse error, with System.CommandLine's type names replaced by the kind of value the option takes.</summary>
    public static string Describe(ParseError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var match = ConversionError().Match(error.Message);
        if (!match.Success)
        {
            return error.Message;
        }

        var type = (error.SymbolResult as OptionResult)?.Option.ValueType ?? (error.SymbolResult as ArgumentResult)?.Argument.ValueType;
        return $"{match.Groups["option"].Value}: '{match.Groups["value"].Value}' is not {Kind(type)}.";
    }

    /// <summary>What a value of <paramref name="type"/> is, for a person: "a whole number", "one of Reject, Purchase".</summary>
    internal static string Kind(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            null => "a valid value",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(double) => "a number (with '.' as the decimal point)",
            _ when type == typeof(bool) => "true or false",
            { IsEnum: true } => "one of " + string.Join(", ", Enum.GetNames(type)),
            _ => "a valid value",
        };
    }

    /// <summary>
    /// The command-line option of each library setting that validation messages name: <c>Record.Property</c>, or the bare
    /// property for <see cref="CustomerScoringOptions"/> and <see cref="LifecycleOptions"/>, whose messages start with it,
    /// or a bare type for the settings it stands for (a mapping, the segment columns, the PostgreSQL engine).
    /// The one place the CLI maps settings to flags.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> OptionBySetting { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [nameof(CustomerScoringOptions.TopShare)] = "--top-share",
        [nameof(CustomerScoringOptions.Margin)] = "--margin",
        [nameof(LifecycleOptions.InactiveAfterDays)] = "--inactive-days",
        [nameof(LifecycleOptions.NewWithinDays)] = "--new-days",
        [nameof(LifecycleOptions.ActiveWindowDays)] = "--active-window-days",
        [nameof(LifecycleOptions.ActiveMinOrders)] = "--active-min-orders",
        [Setting<ChurnTrainingOptions>(nameof(ChurnTrainingOptions.Trees))] = "--churn-trees",
        [Setting<ChurnTrainingOptions>(nameof(ChurnTrainingOptions.Leaves))] = "--churn-leaves",
        [Setting<ChurnTrainingOptions>(nameof(ChurnTrainingOptions.LearningRate))] = "--churn-learning-rate",
        [Setting<ChurnTrainingOptions>(nameof(ChurnTrainingOptions.TrainMaxRows))] = "--churn-train-max-rows",
        [Setting<ChurnTrainingOptions>(nameof(ChurnTrainingOptions.ActiveDays))] = "--churn-active-days",
        [Setting<ChurnBandOptions>(nameof(ChurnBandOptions.HighShare))] = "--churn-high-share",
        [Setting<ChurnBandOptions>(nameof(ChurnBandOptions.MediumShare))] = "--churn-medium-share",
        [Setting<ChurnRiskThresholds>(nameof(ChurnRiskThresholds.High))] = "--churn-high",
        [Setting<ChurnRiskThresholds>(nameof(ChurnRiskThresholds.Medium))] = "--churn-medium",
        [Setting<ClvScoringOptions>(nameof(ClvScoringOptions.Model))] = "--clv-model",
        [Setting<CovariateOptions>(nameof(CovariateOptions.Purchase))] = "--clv-covariates",
        [Setting<CovariateOptions>(nameof(CovariateOptions.Dropout))] = "--clv-covariates-dropout",
        [Setting<CovariateOptions>(nameof(CovariateOptions.Penalizer))] = "--clv-covariate-penalizer",
        [nameof(ColumnMapping)] = "--map",
        [nameof(SurveyColumnMapping)] = "--survey-map",
        [nameof(SegmentColumns)] = "--segment-columns",
        [Setting<ScoreJobOptions>(nameof(ScoreJobOptions.Shard))] = "--shard",
        [nameof(PostgresOptions)] = "--engine postgres",
        [Setting<PostgresOptions>(nameof(PostgresOptions.SourceTable))] = "--source-table",
        [Setting<PostgresOptions>(nameof(PostgresOptions.SourceQuery))] = "--source-query",
        [Setting<PostgresOptions>(nameof(PostgresOptions.ConnectionVariable))] = "--pg-connection-env",
        [Setting<DuckDbOptions>(nameof(DuckDbOptions.MemoryLimit))] = "--duckdb-memory-limit",
        [Setting<DuckDbOptions>(nameof(DuckDbOptions.TempDirectory))] = "--duckdb-temp-dir",
    };

    /// <summary>
    /// A library message in the user's words: each setting of <see cref="OptionBySetting"/> it names becomes its option
    /// (<c>ChurnTrainingOptions.Trees must be at least 1.</c> → <c>--churn-trees must be at least 1.</c>). Quoted text, paths
    /// and longer names are left alone, so a column or file called like a setting keeps its name.
    /// </summary>
    public static string WithOptionNames(string message) => WithOptionNames(message, command: null);

    /// <summary>
    /// <see cref="WithOptionNames(string)"/> with the flags of <paramref name="command"/>, the command that ran: a
    /// <c>--survey-*</c> flag it does not define but defines unprefixed is named unprefixed, since <c>crm nps</c>, whose
    /// only input is the survey file, takes the survey options so (<c>--map</c> there, <c>--survey-map</c> elsewhere).
    /// </summary>
    public static string WithOptionNames(string message, Command? command)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SettingName().Replace(message, m => OptionBySetting.TryGetValue(m.Value, out var option) ? InCommand(option, command) : m.Value);
    }

    private static string InCommand(string option, Command? command)
    {
        const string survey = "--survey-";
        if (command is null || !option.StartsWith(survey, StringComparison.Ordinal) || Defines(command, option))
        {
            return option;
        }

        var unprefixed = "--" + option[survey.Length..];
        return Defines(command, unprefixed) ? unprefixed : option;
    }

    private static bool Defines(Command command, string option) => command.Options.Any(o => o.Name == option || o.Aliases.Contains(option));

    private static string Setting<T>(string property) => typeof(T).Name + "." + property;

    [GeneratedRegex(@"(?<![\w.'""/\\-])[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)?(?![\w'""/\\-])")]
    private static partial Regex SettingName();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command|argument) '(?<option>.*)' as expected type '[^']*'\.(\s.*)?$", RegexOptions.Singleline)]
    private static partial Regex ConversionError();
}
