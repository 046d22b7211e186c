using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Tests.Rfm;

public sealed class RfmScorerTests
{
    private static CustomerSummary[] ByOrders(params int[] orders) =>
        orders.Select((o, i) => TestCustomers.Make($"c{i:D2}", orders: o)).ToArray();

    private static int[] F(RfmScore[] scores) => scores.Select(s => s.F).ToArray();

    [Test]
    public void Score_Empty_ReturnsEmpty()
    {
        Assert.That(RfmScorer.Score([]), Is.Empty);
    }

    [Test]
    public void Score_StrictlyIncreasingTenValues_TwoPerQuintile()
    {
        // n = 10, values 1..10 have min ranks 1..10; score = 1 + floor(5 × (rank − 1) / 10) = 1 + floor((rank − 1) / 2):
        // ranks 1,2 → 1; 3,4 → 2; 5,6 → 3; 7,8 → 4; 9,10 → 5.
        var scores = RfmScorer.Score(ByOrders(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));

        Assert.That(F(scores), Is.EqualTo(new[] { 1, 1, 2, 2, 3, 3, 4, 4, 5, 5 }));
    }

    [Test]
    public void Score_SixTiedLowestOfTen_TiesScoreOneAndNextScoresFour()
    {
        // n = 10: the six 1s share min rank 1 → 1 + floor(0) = 1.
        // 2 has min rank 7 → 1 + floor(5 × 6 / 10) = 1 + 3 = 4;   3: rank 8 → 1 + floor(35 / 10) = 4;
        // 4: rank 9 → 1 + floor(40 / 10) = 5;                     5: rank 10 → 1 + floor(45 / 10) = 5.
        var scores = RfmScorer.Score(ByOrders(1, 1, 1, 1, 1, 1, 2, 3, 4, 5));

        Assert.That(F(scores), Is.EqualTo(new[] { 1, 1, 1, 1, 1, 1, 4, 4, 5, 5 }));
    }

    [Test]
    public void Score_TiesInTheMiddle_ShareTheirMinRankScore()
    {
        // n = 5, values 10, 20, 20, 20, 30: min ranks 1, 2, 2, 2, 5.
        // rank 1 → 1; rank 2 → 1 + floor(5 / 5) = 2; rank 5 → 1 + floor(20 / 5) = 5.
        var scores = RfmScorer.Score(ByOrders(20, 10, 20, 30, 20));

        Assert.That(F(scores), Is.EqualTo(new[] { 2, 1, 2, 5, 2 }));
    }

    [Test]
    public void Score_AllEqual_AllOnes()
    {
        var customers = Enumerable.Range(0, 7).Select(i => TestCustomers.Make($"c{i}", orders: 3, recencyDays: 12, gross: 50)).ToArray();

        var scores = RfmScorer.Score(customers);

        Assert.That(scores, Is.All.EqualTo(new RfmScore(1, 1, 1)));
    }

    [Test]
    public void Score_SingleCustomer_OneOneOne()
    {
        // n = 1: min rank 1 → 1 + floor(0 / 1) = 1 in every dimension.
        var scores = RfmScorer.Score([TestCustomers.Make("only", orders: 9, recencyDays: 0, gross: 1e6)]);

        Assert.That(scores, Is.EqualTo(new[] { new RfmScore(1, 1, 1) }));
    }

    [Test]
    public void Score_ThreeDistinctValues_SkipsScores()
    {
        // n = 3: ranks 1, 2, 3 → 1 + floor(0 / 3) = 1, 1 + floor(5 / 3) = 2, 1 + floor(10 / 3) = 4.
        var scores = RfmScorer.Score(ByOrders(7, 3, 5));

        Assert.That(F(scores), Is.EqualTo(new[] { 4, 1, 2 }));
    }

    [Test]
    public void Score_TwoDistinctValues_OneAndThree()
    {
        // n = 2: ranks 1, 2 → 1 and 1 + floor(5 / 2) = 3.
        var scores = RfmScorer.Score(ByOrders(2, 1));

        Assert.That(F(scores), Is.EqualTo(new[] { 3, 1 }));
    }

    [Test]
    public void Score_Recency_FewerDaysScoresHigher()
    {
        // R ranks −RecencyDays ascending: −40 (rank 1), −30, −20, −10, 0 (rank 5); n = 5 so score = rank.
        var customers = new[] { 0, 40, 20, 10, 30 }.Select((d, i) => TestCustomers.Make($"c{i}", recencyDays: d)).ToArray();

        var scores = RfmScorer.Score(customers);

        Assert.That(scores.Select(s => s.R), Is.EqualTo(new[] { 5, 1, 3, 4, 2 }));
    }

