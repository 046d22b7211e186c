using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmAnalytics.Core.Churn;

/// <summary>
/// One contact-plan rule. A customer matches when every condition given matches; an absent condition matches anyone.
/// </summary>
/// <param name="Name">Shown by the linter.</param>
/// <param name="ValueTier">"top" or "rest" (the value_tier column); null for any.</param>
/// <param name="Segments">RFM segment names; null for any.</param>
/// <param name="Reasons">Churn reason feature names (churn_reason_1..3); the rule matches when any of the customer's reasons is listed; null for any.</param>
/// <param name="Action">What to do, in words the team reads ("personal call by the account manager").</param>
/// <param name="ContactWithinDays">The contact deadline: contact_by = as-of date + this many days.</param>
public sealed record ContactPlanRule(
    string Name,
    string? ValueTier,
    IReadOnlyList<string>? Segments,
    IReadOnlyList<string>? Reasons,
    string Action,
    int ContactWithinDays)
{
    public bool IsCatchAll => ValueTier is null && Segments is null && Reasons is null;

    public bool Matches(string valueTier, string segment, IReadOnlyList<string> reasons) =>
        (ValueTier is null || ValueTier == valueTier) &&
        (Segments is null || Segments.Contains(segment, StringComparer.Ordinal)) &&
        (Reasons is null || reasons.Any(r => Reasons.Contains(r, StringComparer.Ordinal)));
}

/// <summary>
/// The contact plan of the churn warning list: an ordered rule table, the first matching rule wins, and the last rule
/// must match everyone so that no listed customer is left without an action. Validated on construction; every problem
/// is reported together.
/// </summary>
public sealed class ContactPlan
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <exception cref="ConfigurationException">The plan is empty, a rule is invalid, or the last rule does not match everyone.</exception>
    public ContactPlan(IReadOnlyList<ContactPlanRule> rules, string sourceName = "contact plan")
    {
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new List<string>();
        if (rules.Count == 0)
        {
            problems.Add("it has no rules");
        }

        for (var i = 0; i < rules.Count; i++)
        {
            var r = rules[i];
            var where = $"rule {i + 1} ('{r.Name}')";
            if (string.IsNullOrWhiteSpace(r.Name))
            {
                problems.Add($"rule {i + 1} has no name");
            }

            if (string.IsNullOrWhiteSpace(r.Action))
            {
                problems.Add($"{where} has no action");
            }

            if (r.ContactWithinDays < 0)
            {
                problems.Add($"{where}: contact_within_days must be 0 or more");
            }

            if (r.ValueTier is not null and not ("top" or "rest"))
            {
                problems.Add($"{where}: value_tier must be 'top' or 'rest'");
            }

            if (r.Segments is { Count: 0 } || r.Reasons is { Count: 0 })
            {
                problems.Add($"{where}: an empty segments or reasons list matches nobody; leave it out to match anyone");
            }
        }

        if (rules.Count > 0 && !rules[^1].IsCatchAll)
        {
            problems.Add("the last rule must match everyone (no value_tier, segments or reasons), so that every listed customer gets an action");
        }

        if (problems.Count > 0)
        {
            throw new ConfigurationException($"The {sourceName} is invalid: " + string.Join("; ", problems) + ".");
        }

        Rules = rules;
    }

    /// <summary>
    /// Personal contact for the top value tier, a personal email for the loyal middle, an automated win-back offer for
    /// the rest (the seed's "priority visits or a contact plan").
    /// </summary>
    public static ContactPlan Default { get; } = new(
    [
        new("top-tier", "top", null, null, "personal call or visit by the account manager", 3),
        new("loyal-middle", null, ["Champions", "Loyal Customers", "Potential Loyalist", "Can't Lose Them", "At Risk"], null, "personal email from the customer team", 7),
        new("everyone-else", null, null, null, "automated win-back offer", 14),
    ], "default contact plan");

    public IReadOnlyList<ContactPlanRule> Rules { get; }

    /// <summary>The first rule the customer matches (the last rule matches everyone).</summary>
    public ContactPlanRule Assign(string valueTier, string segment, IReadOnlyList<string> reasons) =>
        Rules.First(r => r.Matches(valueTier, segment, reasons));

    /// <exception cref="ConfigurationException">The file cannot be read or is invalid.</exception>
    public static ContactPlan Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"Contact plan file '{path}' cannot be read: {ex.Message}", ex);
        }

        return Parse(json, $"contact plan file '{path}'");
    }

    /// <exception cref="ConfigurationException">The JSON is malformed or the plan is invalid.</exception>
    public static ContactPlan Parse(string json, string sourceName)
    {
        PlanFile? file;
        try
        {
            file = JsonSerializer.Deserialize<PlanFile>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"The {sourceName} is not a contact plan: {ex.Message}", ex);
        }

        if (file?.Rules is null || file.Rules.Any(r => r is null || r.Action is null || r.ContactWithinDays is null))
        {
            throw new ConfigurationException($"The {sourceName} is invalid: it needs \"rules\", each with \"name\", \"action\" and \"contact_within_days\".");
        }

        return new ContactPlan(file.Rules.Select(r => new ContactPlanRule(r.Name ?? "", r.ValueTier, r.Segments, r.Reasons, r.Action!, r.ContactWithinDays!.Value)).ToArray(), sourceName);
    }

    public string ToJson() => JsonSerializer.Serialize(
        new PlanFile { Rules = Rules.Select(r => new RuleFile { Name = r.Name, ValueTier = r.ValueTier, Segments = r.Segments?.ToArray(), Reasons = r.Reasons?.ToArray(), Action = r.Action, ContactWithinDays = r.ContactWithinDays }).ToArray() },
        Json);

    private sealed class PlanFile
    {
        public RuleFile[]? Rules { get; set; }
    }

    private sealed class RuleFile
    {
        public string? Name { get; set; }

        public string? ValueTier { get; set; }

        public string[]? Segments { get; set; }

        public string[]? Reasons { get; set; }

        public string? Action { get; set; }

        public int? ContactWithinDays { get; set; }
    }
}

