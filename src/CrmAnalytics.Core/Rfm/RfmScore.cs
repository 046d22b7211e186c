namespace CrmAnalytics.Core.Rfm;

/// <summary>R, F and M quintile scores, each 1–5; 5 is best (most recent, most frequent, highest spend).</summary>
public readonly record struct RfmScore(int R, int F, int M)
{
    /// <summary>The three digits "RFM", e.g. "545".</summary>
    public string Code => string.Create(3, this, static (span, s) =>
    {
        span[0] = (char)('0' + s.R);
        span[1] = (char)('0' + s.F);
        span[2] = (char)('0' + s.M);
    });
}
