using System.CommandLine;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Nps;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Surveys;
using CrmAnalytics.Stages.Input;

namespace CrmAnalytics.Cli.Input;

/// <summary>
/// The options that say how to read a survey export. <c>crm nps</c> uses them unprefixed (<c>--preset</c>, <c>--map</c>);
/// <c>crm score</c> prefixes them with <c>survey-</c> (<c>--survey-preset</c>, <c>--survey-map</c>) beside <c>--surveys FILE</c>.
/// </summary>
internal sealed class SurveyInputOptions
{
    public SurveyInputOptions(string prefix)
    {
        Preset = new($"--{prefix}preset") { Description = "Named survey read settings: " + string.Join(", ", SurveyPresets.All.Keys) + ".", DefaultValueFactory = _ => "generic" };
        Map = new($"--{prefix}map") { Description = "Survey column mapping overrides, keys customer_id, score, date, comment, channel (e.g. score=Q1,date=Submitted). Alternatives with '|'; a trailing '?' makes a column optional." };
        Format = new($"--{prefix}format") { Description = "Survey file format (auto from the extension when omitted): Csv or Parquet." };
        Separator = new($"--{prefix}separator") { Description = "Survey CSV field separator (default ','; 'tab' for a tab)." };
        DateFormat = new($"--{prefix}date-format") { Description = "Exact .NET format of the survey date column (default ISO 8601)." };
        Encoding = new($"--{prefix}encoding") { Description = "Survey file encoding (default utf-8: each field that is not valid UTF-8 is decoded with the fallback encoding)." };
        FallbackEncoding = new($"--{prefix}fallback-encoding") { Description = "Single-byte encoding for survey fields that are not valid UTF-8 (default windows-1252; latin1, ibm850, ...)." };
        MissingValues = new($"--{prefix}missing-values") { Description = "Comma-separated score values meaning 'no answer' besides an empty cell (default NA,N/A,NULL)." };
    }

    public Option<string> Preset { get; }

    public Option<string?> Map { get; }

    public Option<TransactionFormat?> Format { get; }

    public Option<string?> Separator { get; }

    public Option<string?> DateFormat { get; }

    public Option<string?> Encoding { get; }

    public Option<string?> FallbackEncoding { get; }

    public Option<string?> MissingValues { get; }

    public Option<int> MinResponses { get; } = new("--nps-min-responses")
    {
        Description = "NPS groups with fewer responses are reported but flagged as too small.",
        DefaultValueFactory = _ => NpsAnalysis.DefaultMinResponses,
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Preset, Map, Format, Separator, DateFormat, Encoding, FallbackEncoding, MissingValues, MinResponses })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The survey read options after the preset and every override; problems are added to <paramref name="errors"/>.</summary>
    public SurveyReadOptions Build(ParseResult parse, DateOnly? asOf, List<string> errors)
    {
        var options = SurveyPresets.Get(parse.GetValue(Preset) ?? "generic") with { AsOf = asOf };
        if (parse.GetValue(Map) is { } map) options = options with { Mapping = options.Mapping.With(map) };
        if (parse.GetValue(Format) is { } format) options = options with { Format = format };
        if (parse.GetValue(Separator) is { } sep)
        {
            if (SeparatorOption.Parse(sep, Separator.Name, errors) is { } c) options = options with { Separator = c };
        }

        if (parse.GetValue(DateFormat) is { } df) options = options with { DateFormat = df };
        if (parse.GetValue(Encoding) is { } enc) options = options with { Encoding = enc };
        if (parse.GetValue(FallbackEncoding) is { } fb) options = options with { FallbackEncoding = fb };
        if (parse.GetValue(MissingValues) is { } mv) options = options with { MissingValues = mv.Split(',', StringSplitOptions.TrimEntries) };
        if (parse.GetValue(MinResponses) < 1) errors.Add("--nps-min-responses must be at least 1.");
        errors.AddRange(options.Validate());
        return options;
    }

    /// <summary>The options of a command whose only input is the survey file.</summary>
    /// <exception cref="ConfigurationException">Every problem, listed.</exception>
    public SurveyReadOptions Build(ParseResult parse, DateOnly? asOf)
    {
        var errors = new List<string>();
        var options = Build(parse, asOf, errors);
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return options;
    }
}
