using CrmAnalytics.Core.Rfm.Internals;

namespace CrmAnalytics.Core.Tests.Rfm;

/// <summary>
/// <see cref="RankQuintiles"/> against <see cref="MinRankReference"/>: integer keys by counting and by the sort they
/// fall back to, double keys by the radix sort and by the comparison sort NaN falls back to.
/// </summary>
public sealed class RankQuintilesKeysTests
{
    private static readonly double[] Specials =
    [
        -0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, -double.MaxValue,
        double.Epsilon, -double.Epsilon, 1e-310, -1e-310, double.MinValue / 3, 1e300, -1e300, 2.2250738585072014E-308,
    ];

    private static byte[] ScoreInts(int[] keys)
    {
        var scores = new byte[keys.Length];
        RankQuintiles.Score(keys, scores);
        return scores;
    }

    private static byte[] ScoreDoubles(double[] keys)
    {
        var scores = new byte[keys.Length];
        RankQuintiles.Score((double[])keys.Clone(), new int[keys.Length], scores);
        return scores;
    }

    private static (int Min, int Max) Range(int[] keys) => keys.Length == 0 ? (0, 0) : (keys.Min(), keys.Max());

    // Hand-worked with 1 + floor(5 × (minRank − 1) / n):
    // six 1s of ten share rank 1 → 1; 2 has rank 7 → 1 + floor(30 / 10) = 4; 3: rank 8 → 4; 4: rank 9 → 5; 5: rank 10 → 5.
    // n = 5, 20 10 20 30 20: ranks 2 1 2 5 2 → 2, 1, 2, 1 + floor(20 / 5) = 5, 2.
    // n = 2, 7 3: ranks 2 1 → 1 + floor(5 / 2) = 3, 1.   n = 1 → 1.
    // n = 3, MinValue MaxValue 0: ranks 1 3 2 → 1, 1 + floor(10 / 3) = 4, 1 + floor(5 / 3) = 2 (a range too wide to count).
    [TestCase(new[] { 1, 1, 1, 1, 1, 1, 2, 3, 4, 5 }, new byte[] { 1, 1, 1, 1, 1, 1, 4, 4, 5, 5 })]
    [TestCase(new[] { 20, 10, 20, 30, 20 }, new byte[] { 2, 1, 2, 5, 2 })]
    [TestCase(new[] { 7, 3 }, new byte[] { 3, 1 })]
    [TestCase(new[] { -4 }, new byte[] { 1 })]
    [TestCase(new int[0], new byte[0])]
    [TestCase(new[] { int.MinValue, int.MaxValue, 0 }, new byte[] { 1, 4, 2 })]
    public void ScoreIntegers_HandWorked_Scores(int[] keys, byte[] expected)
    {
        Assert.That(ScoreInts(keys), Is.EqualTo(expected));
    }

