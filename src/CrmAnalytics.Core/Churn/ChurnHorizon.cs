namespace CrmAnalytics.Core.Churn;

/// <summary>The churn horizon of a run and how it was chosen.</summary>
/// <param name="Days">H: churned = no purchase in the H days after the cut-off.</param>
/// <param name="Rule">"auto" or "fixed" (a number given with --churn-horizon, or the model file's).</param>
/// <param name="GapPercentileDays">The 80th percentile of the days between repeat occasions (auto only; null without repeat gaps).</param>
/// <param name="Gaps">How many repeat gaps the percentile was taken over.</param>
/// <param name="MaxDays">The upper clamp: 365, and a quarter of the history so that training, calibration and evaluation fit in it.</param>
public sealed record ChurnHorizonChoice(int Days, string Rule, int? GapPercentileDays, long Gaps, int MaxDays);

/// <summary>
/// The <c>--churn-horizon auto</c> rule. "No purchase in H days" is churn only when H is longer than the pauses of
/// customers who do come back, so H is the 80th percentile of the days between consecutive occasions of the same customer
/// (all repeat gaps before the as-of date), rounded up to whole weeks and clamped to [28, <c>MaxDays</c>], where
/// <c>MaxDays</c> = min(365, a quarter of the history rounded down to whole weeks): the evaluation's classifier at
/// as-of − 3H then still has a horizon of history before its cut-off. Without repeat gaps H is <c>MaxDays</c>.
/// </summary>
public static class ChurnHorizon
{
    /// <summary>The percentile of the repeat gaps, in percent.</summary>
    public const int Percentile = 80;

    public const int MinDays = 28;

    public const int CeilingDays = 365;

    public static ChurnHorizonChoice Fixed(int days) => new(days, "fixed", null, 0, days);

    /// <param name="gapHistogram">Element d counts the repeat gaps of d days.</param>
    /// <param name="historyDays">Days from the first transaction to the as-of date.</param>
    public static ChurnHorizonChoice Auto(IReadOnlyList<long> gapHistogram, int historyDays)
    {
        ArgumentNullException.ThrowIfNull(gapHistogram);
        var max = Math.Max(7, Math.Min(CeilingDays, historyDays / 4 / 7 * 7));
        var total = gapHistogram.Sum();
        if (total == 0)
        {
            return new ChurnHorizonChoice(max, "auto", null, 0, max);
        }

        // The smallest d with at least 80% of the gaps ≤ d (the lower empirical quantile).
        var needed = ((total * Percentile) + 99) / 100;
        long seen = 0;
        var percentile = 0;
        for (var d = 0; d < gapHistogram.Count; d++)
        {
            seen += gapHistogram[d];
            if (seen >= needed)
            {
                percentile = d;
                break;
            }
        }

        var weeks = (percentile + 6) / 7 * 7;
        return new ChurnHorizonChoice(Math.Clamp(weeks, Math.Min(MinDays, max), max), "auto", percentile, total, max);
    }
}
