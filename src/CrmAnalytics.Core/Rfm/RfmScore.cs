namespace CrmAnalytics.Core.Rfm;

/// <summary>R, F and M quintile scores, each 1–5; 5 is best (most recent, most frequent, highest spend).</summary>
public readonly record struct RfmScore(int R, int F, int M)
{
    /// <summary>The 125 codes of scores 1–5, built once: every writer asks for a code per customer.</summary>
    private static readonly string[] Codes = [.. Enumerable.Range(0, 125).Select(i => Format(new RfmScore(i / 25 + 1, i / 5 % 5 + 1, i % 5 + 1)))];

    /// <summary>The three digits "RFM", e.g. "545".</summary>
    public string Code => (uint)(R - 1) < 5 && (uint)(F - 1) < 5 && (uint)(M - 1) < 5
        ? Codes[(R - 1) * 25 + (F - 1) * 5 + (M - 1)]
        : Format(this);

    private static string Format(RfmScore score) => string.Create(3, score, static (span, s) =>
    {
        span[0] = (char)('0' + s.R);
        span[1] = (char)('0' + s.F);
        span[2] = (char)('0' + s.M);
    });
}
