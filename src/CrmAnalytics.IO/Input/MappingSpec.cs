using System.Globalization;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Input;

/// <summary>The <c>--map key=column,...</c> syntax and header lookup shared by every input's column mapping.</summary>
internal static class MappingSpec
{
    /// <summary>Splits <paramref name="spec"/> into (lowercase key, column) pairs; every malformed entry or unknown key is reported together.</summary>
    /// <exception cref="ConfigurationException">An entry is not key=column, or a key is not one of <paramref name="keys"/>.</exception>
    public static IReadOnlyList<(string Key, string Column)> Parse(string spec, IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var pairs = new List<(string, string)>();
        var errors = new List<string>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                errors.Add($"--map entry '{part}' is not key=column.");
                continue;
            }

            var key = part[..eq].Trim().ToLowerInvariant();
            if (!keys.Contains(key))
            {
                errors.Add($"--map key '{key}' is unknown; use one of {string.Join(", ", keys)}.");
                continue;
            }

            pairs.Add((key, part[(eq + 1)..].Trim()));
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return pairs;
    }

    /// <summary>Without a header every mapped value must be a 1-based column number.</summary>
    public static void ValidateColumnNumbers(IEnumerable<(string Key, string Column)> mapped, List<string> errors)
    {
        foreach (var (key, column) in mapped)
        {
            if (!int.TryParse(column, out var n) || n < 1)
            {
                errors.Add($"Without a header, mapping '{key}' must be a 1-based column number, not '{column}'.");
            }
        }
    }

    /// <summary>
    /// The 0-based index of a mapped column: alternatives split by '|', each matched exactly, then ignoring case and
    /// surrounding spaces; without a header the spec is a 1-based column number. -1 when no alternative is present.
    /// </summary>
    /// <exception cref="InputException">The alternative that matches names more than one header column (ignoring case and
    /// surrounding spaces): which one is meant is ambiguous.</exception>
    public static int Find(string spec, IReadOnlyList<string>? header, string fileName)
    {
        if (header is null)
        {
            return int.Parse(spec, CultureInfo.InvariantCulture) - 1;
        }

        foreach (var alt in spec.Split('|'))
        {
            var matches = Enumerable.Range(0, header.Count).Where(i => string.Equals(header[i].Trim(), alt.Trim(), StringComparison.OrdinalIgnoreCase)).ToArray();
            if (matches.Length > 1)
            {
                throw new InputException($"{fileName}: the mapped column '{alt.Trim()}' is ambiguous: the header has it {matches.Length} times " +
                    $"(columns {string.Join(", ", matches.Select(i => $"#{i + 1}"))}). Rename the duplicates in the export.");
            }

            if (matches.Length == 1)
            {
                return matches[0];
            }
        }

        return -1;
    }

    /// <summary>
    /// The error for mapped columns missing from a file's header. It lists the columns found when the first line looks
    /// like a header; otherwise the first line is data, and only its shape is given (logs never hold cell values).
    /// </summary>
    public static InputException Missing(string fileName, IEnumerable<string> missing, IReadOnlyList<string>? header)
    {
        var found = header is null ? "Columns found: (no header)."
            : header.All(LooksLikeColumnName) ? $"Columns found: {string.Join(", ", header.Select(h => $"'{h}'"))}."
            : $"The first line does not look like a header; its {header.Count} fields are {string.Join(", ", header.Select((h, i) => $"#{i + 1} {Shape(h)}"))}. "
              + "If the file has no header line, use --no-header and map columns by number.";
        return new InputException($"{fileName}: mapped column(s) not found: {string.Join(", ", missing)}. {found}");
    }

    /// <summary>A header cell: short text that is not a number or a date and holds no '@' (a first line of data often does).</summary>
    private static bool LooksLikeColumnName(string cell)
    {
        var text = cell.Trim();
        return text.Length is > 0 and <= 64 && !text.Contains('@', StringComparison.Ordinal) && Shape(text) == "text";
    }

    /// <summary>What a cell holds, without its value: empty, a number, a date or text (with its length).</summary>
    private static string Shape(string cell)
    {
        var text = cell.Trim();
        if (text.Length == 0)
        {
            return "empty";
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            return "number";
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? "date" : "text";
    }

    /// <summary>The name a reject record gives a resolved column: its header name, or #n without a header.</summary>
    public static string Name(int index, IReadOnlyList<string>? header) =>
        index < 0 ? string.Empty : header is null ? string.Create(CultureInfo.InvariantCulture, $"#{index + 1}") : header[index];
}

/// <summary>Resolves one file's mapped columns against its header, collecting every missing column before failing.</summary>
internal sealed class ColumnResolver(IReadOnlyList<string>? header, string fileName)
{
    private readonly List<string> _missing = [];

    /// <summary>The 0-based index of <paramref name="spec"/>; -1 when it is not mapped or (recorded as missing) not found.</summary>
    public int Find(string? spec, string key, bool required)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            if (required)
            {
                _missing.Add(key);
            }

            return -1;
        }

        var index = MappingSpec.Find(spec, header, fileName);
        if (index < 0)
        {
            _missing.Add($"{key} ('{spec}')");
        }

        return index;
    }

    /// <exception cref="InputException">A mapped column is missing; the message lists the columns found.</exception>
    public void ThrowIfMissing()
    {
        if (_missing.Count > 0)
        {
            throw MappingSpec.Missing(fileName, _missing, header);
        }
    }

    public string Name(int index) => MappingSpec.Name(index, header);
}
