using CrmAnalytics.Core.Rfm.Internals;

namespace CrmAnalytics.Core.Tests.Rfm;

public sealed class RankQuintilesTests
{
    // 1 + floor(5 × (minRank − 1) / n), worked: (1,10) → 1; (3,10) → 1 + floor(10/10) = 2; (10,10) → 1 + floor(45/10) = 5;
    // (7,10) → 1 + floor(30/10) = 4; (2,3) → 1 + floor(5/3) = 2; (3,3) → 1 + floor(10/3) = 4; (1,1) → 1;
    // (200001, 1000000) → 1 + floor(1000000/1000000) = 2; (200000, 1000000) → 1 + floor(999995/1000000) = 1.
    [TestCase(1, 10, 1)]
    [TestCase(3, 10, 2)]
    [TestCase(7, 10, 4)]
    [TestCase(10, 10, 5)]
    [TestCase(2, 3, 2)]
    [TestCase(3, 3, 4)]
    [TestCase(1, 1, 1)]
    [TestCase(200_000, 1_000_000, 1)]
    [TestCase(200_001, 1_000_000, 2)]
    public void Score_KeyWithMinRank_WorkedCaseScore(int minRank, int n, int expected)
    {
        // minRank − 1 distinct smaller keys, then n − minRank + 1 keys tied at the next value: those share min rank minRank.
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = Math.Min(i, minRank - 1);
        }

        var scores = new byte[n];
        RankQuintiles.Score(keys, new int[n], scores);

        Assert.That(scores[n - 1], Is.EqualTo(expected));
    }

    [Test]
    public void Score_MillionDistinctShuffledKeys_FifthInEachScoreAndMonotone()
    {
        // n = 1,000,000 distinct keys 0..n−1: key k has min rank k + 1, so its score is 1 + floor(5k / n):
        // keys 0..199,999 → 1, 200,000..399,999 → 2, … — exactly 200,000 per score, in key order.
        const int n = 1_000_000;
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = i;
        }

        new Random(20240101).Shuffle(keys);
        var original = (double[])keys.Clone();
        var scores = new byte[n];

        RankQuintiles.Score(keys, new int[n], scores);

        var counts = new int[6];
        var wrong = 0;
        for (var i = 0; i < n; i++)
        {
            counts[scores[i]]++;
            if (scores[i] != 1 + (int)original[i] / 200_000)
            {
                wrong++;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(counts[1..], Is.All.EqualTo(200_000));
            Assert.That(wrong, Is.Zero);
        }
    }

    [Test]
    public void Score_NegativeAndPositiveZero_Tie()
    {
        // −0 and +0 are equal keys: min ranks 1, 1, 3 of n = 3 → 1, 1, 1 + floor(10 / 3) = 4.
        var scores = new byte[3];

        RankQuintiles.Score([-0.0, 0.0, 1.0], new int[3], scores);

        Assert.That(scores, Is.EqualTo(new byte[] { 1, 1, 4 }));
    }
}
