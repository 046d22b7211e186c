using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CrmAnalytics.Core.Rfm;

/// <summary>
/// The ordered RFM segment rule table: the first rule whose box contains a customer's scores names the segment, and a
/// customer no rule matches is in <see cref="Others"/> (DESIGN.md, "RFM").
/// </summary>
/// <remarks>
/// Immutable and validated on construction; every problem is reported together in one <see cref="ConfigurationException"/>.
/// Rules may overlap (the earlier one wins) and may leave cells uncovered; <see cref="RfmRulesLinter"/> reports both.
/// </remarks>
public sealed class RfmSegmentRules
{
    /// <summary>The display name of the catch-all segment.</summary>
    public const string OthersName = "Others";

    /// <summary>The slug of the catch-all segment; reserved, so no rule may use it.</summary>
    public const string OthersSlug = "others";

    private const int Cells = 125;

    private static readonly string[] SegmentProperties = ["name", "slug", "r", "f", "m"];

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
    };

    private readonly RfmSegmentRule[] _rules;
    private readonly byte[] _winnerByCell;

    /// <summary>Creates a validated rule table.</summary>
    /// <param name="rules">The rules in priority order.</param>
    /// <exception cref="ConfigurationException">The table is empty or a rule is invalid; the message lists every problem.</exception>
    public RfmSegmentRules(IEnumerable<RfmSegmentRule> rules)
        : this(Drafts(rules), new Errors(), "segment rules")
    {
    }

    /// <param name="errors">Problems already found while reading <paramref name="drafts"/>; reported with the rest.</param>
    private RfmSegmentRules(List<Draft> drafts, Errors errors, string sourceName)
    {
        if (drafts.Count == 0 && errors.Count == 0)
        {
            errors.Add("the segment list is empty: at least one segment is required");
        }

        Validate(drafts, errors);
        ThrowIfAny(errors, sourceName);

        _rules = new RfmSegmentRule[drafts.Count];
        for (var i = 0; i < drafts.Count; i++)
        {
            _rules[i] = drafts[i].ToRule();
        }

        Rules = Array.AsReadOnly(_rules);
        _winnerByCell = new byte[Cells];
        for (var r = 1; r <= 5; r++)
        {
            for (var f = 1; f <= 5; f++)
            {
                for (var m = 1; m <= 5; m++)
                {
                    var winner = Array.FindIndex(_rules, rule => rule.Contains(new RfmScore(r, f, m)));
                    _winnerByCell[CellOf(r, f, m)] = (byte)(winner < 0 ? _rules.Length : winner);
                }
            }
        }
    }

    /// <summary>
    /// The R <c>rfm</c> package's segment table (rfm_segment defaults), in its order.
    /// </summary>
    /// <remarks>
    /// Champions R5 F5 M5; Potential Loyalist R3–5 F3–5 M2–5; Loyal Customers R2–4 F2–4 M2–4; Promising R3–4 F1–3 M3–5;
    /// New Customers R4–5 F1–3 M1–5; Can't Lose Them R1–2 F3–4 M4–5; At Risk R1–2 F2–5 M4–5; Need Attention R1–3 F3–5 M3–5;
    /// About To Sleep R2–3 F1–3 M1–4; Lost R1 F1–5 M1–5. It leaves 10 of the 125 cells to Others.
    /// </remarks>
    public static RfmSegmentRules Default { get; } = new(
    [
        new("Champions", "champions", 5, 5, 5, 5, 5, 5),
        new("Potential Loyalist", "potential-loyalist", 3, 5, 3, 5, 2, 5),
        new("Loyal Customers", "loyal-customers", 2, 4, 2, 4, 2, 4),
        new("Promising", "promising", 3, 4, 1, 3, 3, 5),
        new("New Customers", "new-customers", 4, 5, 1, 3, 1, 5),
        new("Can't Lose Them", "cant-lose-them", 1, 2, 3, 4, 4, 5),
        new("At Risk", "at-risk", 1, 2, 2, 5, 4, 5),
        new("Need Attention", "need-attention", 1, 3, 3, 5, 3, 5),
        new("About To Sleep", "about-to-sleep", 2, 3, 1, 3, 1, 4),
        new("Lost", "lost", 1, 1, 1, 5, 1, 5),
    ]);

    /// <summary>The rules in priority order.</summary>
    public IReadOnlyList<RfmSegmentRule> Rules { get; }

    /// <summary>The catch-all segment for scores no rule contains; its box is every cell, but it never takes precedence.</summary>
    public RfmSegmentRule Others { get; } = new(OthersName, OthersSlug, 1, 5, 1, 5, 1, 5);

    /// <summary>The first rule containing <paramref name="score"/>, or <see cref="Others"/>.</summary>
    public RfmSegmentRule Assign(RfmScore score)
    {
        var index = IndexOf(score);
        return index < _rules.Length ? _rules[index] : Others;
    }

    /// <summary>The position in <see cref="Rules"/> of the rule <see cref="Assign"/> picks; <c>Rules.Count</c> means Others.</summary>
    internal int IndexOf(RfmScore score)
    {
        if (score.R is < 1 or > 5 || score.F is < 1 or > 5 || score.M is < 1 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "R, F and M scores must each be 1–5.");
        }

        return _winnerByCell[CellOf(score.R, score.F, score.M)];
    }

    /// <summary>Reads a rule table from a JSON file; see <see cref="Parse"/> for the format.</summary>
    /// <exception cref="ConfigurationException">The file cannot be read or is invalid.</exception>
    public static RfmSegmentRules Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ConfigurationException($"Segment rules file '{path}' cannot be read: {ex.Message}", ex);
        }

        return Parse(json, path);
    }

    /// <summary>Parses a rule table.</summary>
    /// <param name="json">
    /// <c>{"segments":[{"name":"Champions","slug":"champions","r":[5,5],"f":[5,5],"m":[5,5]}, ...]}</c>, rules in
    /// priority order. <c>slug</c> is optional (derived by <see cref="Slug.From"/>); ranges are inclusive
    /// <c>[min, max]</c> pairs of integers 1–5. Comments are allowed; unknown properties are errors.
    /// </param>
    /// <param name="sourceName">The file name or other label that error messages name.</param>
    /// <exception cref="ConfigurationException">
    /// Malformed JSON (with line and position), or every structural and rule problem, each naming its <c>segments[i]</c>.
    /// </exception>
    public static RfmSegmentRules Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var position = (ex.BytePositionInLine ?? 0) + 1;
            throw new ConfigurationException(
                $"Segment rules '{sourceName}' are not valid JSON at line {line}, position {position}: {WithoutPosition(ex.Message)}", ex);
        }

        using (document)
        {
            var errors = new Errors();
            var drafts = new List<Draft>();
            ReadDocument(document.RootElement, drafts, errors);
            return new RfmSegmentRules(drafts, errors, sourceName);
        }
    }

    /// <summary>The table in the format <see cref="Parse"/> reads, one segment per line, every slug explicit.</summary>
    /// <remarks>Text is escaped with <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> so that "Can't" stays readable;
    /// the output is a configuration file, never embedded in HTML.</remarks>
    public string ToJson()
    {
        var builder = new StringBuilder();
        builder.Append("{\n  \"segments\": [\n");
        for (var i = 0; i < _rules.Length; i++)
        {
            var rule = _rules[i];
            builder.Append(CultureInfo.InvariantCulture,
                $"    {{ \"name\": \"{Escape(rule.Name)}\", \"slug\": \"{Escape(rule.Slug)}\", \"r\": [{rule.RMin}, {rule.RMax}], \"f\": [{rule.FMin}, {rule.FMax}], \"m\": [{rule.MMin}, {rule.MMax}] }}");
            builder.Append(i < _rules.Length - 1 ? ",\n" : "\n");
        }

        builder.Append("  ]\n}\n");
        return builder.ToString();
    }

    private static int CellOf(int r, int f, int m) => ((r - 1) * 25) + ((f - 1) * 5) + (m - 1);

    private static string Escape(string text) => JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();

    private static List<Draft> Drafts(IEnumerable<RfmSegmentRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var list = new List<Draft>();
        foreach (var rule in rules)
        {
            if (rule is null)
            {
                throw new ArgumentException("A rule is null.", nameof(rules));
            }

            list.Add(new Draft(list.Count, rule.Name, rule.Slug, SlugDerived: false,
                (rule.RMin, rule.RMax), (rule.FMin, rule.FMax), (rule.MMin, rule.MMax)));
        }

        return list;
    }

    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }

    private static void ThrowIfAny(Errors errors, string sourceName)
    {
        if (errors.Count == 0)
        {
            return;
        }

        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture,
            $"Segment rules '{sourceName}' are invalid ({errors.Count} {(errors.Count == 1 ? "error" : "errors")}):");
        foreach (var error in errors.InOrder())
        {
            message.Append("\n  - ").Append(error);
        }

        throw new ConfigurationException(message.ToString());
    }

    private static void ReadDocument(JsonElement root, List<Draft> drafts, Errors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("the root must be an object with a \"segments\" array");
            return;
        }

        JsonElement? segments = null;
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("segments"))
            {
                if (segments is not null)
                {
                    errors.Add("property \"segments\" appears more than once");
                }

                segments = property.Value;
            }
            else
            {
                errors.Add($"unknown property \"{property.Name}\" at the root (expected \"segments\")");
            }
        }

        if (segments is not { } list)
        {
            errors.Add("property \"segments\" is missing");
            return;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            errors.Add("property \"segments\" must be an array");
            return;
        }

        if (list.GetArrayLength() == 0)
        {
            errors.Add("the segment list is empty: at least one segment is required");
            return;
        }

        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            if (ReadSegment(element, index, errors) is { } draft)
            {
                drafts.Add(draft);
            }

            index++;
        }
    }

    private static Draft? ReadSegment(JsonElement element, int index, Errors errors)
    {
        var at = $"segments[{index}]";
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(index, $"{at}: must be an object");
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? name = null;
        string? slug = null;
        (int Min, int Max)? r = null, f = null, m = null;
        foreach (var property in element.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                errors.Add(index, $"{at}: property \"{property.Name}\" appears more than once");
                continue;
            }

            switch (property.Name)
            {
                case "name":
                    name = ReadString(property.Value, index, at, "name", errors);
                    break;
                case "slug":
                    slug = ReadString(property.Value, index, at, "slug", errors);
                    break;
                case "r":
                    r = ReadRange(property.Value, index, at, "r", errors);
                    break;
                case "f":
                    f = ReadRange(property.Value, index, at, "f", errors);
                    break;
                case "m":
                    m = ReadRange(property.Value, index, at, "m", errors);
                    break;
                default:
                    errors.Add(index, $"{at}: unknown property \"{property.Name}\" (expected {string.Join(", ", SegmentProperties)})");
                    break;
            }
        }

        foreach (var required in (ReadOnlySpan<string>)["name", "r", "f", "m"])
        {
            if (!seen.Contains(required))
            {
                errors.Add(index, $"{at}: property \"{required}\" is missing");
            }
        }

        var derived = slug is null && name is not null && !seen.Contains("slug");
        if (derived)
        {
            slug = Slug.From(name!, index + 1);
        }

        return new Draft(index, name, slug, derived, r, f, m);
    }

    private static string? ReadString(JsonElement value, int index, string at, string property, Errors errors)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(index, $"{at}: \"{property}\" must be a string");
            return null;
        }

        return value.GetString();
    }

    private static (int Min, int Max)? ReadRange(JsonElement value, int index, string at, string property, Errors errors)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
            && value[0].ValueKind == JsonValueKind.Number && value[0].TryGetInt32(out var min)
            && value[1].ValueKind == JsonValueKind.Number && value[1].TryGetInt32(out var max))
        {
            return (min, max);
        }

        errors.Add(index, $"{at}: \"{property}\" must be an array of two integers [min, max]");
        return null;
    }

    /// <summary>Checks every part that is present, so that one missing property does not hide other problems.</summary>
    private static void Validate(List<Draft> drafts, Errors errors)
    {
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var slugs = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            var index = draft.Index;
            var at = string.IsNullOrWhiteSpace(draft.Name) ? $"segments[{index}]" : $"segments[{index}] \"{draft.Name}\"";
            CheckRange(index, at, "r", draft.R, errors);
            CheckRange(index, at, "f", draft.F, errors);
            CheckRange(index, at, "m", draft.M, errors);

            if (draft.Name is { } name)
            {
                var key = name.Trim();
                if (key.Length == 0)
                {
                    errors.Add(index, $"{at}: the name is empty");
                }
                else if (string.Equals(key, OthersName, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(index, $"{at}: the name \"{OthersName}\" is reserved for customers no rule matches");
                }
                else if (!names.TryAdd(key, index))
                {
                    errors.Add(index, $"{at}: the name duplicates segments[{names[key]}] (names are compared ignoring case)");
                }
            }

            if (draft.Slug is { } slug)
            {
                var derived = draft.SlugDerived ? " (derived from the name)" : "";
                if (slug.Length > Slug.MaxLength)
                {
                    errors.Add(index, $"{at}: slug{derived} has {slug.Length} characters, more than {Slug.MaxLength}; give the rule a shorter \"slug\"");
                }
                else if (!Slug.IsValid(slug))
                {
                    errors.Add(index, $"{at}: slug \"{slug}\" must match ^[a-z0-9]+(-[a-z0-9]+)*$");
                }
                else if (slug == OthersSlug)
                {
                    errors.Add(index, $"{at}: slug \"{OthersSlug}\"{derived} is reserved for customers no rule matches");
                }
                else if (Slug.Reserved.Contains(slug))
                {
                    errors.Add(index, $"{at}: slug \"{slug}\"{derived} is reserved: segments/{slug}.csv is a file crm writes itself or a name the operating system reserves");
                }
                else if (!slugs.TryAdd(slug, index))
                {
                    errors.Add(index, $"{at}: slug \"{slug}\"{derived} duplicates segments[{slugs[slug]}]");
                }
            }
        }
    }

    private static void CheckRange(int index, string at, string dimension, (int Min, int Max)? range, Errors errors)
    {
        if (range is not (var min, var max))
        {
            return;
        }

        if (min is < 1 or > 5 || max is < 1 or > 5)
        {
            errors.Add(index, $"{at}: {dimension} range [{min}, {max}] is outside 1–5");
        }
        else if (min > max)
        {
            errors.Add(index, $"{at}: {dimension} range [{min}, {max}] has min > max");
        }
    }

    /// <summary>One segment as read, with whatever parts were present and well-typed.</summary>
    private readonly record struct Draft(
        int Index, string? Name, string? Slug, bool SlugDerived, (int Min, int Max)? R, (int Min, int Max)? F, (int Min, int Max)? M)
    {
        public RfmSegmentRule ToRule() =>
            Name is not null && Slug is not null && R is { } r && F is { } f && M is { } m
                ? new RfmSegmentRule(Name, Slug, r.Min, r.Max, f.Min, f.Max, m.Min, m.Max)
                : throw new InvalidOperationException("An incomplete segment passed validation.");
    }

    /// <summary>Every problem found, listed table-level first and then by segment, in the order found within each.</summary>
    private sealed class Errors
    {
        private readonly List<(int Segment, string Message)> _items = [];

        public int Count => _items.Count;

        public void Add(string message) => _items.Add((-1, message));

        public void Add(int segment, string message) => _items.Add((segment, message));

        public IEnumerable<string> InOrder() => _items.OrderBy(e => e.Segment).Select(e => e.Message);
    }
}
