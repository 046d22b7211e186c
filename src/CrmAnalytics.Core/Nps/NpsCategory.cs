namespace CrmAnalytics.Core.Nps;

/// <summary>The Net Promoter category of a 0–10 "how likely are you to recommend us" score (Reichheld 2003).</summary>
public enum NpsCategory
{
    /// <summary>Scores 0–6.</summary>
    Detractor,

    /// <summary>Scores 7–8.</summary>
    Passive,

    /// <summary>Scores 9–10.</summary>
    Promoter,
}

/// <summary>How a raw score value was judged; only <see cref="Valid"/> scores are used, the others are rejected rows.</summary>
public enum ScoreCheck
{
    Valid,

    /// <summary>Not a whole number (7.5): rejected, never rounded.</summary>
    NotInteger,

    /// <summary>Outside 0–10 (11, −1): rejected, never clamped.</summary>
    OutOfRange,
}

/// <summary>The 0–10 scale and its categories (DESIGN.md, "NPS").</summary>
public static class NpsScale
{
    public const int MinScore = 0;

    public const int MaxScore = 10;

    /// <summary>Checks a parsed score: a finite whole number in 0–10 is valid; nothing is rounded or clamped.</summary>
    public static ScoreCheck Check(double value, out int score)
    {
        score = 0;
        if (!double.IsFinite(value) || Math.Floor(value) != value)
        {
            return double.IsFinite(value) ? ScoreCheck.NotInteger : ScoreCheck.OutOfRange;
        }

        if (value < MinScore || value > MaxScore)
        {
            return ScoreCheck.OutOfRange;
        }

        score = (int)value;
        return ScoreCheck.Valid;
    }

    /// <summary>Promoter 9–10, passive 7–8, detractor 0–6.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="score"/> is outside 0–10.</exception>
    public static NpsCategory Categorize(int score)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(score, MinScore);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(score, MaxScore);
        return score >= 9 ? NpsCategory.Promoter : score >= 7 ? NpsCategory.Passive : NpsCategory.Detractor;
    }

    /// <summary>The lowercase code written to <c>nps_category</c> and summary.json.</summary>
    public static string Code(this NpsCategory category) => category switch
    {
        NpsCategory.Promoter => "promoter",
        NpsCategory.Passive => "passive",
        NpsCategory.Detractor => "detractor",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown NPS category."),
    };
}