/// <summary>Checks a contact plan against the run's segment names and the churn features: names that never match, rules that never win.</summary>
public static class ContactPlanLinter
{
    /// <returns>One line per finding; empty when the plan is clean.</returns>
    public static IReadOnlyList<string> Lint(ContactPlan plan, IReadOnlyCollection<string> segmentNames, IReadOnlyCollection<string> reasonNames)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(segmentNames);
        ArgumentNullException.ThrowIfNull(reasonNames);
        var findings = new List<string>();
        for (var i = 0; i < plan.Rules.Count; i++)
        {
            var r = plan.Rules[i];
            var where = $"rule {i + 1} ('{r.Name}')";
            findings.AddRange((r.Segments ?? []).Where(s => !segmentNames.Contains(s)).Select(s => $"{where}: segment '{s}' is not a segment of the rules; it never matches"));
            findings.AddRange((r.Reasons ?? []).Where(s => !reasonNames.Contains(s) && !s.StartsWith("attr_", StringComparison.Ordinal)).Select(s => $"{where}: reason '{s}' is not a churn feature; it never matches"));
            var shadow = plan.Rules.Take(i).Select((earlier, k) => (earlier, k)).FirstOrDefault(p => Covers(p.earlier, r));
            if (shadow.earlier is not null)
            {
                findings.Add($"{where} never wins: rule {shadow.k + 1} ('{shadow.earlier.Name}') matches every customer it matches");
            }
        }

        return findings;
    }

    /// <summary>Whether every customer <paramref name="later"/> matches is matched by <paramref name="earlier"/>.</summary>
    private static bool Covers(ContactPlanRule earlier, ContactPlanRule later) =>
        (earlier.ValueTier is null || earlier.ValueTier == later.ValueTier) &&
        (earlier.Segments is null || (later.Segments is not null && later.Segments.All(s => earlier.Segments.Contains(s, StringComparer.Ordinal)))) &&
        (earlier.Reasons is null || (later.Reasons is not null && later.Reasons.All(s => earlier.Reasons.Contains(s, StringComparer.Ordinal))));
}