    [Test]
    public void Score_RecencyTies_ShareScore()
    {
        // −RecencyDays: −9, −9, −9, −1 → min ranks 1, 1, 1, 4; n = 4: rank 4 → 1 + floor(15 / 4) = 4.
        var customers = new[] { 9, 1, 9, 9 }.Select((d, i) => TestCustomers.Make($"c{i}", recencyDays: d)).ToArray();

        var scores = RfmScorer.Score(customers);

        Assert.That(scores.Select(s => s.R), Is.EqualTo(new[] { 1, 4, 1, 1 }));
    }

    [Test]
    public void Score_Monetary_RanksNetOfReturns()
    {
        // Net: a = 100 − 90 = 10, b = 50 − 0 = 50, c = 30 − 0 = 30 → ranks a 1, c 2, b 3;
        // n = 3: 1, 1 + floor(5 / 3) = 2, 1 + floor(10 / 3) = 4. Gross alone would rank a highest.
        var customers = new[]
        {
            TestCustomers.Make("a", gross: 100, returns: 90),
            TestCustomers.Make("b", gross: 50),
            TestCustomers.Make("c", gross: 30),
        };

        var scores = RfmScorer.Score(customers);

        Assert.That(scores.Select(s => s.M), Is.EqualTo(new[] { 1, 4, 2 }));
    }

    [Test]
    public void Score_ThreeDimensions_ScoredIndependently()
    {
        // n = 5, so each score is the value's rank.
        // a: recency 0 (R5), orders 1 (F1), net 30 (M3); b: 10 (R4), 2 (F2), 50 (M5); c: 20 (R3), 3 (F3), 10 (M1);
        // d: 30 (R2), 4 (F4), 40 (M4); e: 40 (R1), 5 (F5), 20 (M2).
        var customers = new[]
        {
            TestCustomers.Make("a", orders: 1, recencyDays: 0, ageDays: 50, gross: 30),
            TestCustomers.Make("b", orders: 2, recencyDays: 10, ageDays: 50, gross: 50),
            TestCustomers.Make("c", orders: 3, recencyDays: 20, ageDays: 50, gross: 10),
            TestCustomers.Make("d", orders: 4, recencyDays: 30, ageDays: 50, gross: 40),
            TestCustomers.Make("e", orders: 5, recencyDays: 40, ageDays: 50, gross: 20),
        };

        var codes = RfmScorer.Score(customers).Select(s => s.Code);

        Assert.That(codes, Is.EqualTo(new[] { "513", "425", "331", "244", "152" }));
    }

    // R and F count (ranges within 4n) or sort (a planted outlier widens them past 4n); M mixes cents, signed zeros and infinities.
    [TestCase(20_000, false, 31)]
    [TestCase(20_000, true, 32)]
    [TestCase(5, false, 33)]
    [TestCase(5, true, 34)]
    [TestCase(2, false, 35)]
    public void Score_RandomColumns_EachDimensionMatchesReference(int n, bool outliers, int seed)
    {
        var random = new Random(seed);
        var recency = Enumerable.Range(0, n).Select(_ => random.Next(0, 3)).ToArray();
        var orders = Enumerable.Range(0, n).Select(_ => random.Next(1, 4)).ToArray();
        double[] specials = [-0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, 1e300, -1e-310];
        var monetary = Enumerable.Range(0, n)
            .Select(_ => random.Next(5) == 0 ? specials[random.Next(specials.Length)] : Math.Round((random.NextDouble() - 0.1) * 20, 1))
            .ToArray();
        if (outliers)
        {
            recency[0] = 1_000_000_000;
            orders[^1] = int.MaxValue;
        }

        var scores = RfmScorer.Score(n, i => recency[i], i => orders[i], i => monetary[i]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(scores.Select(s => s.R), Is.EqualTo(MinRankReference.Scores(recency.Select(d => -d).ToArray())));
            Assert.That(scores.Select(s => s.F), Is.EqualTo(MinRankReference.Scores(orders)));
            Assert.That(scores.Select(s => s.M), Is.EqualTo(MinRankReference.Scores(monetary)));
        }
    }
}
