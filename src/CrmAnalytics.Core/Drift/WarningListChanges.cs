namespace CrmAnalytics.Core.Drift;

/// <summary>Who joined or left the churn warning list since the previous run, for <c>segments/changes.csv</c>.</summary>
public static class WarningListChanges
{
    public const string Joined = "joined_warning_list";

    public const string Left = "left_warning_list";

    /// <summary>
    /// One row per customer on the current list but not the previous one (<see cref="Joined"/>), then per customer on
    /// the previous list but not the current one (<see cref="Left"/>), each by id; the old and new columns are the
    /// customer's states in the two runs (empty when the customer is not in a run).
    /// </summary>
    public static IReadOnlyList<CustomerChange> Compare(
        IReadOnlySet<string> previousList, IReadOnlyCollection<string> currentList, IReadOnlyList<CustomerState> previous, IReadOnlyList<CustomerState> current)
    {
        ArgumentNullException.ThrowIfNull(previousList);
        ArgumentNullException.ThrowIfNull(currentList);
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var before = ById(previous);
        var now = ById(current);
        var listed = currentList.ToHashSet(StringComparer.Ordinal);
        return currentList.Where(id => !previousList.Contains(id)).Order(StringComparer.Ordinal).Select(id => Row(id, Joined))
            .Concat(previousList.Where(id => !listed.Contains(id)).Order(StringComparer.Ordinal).Select(id => Row(id, Left)))
            .ToArray();

        CustomerChange Row(string id, string change)
        {
            var p = before.GetValueOrDefault(id);
            var c = now.GetValueOrDefault(id);
            return new CustomerChange(id, change, p?.Segment, c?.Segment ?? string.Empty, p?.LifecycleStage, c?.LifecycleStage ?? string.Empty, p?.ChurnRisk, c?.ChurnRisk);
        }
    }

    private static Dictionary<string, CustomerState> ById(IReadOnlyList<CustomerState> states)
    {
        var map = new Dictionary<string, CustomerState>(states.Count, StringComparer.Ordinal);
        foreach (var s in states)
        {
            map.TryAdd(s.CustomerId, s);
        }

        return map;
    }
}
