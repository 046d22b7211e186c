namespace CrmAnalytics.Core.Nps;

/// <summary>Net Promoter Score arithmetic.</summary>
/// <remarks>
/// With n responses, p_p = promoters / n and p_d = detractors / n, NPS = 100 (p_p − p_d). The counts are one multinomial
/// draw, so Var(p̂_p − p̂_d) = [p_p(1 − p_p) + p_d(1 − p_d) + 2 p_p p_d] / n: the covariance of two multinomial
/// proportions is −p_p p_d / n, and subtracting one from the other adds it twice. The 95% margin of error is
/// 1.96 × 100 × sqrt(that variance), the Wald interval used for NPS in practice (e.g. Rocks 2016, "Confidence intervals
/// for the Net Promoter Score"). The bracket equals p_p + p_d − (p_p − p_d)².
/// </remarks>
internal static class NpsMath
{
    /// <summary>The two-sided 95% normal quantile, as conventionally rounded for NPS reporting.</summary>
    public const double Z95 = 1.96;

    /// <summary>NPS in points, −100..100; 0 when there are no responses.</summary>
    public static double Score(NpsCounts counts)
    {
        var n = counts.Responses;
        return n == 0 ? 0 : 100.0 * (counts.Promoters - counts.Detractors) / n;
    }

    /// <summary>Standard error of NPS in points: 100 × sqrt([p_p(1 − p_p) + p_d(1 − p_d) + 2 p_p p_d] / n); 0 for no responses.</summary>
    public static double StandardError(NpsCounts counts)
    {
        var n = counts.Responses;
        if (n == 0)
        {
            return 0;
        }

        var pp = (double)counts.Promoters / n;
        var pd = (double)counts.Detractors / n;
        var variance = ((pp * (1 - pp)) + (pd * (1 - pd)) + (2 * pp * pd)) / n;
        return 100.0 * Math.Sqrt(variance);
    }

    /// <summary>Half-width of the 95% interval in points: 1.96 × <see cref="StandardError"/>.</summary>
    public static double MarginOfError(NpsCounts counts) => Z95 * StandardError(counts);
}