    // Ranges up to 4n count; 1,000 keys over 41 or 3,001 values, and 5 keys over 4 values, are many ties.
    [TestCase(1_000, -20, 20, 1)]
    [TestCase(100_000, 0, 3_000, 2)]
    [TestCase(5, 0, 3, 3)]
    [TestCase(2, -1, 0, 4)]
    [TestCase(1, 17, 17, 5)]
    [TestCase(50_000, -200_000, 0, 6)]
    public void ScoreIntegers_RandomSmallRange_CountedAndMatchesReference(int n, int lo, int hi, int seed)
    {
        var random = new Random(seed);
        var keys = Enumerable.Range(0, n).Select(_ => random.Next(lo, hi + 1)).ToArray();
        var (min, max) = Range(keys);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(RankQuintiles.IsCounted(min, max, n), Is.True);
            Assert.That(ScoreInts(keys), Is.EqualTo(MinRankReference.Scores(keys)));
        }
    }

    // A range over 4n is sorted: wide random keys, and few keys with planted outliers at the int limits.
    [TestCase(1_000, -1_000_000_000, 1_000_000_000, 11)]
    [TestCase(5, 0, 1_000, 12)]
    [TestCase(2, int.MinValue, int.MaxValue, 13)]
    [TestCase(20_000, int.MinValue, int.MaxValue, 14)]
    public void ScoreIntegers_RandomWideRange_SortedAndMatchesReference(int n, int lo, int hi, int seed)
    {
        var random = new Random(seed);
        var keys = Enumerable.Range(0, n).Select(_ => (int)random.NextInt64(lo, (long)hi + 1)).ToArray();
        keys[0] = lo;
        keys[^1] = hi;
        for (var i = 1; i < n / 2; i += 2)
        {
            keys[i] = keys[i - 1];
        }

        var (min, max) = Range(keys);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(RankQuintiles.IsCounted(min, max, n), Is.False);
            Assert.That(ScoreInts(keys), Is.EqualTo(MinRankReference.Scores(keys)));
        }
    }

    [Test]
    public void ScoreIntegers_RangeAtAndJustOverFourN_BothMatchReference()
    {
        // n = 5: a range of 20 = 4n counts, a range of 21 sorts.
        int[] counted = [0, 20, 5, 5, 1];
        int[] sorted = [0, 21, 5, 5, 1];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(RankQuintiles.IsCounted(0, 20, 5), Is.True);
            Assert.That(RankQuintiles.IsCounted(0, 21, 5), Is.False);
            Assert.That(ScoreInts(counted), Is.EqualTo(MinRankReference.Scores(counted)));
            Assert.That(ScoreInts(sorted), Is.EqualTo(MinRankReference.Scores(sorted)));
        }
    }

    [Test]
    public void ScoreIntegers_ScoresLengthDiffers_Throws()
    {
        Assert.That(() => RankQuintiles.Score([1, 2, 3], new byte[2]), Throws.ArgumentException);
    }

    // n = 4, NaN 1 NaN −∞: CompareTo puts NaN lowest, tied with NaN → ranks 1 4 1 3 → 1, 1 + floor(15 / 4) = 4, 1, 1 + floor(10 / 4) = 3.
    // n = 5, −0 +0 −ε +ε −0: ranks 2 2 1 5 2 → 2, 2, 1, 5, 2.
    // n = 2, −∞ +∞ → 1, 3; n = 2, −0 +0 → 1, 1.
    [TestCase(new[] { double.NaN, 1.0, double.NaN, double.NegativeInfinity }, new byte[] { 1, 4, 1, 3 })]
    [TestCase(new[] { -0.0, 0.0, -double.Epsilon, double.Epsilon, -0.0 }, new byte[] { 2, 2, 1, 5, 2 })]
    [TestCase(new[] { double.PositiveInfinity, double.NegativeInfinity }, new byte[] { 3, 1 })]
    [TestCase(new[] { 0.0, -0.0 }, new byte[] { 1, 1 })]
    [TestCase(new[] { 1e-300 }, new byte[] { 1 })]
    [TestCase(new double[0], new byte[0])]
    public void ScoreDoubles_HandWorked_Scores(double[] keys, byte[] expected)
    {
        Assert.That(ScoreDoubles(keys), Is.EqualTo(expected));
    }

    // Keys drawn from a small pool (many ties) of cents amounts, signed zeros, infinities, huge and subnormal values.
    [TestCase(10_000, false, 21)]
    [TestCase(10_000, true, 22)]
    [TestCase(200_000, false, 23)]
    [TestCase(5, false, 24)]
    [TestCase(5, true, 25)]
    [TestCase(2, false, 26)]
    [TestCase(1, false, 27)]
    public void ScoreDoubles_RandomWithTiesAndSpecials_MatchesReference(int n, bool withNaN, int seed)
    {
        var random = new Random(seed);
        var pool = Specials
            .Concat(Enumerable.Range(0, 40).Select(_ => Math.Round((random.NextDouble() - 0.3) * 1000, 2)))
            .Concat(withNaN ? [double.NaN] : [])
            .ToArray();
        var keys = Enumerable.Range(0, n)
            .Select(_ => random.Next(3) == 0 ? (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)) : pool[random.Next(pool.Length)])
            .ToArray();
        if (withNaN)
        {
            keys[n / 2] = double.NaN;
        }

        Assert.That(ScoreDoubles(keys), Is.EqualTo(MinRankReference.Scores(keys)));
    }
}
