using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Input.Surveys;

/// <summary>
/// Which survey-export column holds each field. As for transactions, a value may list alternatives separated by
/// <c>|</c>, and without a header values are 1-based column numbers. A value ending in <c>?</c> is used only when the
/// file has that column (presets map the optional fields this way).
/// </summary>
public sealed record SurveyColumnMapping
{
    public string? CustomerId { get; init; }

    /// <summary>The 0–10 "how likely are you to recommend" answer.</summary>
    public string? Score { get; init; }

    /// <summary>Optional response date; enables NPS by month and the as-of rule.</summary>
    public string? Date { get; init; }

    /// <summary>Optional free-text comment. It is decoded (to prove the row survives any bytes) and counted, never output.</summary>
    public string? Comment { get; init; }

    /// <summary>Optional channel (e-mail, store, app, ...); enables NPS by channel.</summary>
    public string? Channel { get; init; }

    /// <summary>The mapping keys accepted by <c>--survey-map</c>.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["customer_id", "score", "date", "comment", "channel"];

    /// <summary>Applies <c>key=value,key=value</c> overrides on top of this mapping.</summary>
    /// <exception cref="ConfigurationException">An entry is malformed or a key unknown (all reported together).</exception>
    public SurveyColumnMapping With(string spec)
    {
        var result = this;
        foreach (var (key, value) in MappingSpec.Parse(spec, Keys, nameof(SurveyColumnMapping)))
        {
            result = key switch
            {
                "customer_id" => result with { CustomerId = value },
                "score" => result with { Score = value },
                "date" => result with { Date = value },
                "comment" => result with { Comment = value },
                _ => result with { Channel = value },
            };
        }

        return result;
    }

    /// <summary>Every problem with this mapping, empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(CustomerId))
        {
            errors.Add("The survey mapping has no customer_id column.");
        }

        if (string.IsNullOrWhiteSpace(Score))
        {
            errors.Add("The survey mapping has no score column.");
        }

        return errors;
    }

    /// <summary>The mapped fields as (key, column spec) pairs, in <see cref="Keys"/> order.</summary>
    public IEnumerable<(string Key, string Column)> Mapped()
    {
        if (CustomerId is not null) yield return ("customer_id", CustomerId);
        if (Score is not null) yield return ("score", Score);
        if (Date is not null) yield return ("date", Date);
        if (Comment is not null) yield return ("comment", Comment);
        if (Channel is not null) yield return ("channel", Channel);
    }
}
