using System.Globalization;

namespace CrmAnalytics.Core.Nps;

/// <summary>Groupings of survey responses into NPS results.</summary>
public static class NpsAnalysis
{
    /// <summary>The default minimum group size below which a group is flagged as too small.</summary>
    public const int DefaultMinResponses = 30;

    /// <summary>NPS over every response.</summary>
    public static NpsResult Overall(IEnumerable<SurveyResponse> responses, int minResponses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var counts = default(NpsCounts);
        foreach (var r in responses)
        {
            counts = counts.Add(r.Category);
        }

        return NpsResult.From(counts, minResponses);
    }

    /// <summary>NPS by calendar month of the response date (<c>yyyy-MM</c>, ascending); undated responses are left out.</summary>
    public static IReadOnlyList<NpsGroup> ByMonth(IEnumerable<SurveyResponse> responses, int minResponses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var groups = Group(
            responses.Where(r => r.Date is not null).Select(r => (r.Date!.Value.ToString("yyyy-MM", CultureInfo.InvariantCulture), r.Category)),
            minResponses);
        return [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal)];
    }

    /// <summary>NPS by channel (ordinal order); responses without a channel are left out.</summary>
    public static IReadOnlyList<NpsGroup> ByChannel(IEnumerable<SurveyResponse> responses, int minResponses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var groups = Group(responses.Where(r => !string.IsNullOrEmpty(r.Channel)).Select(r => (r.Channel!, r.Category)), minResponses);
        return [.. groups.OrderBy(g => g.Key, StringComparer.Ordinal)];
    }

    /// <summary>
    /// NPS of each key. Keys listed in <paramref name="order"/> come first in that order (those without responses are
    /// left out); any others follow in ordinal order.
    /// </summary>
    public static IReadOnlyList<NpsGroup> Group(IEnumerable<(string Key, NpsCategory Category)> items, int minResponses, IReadOnlyList<string>? order = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var counts = new Dictionary<string, NpsCounts>(StringComparer.Ordinal);
        foreach (var (key, category) in items)
        {
            counts[key] = counts.GetValueOrDefault(key).Add(category);
        }

        var keys = new List<string>();
        if (order is not null)
        {
            keys.AddRange(order.Where(counts.ContainsKey).Distinct(StringComparer.Ordinal));
        }

        keys.AddRange(counts.Keys.Except(keys, StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return [.. keys.Select(k => new NpsGroup(k, NpsResult.From(counts[k], minResponses)))];
    }

    /// <summary>
    /// Each customer's latest response: the greatest date, and among equal dates (or in an undated survey) the one
    /// further down the file. Callers pass only responses before the as-of date.
    /// </summary>
    public static IReadOnlyDictionary<string, CustomerNps> LatestByCustomer(IEnumerable<SurveyResponse> responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        var latest = new Dictionary<string, SurveyResponse>(StringComparer.Ordinal);
        foreach (var r in responses)
        {
            if (!latest.TryGetValue(r.CustomerId, out var current) || IsLater(r, current))
            {
                latest[r.CustomerId] = r;
            }
        }

        return latest.ToDictionary(kv => kv.Key, kv => new CustomerNps(kv.Value.Score, kv.Value.Category, kv.Value.Date), StringComparer.Ordinal);
    }

    private static bool IsLater(SurveyResponse candidate, SurveyResponse current)
    {
        var a = candidate.Date?.DayNumber ?? int.MinValue;
        var b = current.Date?.DayNumber ?? int.MinValue;
        return a != b ? a > b : candidate.Line > current.Line;
    }
}
