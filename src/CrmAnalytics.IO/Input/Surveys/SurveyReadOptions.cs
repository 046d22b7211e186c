using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Input.Surveys;

/// <summary>Everything needed to read one survey export; validated once, before any data is read.</summary>
public sealed record SurveyReadOptions
{
    /// <summary>Csv or Parquet (Auto: from the extension, looking through .gz).</summary>
    public TransactionFormat Format { get; init; } = TransactionFormat.Auto;

    public SurveyColumnMapping Mapping { get; init; } = new();

    public bool HasHeader { get; init; } = true;

    public char Separator { get; init; } = ',';

    /// <summary>Exact .NET date format of the date column; null means ISO 8601 (as for transactions).</summary>
    public string? DateFormat { get; init; }

    /// <summary>
    /// The file's encoding. With UTF-8 (the default) every text field is decoded on its own: a field that is not valid
    /// UTF-8 is decoded with <see cref="FallbackEncoding"/> instead, so one stray Latin-1 byte in a comment costs neither
    /// the row nor its score. Another encoding (latin1, windows-1252, ...) decodes the whole file.
    /// </summary>
    public string Encoding { get; init; } = "utf-8";

    /// <summary>Single-byte encoding for UTF-8 fields that are not valid UTF-8 (every byte sequence decodes in it).</summary>
    public string FallbackEncoding { get; init; } = "windows-1252";

    /// <summary>Score cells meaning "no answer" besides the empty cell, matched ignoring case (R writes NA).</summary>
    public IReadOnlyList<string> MissingValues { get; init; } = ["NA", "N/A", "NULL"];

    /// <summary>Exclusive end of the observation window: dated responses on or after it are rejected as <c>date_after_as_of</c>.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Every problem with these options, reported together.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(Mapping.Validate());
        if (Format == TransactionFormat.Whitespace)
        {
            errors.Add("Survey exports are CSV or Parquet.");
        }

        TextOptionChecks.Validate(Separator, DateFormat, Encoding, errors);
        if (TransactionReadOptions.TryGetEncoding(FallbackEncoding) is not { IsSingleByte: true })
        {
            errors.Add($"Fallback encoding '{FallbackEncoding}' must be a known single-byte encoding (windows-1252, latin1, ibm850, ...).");
        }

        if (!HasHeader)
        {
            MappingSpec.ValidateColumnNumbers(Mapping.Mapped().Select(m => (m.Key, m.Column.TrimEnd('?'))), errors);
        }

        return errors;
    }

    /// <exception cref="ConfigurationException">Every problem, listed.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }
    }
}

/// <summary>Named read settings for survey exports; <c>--survey-map</c> and the other survey options override them.</summary>
public static class SurveyPresets
{
    /// <summary>Headers customer_id and score, and date, comment and channel when the file has them.</summary>
    public static SurveyReadOptions Generic { get; } = new()
    {
        Mapping = new SurveyColumnMapping { CustomerId = "customer_id", Score = "score", Date = "date?", Comment = "comment?", Channel = "channel?" },
    };

    /// <summary>
    /// The garden-centre survey (BenaventC/NPSgame <c>nps.csv</c>, an R <c>write.csv</c> export): id, nps, explication;
    /// NA for no answer; undated; comments in mixed Latin-1/CP850 bytes.
    /// </summary>
    public static SurveyReadOptions GardenRetailer { get; } = new()
    {
        Mapping = new SurveyColumnMapping { CustomerId = "id", Score = "nps", Comment = "explication" },
    };

    public static IReadOnlyDictionary<string, SurveyReadOptions> All { get; } = new Dictionary<string, SurveyReadOptions>(StringComparer.OrdinalIgnoreCase)
    {
        ["generic"] = Generic,
        ["garden-retailer"] = GardenRetailer,
    };

    /// <exception cref="ConfigurationException">The name is not a preset.</exception>
    public static SurveyReadOptions Get(string name) =>
        All.TryGetValue(name, out var preset)
            ? preset
            : throw new ConfigurationException($"Unknown survey preset '{name}'; use one of {string.Join(", ", All.Keys)}.");
}
