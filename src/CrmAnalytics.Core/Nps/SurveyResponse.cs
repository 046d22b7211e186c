namespace CrmAnalytics.Core.Nps;

/// <summary>One accepted survey response. The free-text comment is not kept: it is customer text and no output uses it.</summary>
/// <param name="Line">Where the response starts in its file (1-based line; the Parquet row number), the tie-breaker between undated responses.</param>
public sealed record SurveyResponse(string CustomerId, int Score, DateOnly? Date, string? Channel, bool HasComment, long Line)
{
    public NpsCategory Category => NpsScale.Categorize(Score);
}

/// <summary>A customer's latest response as of the as-of date: the <c>nps_*</c> columns.</summary>
/// <param name="Date">The response date; null when the survey has no date column.</param>
public sealed record CustomerNps(int Score, NpsCategory Category, DateOnly? Date);
