using CrmAnalytics.Core.Nps;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Input.Surveys;

namespace CrmAnalytics.IO.Summary;

/// <summary>
/// The <c>nps</c> section of summary.json (and the output of <c>crm nps --json</c>). Overall, by month and by channel
/// count every accepted response; by segment, lifecycle stage and value tier count each joined customer's latest
/// response (the <c>nps_score</c> column), so those groups are customers.
/// </summary>
/// <param name="Input">The survey file with its hash and row accounting.</param>
/// <param name="MinResponses">Groups with fewer responses have <c>too_small</c> = true.</param>
/// <param name="MarginOfErrorFormula">How <c>margin_of_error</c> is computed, in words.</param>
/// <param name="Comments">Accepted responses with a comment (the text is never output).</param>
/// <param name="FieldsDecodedWithFallback">Text fields that were not valid UTF-8 and were decoded with the fallback encoding.</param>
/// <param name="CustomersWithResponse">Customers of the table with a response; null for <c>crm nps</c> (no join).</param>
/// <param name="ResponsesUnmatched">Accepted responses whose customer is not in the table; null without a join.</param>
public sealed record NpsSummary(
    InputSummary Input,
    int MinResponses,
    double Confidence,
    string MarginOfErrorFormula,
    NpsGroupSummary Overall,
    long Comments,
    long FieldsDecodedWithFallback,
    long? CustomersWithResponse,
    long? ResponsesUnmatched,
    IReadOnlyList<NpsGroupSummary> ByMonth,
    IReadOnlyList<NpsGroupSummary> ByChannel,
    IReadOnlyList<NpsGroupSummary> BySegment,
    IReadOnlyList<NpsGroupSummary> ByLifecycle,
    IReadOnlyList<NpsGroupSummary> ByValueTier)
{
    public const string Formula = "1.96 × 100 × sqrt((p_p(1 − p_p) + p_d(1 − p_d) + 2 p_p p_d) / n): the 95% Wald interval of p_p − p_d from one multinomial sample";

    /// <summary>The survey-only summary (<c>crm nps</c>): overall, by month and by channel.</summary>
    public static NpsSummary ForSurvey(SurveyReadResult surveys, InputSummary input, int minResponses)
    {
        ArgumentNullException.ThrowIfNull(surveys);
        ArgumentNullException.ThrowIfNull(input);
        var responses = surveys.Responses;
        return new NpsSummary(
            input,
            minResponses,
            0.95,
            Formula,
            NpsGroupSummary.From("all", NpsAnalysis.Overall(responses, minResponses)),
            surveys.Comments,
            surveys.FieldsDecodedWithFallback,
            null,
            null,
            NpsGroupSummary.From(NpsAnalysis.ByMonth(responses, minResponses)),
            NpsGroupSummary.From(NpsAnalysis.ByChannel(responses, minResponses)),
            [],
            [],
            []);
    }

    /// <summary>The survey summary plus the groupings of the customers joined to their latest response (<see cref="ScoredCustomer.Nps"/>).</summary>
    /// <param name="segmentOrder">Segment names in rule-table order, so groups list as the segment table does.</param>
    public static NpsSummary ForRun(SurveyReadResult surveys, InputSummary input, int minResponses, IReadOnlyList<ScoredCustomer> customers, IReadOnlyList<string> segmentOrder)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var joined = customers.Where(c => c.Nps is not null).ToArray();
        var known = new HashSet<string>(customers.Select(c => c.Summary.CustomerId), StringComparer.Ordinal);
        var unmatched = surveys.Responses.LongCount(r => !known.Contains(r.CustomerId));
        IReadOnlyList<NpsGroupSummary> By(Func<ScoredCustomer, string> key, IReadOnlyList<string>? order) =>
            NpsGroupSummary.From(NpsAnalysis.Group(joined.Select(c => (key(c), c.Nps!.Category)), minResponses, order));
        return ForSurvey(surveys, input, minResponses) with
        {
            CustomersWithResponse = joined.Length,
            ResponsesUnmatched = unmatched,
            BySegment = By(c => c.Segment.Name, segmentOrder),
            ByLifecycle = By(c => CustomerColumns.LifecycleStageCode(c.Stage), [.. Enum.GetValues<Core.Customers.LifecycleStage>().Select(CustomerColumns.LifecycleStageCode)]),
            ByValueTier = By(c => CustomerColumns.ValueTierCode(c.TopValueTier), ["top", "rest"]),
        };
    }
}

/// <summary>NPS of one group: counts, score in points, 95% margin of error in points, and whether it is below the minimum size.</summary>
public sealed record NpsGroupSummary(string Group, long Responses, long Promoters, long Passives, long Detractors, double Nps, double MarginOfError, bool TooSmall)
{
    public static NpsGroupSummary From(string group, NpsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var c = result.Counts;
        return new NpsGroupSummary(group, c.Responses, c.Promoters, c.Passives, c.Detractors, result.Nps, result.MarginOfError, result.TooSmall);
    }

    public static IReadOnlyList<NpsGroupSummary> From(IReadOnlyList<NpsGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return [.. groups.Select(g => From(g.Key, g.Result))];
    }
}
