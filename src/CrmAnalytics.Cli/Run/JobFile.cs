using System.Globalization;
using System.Text.Json;

namespace CrmAnalytics.Cli.Run;

/// <summary>
/// A job file (<c>crm run job.json</c>): one JSON object (comments and trailing commas allowed) whose keys are the
/// options of <c>crm score</c> without the leading dashes, plus <c>transactions</c> for the export. A string or number is
/// the option's value, <c>true</c> sets a flag, <c>false</c> and <c>null</c> leave the option out. Relative paths are
/// relative to the job file's folder.
/// </summary>
internal static class JobFile
{
    /// <summary>Keys whose values are paths, resolved against the job file's folder.</summary>
    private static readonly HashSet<string> PathKeys = new(StringComparer.Ordinal) { "transactions", "out", "segments", "surveys", "customers", "churn-model", "churn-contact-plan" };

    /// <summary>Reads the file into (key, value) pairs in file order; problems are added to <paramref name="errors"/>.</summary>
    public static List<(string Key, string? Value)> Read(string path, List<string> errors)
    {
        var entries = new List<(string, string?)>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{path}: cannot be read ({ex.Message}).");
            return entries;
        }
        catch (JsonException ex)
        {
            errors.Add($"{path}: not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}).");
            return entries;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{path}: the job must be one JSON object of option names and values.");
                return entries;
            }

            errors.AddRange(JsonSchemaCheck.Job.Problems(document.RootElement));
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var key = property.Name;
                var value = property.Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        var text = value.GetString()!;
                        entries.Add((key, PathKeys.Contains(key) && text.Length > 0 ? Path.GetFullPath(text, folder) : text));
                        break;
                    case JsonValueKind.Number:
                        entries.Add((key, NumberText(value)));
                        break;
                    case JsonValueKind.True:
                        entries.Add((key, null));
                        break;
                    case JsonValueKind.False:
                    case JsonValueKind.Null:
                        break;
                    default:
                        // An array or object: the schema check above has reported it with its JSON path.
                        break;
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// A JSON number as an option value: an integral value in any JSON spelling (<c>1e2</c>, <c>100.0</c>) as the digits an
    /// integer option parses (<c>100</c>), anything else as written.
    /// </summary>
    internal static string NumberText(JsonElement value)
    {
        var raw = value.GetRawText();
        return value.TryGetDecimal(out var number) && number == decimal.Truncate(number)
            ? decimal.Truncate(number).ToString(CultureInfo.InvariantCulture)
            : raw;
    }
}
