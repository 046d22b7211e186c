using System.Globalization;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Input;

/// <summary>The <c>--map key=column,...</c> syntax and header lookup shared by every input's column mapping.</summary>
internal static class MappingSpec
{
    /// <summary>The separators a header is tried against when mapped columns are missing, in order of preference.</summary>
    private static readonly char[] CandidateSeparators = [';', '\t', '|', ','];

    /// <summary>Splits <paramref name="spec"/> into (lowercase key, column) pairs; every malformed entry or unknown key is reported together.</summary>
    /// <param name="setting">The mapping the spec applies to, as messages name it (the CLI maps it to its option).</param>
    /// <exception cref="ConfigurationException">An entry is not key=column, or a key is not one of <paramref name="keys"/>.</exception>
    public static IReadOnlyList<(string Key, string Column)> Parse(string spec, IReadOnlyList<string> keys, string setting)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var pairs = new List<(string, string)>();
        var errors = new List<string>();
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                errors.Add($"{setting} entry '{part}' is not key=column.");
                continue;
            }

            var key = part[..eq].Trim().ToLowerInvariant();
            if (!keys.Contains(key))
            {
                errors.Add($"{setting} key '{key}' is unknown; use one of {string.Join(", ", keys)}.");
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
    /// like a header; otherwise the first line is data, and only its shape is given (logs never hold cell values). When
    /// the header looks split at another separator (<see cref="LikelySeparator"/>), the message starts with that hint.
    /// </summary>
    /// <param name="missingSpecs">The mapped names that were not found (alternatives split by '|'), for the separator hint.</param>
    /// <param name="separatorOption">The option that sets this file's separator, named in the hint; null when there is none.</param>
    public static InputException Missing(string fileName, IEnumerable<string> missing, IReadOnlyList<string>? header,
        IEnumerable<string>? missingSpecs = null, string? separatorOption = null)
    {
        var separator = header is null ? null : LikelySeparator(header, missingSpecs ?? []);
        var hint = separator is { } c ? SeparatorHint(c, separatorOption) : string.Empty;

        // A header read as one cell is shown split at the separator it seems to use: its names, not one long "cell".
        var names = header is [var only] && separator is { } split ? only.Split(split, StringSplitOptions.TrimEntries) : header;
        var found = names is null ? "Columns found: (no header)."
            : names.All(LooksLikeColumnName) ? $"Columns found{(names == header ? string.Empty : " in the one header cell")}: {string.Join(", ", names.Select(h => $"'{h}'"))}."
            : $"The first line does not look like a header; its {names.Count} fields are {string.Join(", ", names.Select((h, i) => $"#{i + 1} {Shape(h)}"))}. "
              + "If the file has no header line, use --no-header and map columns by number.";
        return new InputException($"{fileName}: mapped column(s) not found: {string.Join(", ", missing)}. {hint}{found}");
    }

    /// <summary>
    /// The separator the header seems to use instead of the one it was read with: a candidate that splits a header cell
    /// into two or more names, when the header is that one cell or a missing mapped name is one of the parts (as in
    /// <c>customer_id;date;amount</c> read with ','). The candidate with the most parts wins; null when none fits.
    /// </summary>
    internal static char? LikelySeparator(IReadOnlyList<string> header, IEnumerable<string> missingSpecs)
    {
        var wanted = missingSpecs.SelectMany(spec => spec.Split('|')).Select(alt => alt.Trim()).Where(alt => alt.Length > 0)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        char? best = null;
        var bestParts = 1;
        foreach (var cell in header)
        {
            foreach (var candidate in CandidateSeparators)
            {
                var parts = cell.Split(candidate, StringSplitOptions.TrimEntries);
                if (parts.Length > bestParts && (header.Count == 1 || parts.Any(wanted.Contains)))
                {
                    best = candidate;
                    bestParts = parts.Length;
                }
            }
        }

        return best;
    }

    private static string SeparatorHint(char separator, string? separatorOption)
    {
        var shown = separator == '\t' ? "tab" : $"'{separator}'";
        // crm init sniffs a transaction export's whole dialect; survey exports have their own options.
        return separatorOption switch
        {
            null => $"The header looks {shown}-separated. ",
            "--separator" => $"The header looks {shown}-separated: try --separator {shown}, or run 'crm init' on the export. ",
            _ => $"The header looks {shown}-separated: try {separatorOption} {shown}. ",
        };
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
/// <param name="separatorOption">The option that sets the file's separator, for the hint of <see cref="MappingSpec.Missing"/>.</param>
internal sealed class ColumnResolver(IReadOnlyList<string>? header, string fileName, string? separatorOption = null)
{
    private readonly List<string> _missing = [];
    private readonly List<string> _missingSpecs = [];

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
            _missingSpecs.Add(spec);
        }

        return index;
    }

    /// <exception cref="InputException">A mapped column is missing; the message lists the columns found.</exception>
    public void ThrowIfMissing()
    {
        if (_missing.Count > 0)
        {
            throw MappingSpec.Missing(fileName, _missing, header, _missingSpecs, separatorOption);
        }
    }

    public string Name(int index) => MappingSpec.Name(index, header);
}
