namespace CrmAnalytics.Core.Nps;

/// <summary>Responses of one group by category.</summary>
public readonly record struct NpsCounts(long Promoters, long Passives, long Detractors)
{
    public long Responses => Promoters + Passives + Detractors;

    public NpsCounts Add(NpsCategory category) => category switch
    {
        NpsCategory.Promoter => this with { Promoters = Promoters + 1 },
        NpsCategory.Passive => this with { Passives = Passives + 1 },
        _ => this with { Detractors = Detractors + 1 },
    };

    /// <summary>Counts of a list of 0–10 scores.</summary>
    public static NpsCounts Of(IEnumerable<int> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var counts = default(NpsCounts);
        foreach (var score in scores)
        {
            counts = counts.Add(NpsScale.Categorize(score));
        }

        return counts;
    }
}

/// <summary>The Net Promoter Score of one group with its 95% margin of error.</summary>
/// <param name="Nps">100 × (promoters − detractors) / responses, in points (−100..100); 0 for no responses.</param>
/// <param name="MarginOfError">Half-width of the 95% confidence interval, in NPS points (see <see cref="NpsMath.MarginOfError"/>).</param>
/// <param name="TooSmall">Fewer responses than the configured minimum: reported, but not to be read as a finding.</param>
public sealed record NpsResult(NpsCounts Counts, double Nps, double MarginOfError, bool TooSmall)
{
    public long Responses => Counts.Responses;

    public static NpsResult From(NpsCounts counts, int minResponses) =>
        new(counts, NpsMath.Score(counts), NpsMath.MarginOfError(counts), counts.Responses < minResponses);
}

/// <summary>NPS of one named group (a month, a segment, a stage, a channel).</summary>
public sealed record NpsGroup(string Key, NpsResult Result);
