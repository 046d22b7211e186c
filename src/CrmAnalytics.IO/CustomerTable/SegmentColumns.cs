namespace CrmAnalytics.IO.CustomerTable;

/// <summary>
/// The columns of <c>segments/&lt;slug&gt;.csv</c>: by default a marketer's set (who, which segment, stage and tier, the
/// key RFM, CLV and churn numbers, the NPS category), or the columns named by <c>--segment-columns</c>, or <c>all</c>.
/// </summary>
public static class SegmentColumns
{
    /// <summary>The value of <c>--segment-columns</c> that writes every column of the customer table.</summary>
    public const string All = "all";

    /// <summary>
    /// The default set, in this order, each when the run has it: <c>clv_&lt;H&gt;m</c> stands for the run's CLV column.
    /// </summary>
    public static IReadOnlyList<string> DefaultNames { get; } =
    [
        "customer_id", "segment", "lifecycle_stage", "value_tier", "rfm_code", "recency_days", "orders", "monetary_total",
        "p_alive", "expected_purchases_365d", "clv_<H>m", "churn_probability", "churn_risk", "nps_category",
    ];

    /// <summary>
    /// The segment files' columns out of the run's <paramref name="columns"/>: <paramref name="requested"/> in its order,
    /// every column for <c>[all]</c>, the default set for null.
    /// </summary>
    public static IReadOnlyList<CustomerColumn> Select(IReadOnlyList<CustomerColumn> columns, IReadOnlyList<string>? requested)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (requested is [All])
        {
            return columns;
        }

        var byName = columns.ToDictionary(c => DefaultName(c.Name), StringComparer.Ordinal);
        return requested is null
            ? DefaultNames.Where(byName.ContainsKey).Select(n => byName[n]).ToArray()
            : requested.Select(n => columns.First(c => c.Name == n)).ToArray();
    }

    /// <summary>Every problem with <paramref name="requested"/> against the run's <paramref name="columns"/>; empty when it is usable.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<string> requested, IReadOnlyList<CustomerColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(columns);
        if (requested is [All])
        {
            return [];
        }

        var errors = new List<string>();
        if (requested.Count == 0)
        {
            errors.Add($"{nameof(SegmentColumns)} needs at least one column name, or '{All}'.");
        }

        var names = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in requested.Where(n => !names.Contains(n)))
        {
            errors.Add($"{nameof(SegmentColumns)}: '{name}' is not a column of this run; the columns are: {string.Join(", ", names)} (or '{All}').");
        }

        foreach (var name in requested.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            errors.Add($"{nameof(SegmentColumns)}: '{name}' is named twice.");
        }

        return errors;
    }

    private static string DefaultName(string name) =>
        name.StartsWith("clv_", StringComparison.Ordinal) && name.EndsWith('m') ? "clv_<H>m" : name;
}
