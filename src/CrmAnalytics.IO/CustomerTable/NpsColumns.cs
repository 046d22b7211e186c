using CrmAnalytics.Core.Nps;

namespace CrmAnalytics.IO.CustomerTable;

/// <summary>
/// The NPS columns of the customer table, appended (like the CLV columns) only when a run is given surveys, so a run
/// without them keeps its column contract unchanged.
/// </summary>
public static class NpsColumns
{
    public static IReadOnlyList<CustomerColumn> All { get; } =
    [
        CustomerColumn.NullableInteger("nps_score", "Latest survey score 0–10 before the as-of date (--surveys); null when the customer has no accepted response", c => c.Nps?.Score),
        CustomerColumn.NullableText("nps_category", "promoter (9–10), passive (7–8) or detractor (0–6), from nps_score; null without a response", c => c.Nps?.Category.Code()),
        CustomerColumn.NullableDate("nps_response_date", "Date of that response (yyyy-MM-dd); null without a response or when the survey has no date column", c => c.Nps?.Date),
    ];

    /// <summary><paramref name="columns"/> followed by the NPS columns.</summary>
    public static IReadOnlyList<CustomerColumn> AppendTo(IReadOnlyList<CustomerColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return [.. columns, .. All];
    }
}
