using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests.Customers;

/// <summary>Tests of <see cref="ValueTier"/>.</summary>
public sealed class ValueTierTests
{
    private static CustomerSummary[] ByNet(params (string Id, double Net)[] rows) =>
        rows.Select(r => TestCustomers.Make(r.Id, gross: r.Net)).ToArray();

    private static string[] TierIds(IReadOnlyList<CustomerSummary> customers, bool[] flags) =>
        customers.Where((_, i) => flags[i]).Select(c => c.CustomerId).Order(StringComparer.Ordinal).ToArray();

    [Test]
    public void TopTier_TenCustomers_TopTwoByNet()
    {
        // ceil(0.2 × 10) = 2: the two largest nets, 100 (j) and 90 (i).
        var customers = ByNet(("a", 10), ("b", 20), ("c", 30), ("d", 40), ("e", 50), ("f", 60), ("g", 70), ("h", 80), ("i", 90), ("j", 100));

        var tier = ValueTier.TopTier(customers);

        Assert.That(TierIds(customers, tier), Is.EqualTo(new[] { "i", "j" }));
    }

    [Test]
    public void TopTier_SixCustomers_CeilingGivesTwo()
    {
        // ceil(0.2 × 6) = ceil(1.2) = 2: 70 (b) and 60 (e).
        var customers = ByNet(("a", 5), ("b", 70), ("c", 10), ("d", 20), ("e", 60), ("f", 30));

        var tier = ValueTier.TopTier(customers);

        Assert.That(tier, Is.EqualTo(new[] { false, true, false, false, true, false }));
    }

    [Test]
    public void TopTier_TieAtTheCut_SmallestOrdinalIdWins()
    {
        // ceil(0.2 × 5) = 1; three customers tie at 50. Ordinal order: "B" (0x42) < "a" (0x61) < "b" (0x62),
        // so "B" is in, although a culture-aware comparison would put "a" first.
        var customers = ByNet(("b", 50), ("a", 50), ("B", 50), ("x", 10), ("y", 20));

        var tier = ValueTier.TopTier(customers);

        Assert.That(TierIds(customers, tier), Is.EqualTo(new[] { "B" }));
    }

    [Test]
    public void TopTier_TieStraddlesTheCut_ClearWinnersInPlusSmallestTiedIds()
    {
        // n = 10, ceil(0.3 × 10) = 3: "z" (99) is above the tie; of the four tied at 40 the two smallest ids, "c" and "d", fill the tier.
        var customers = ByNet(("f", 40), ("z", 99), ("e", 40), ("d", 40), ("c", 40), ("a", 1), ("b", 2), ("g", 3), ("h", 4), ("i", 5));

        var tier = ValueTier.TopTier(customers, 0.3);

        Assert.That(TierIds(customers, tier), Is.EqualTo(new[] { "c", "d", "z" }));
    }

    [Test]
    public void TopTier_InputShuffled_SameCustomers()
    {
        var customers = ByNet(("p", 7), ("q", 7), ("r", 7), ("s", 1), ("t", 9), ("u", 7), ("v", 2));
        var reversed = customers.Reverse().ToArray();

        var tier = TierIds(customers, ValueTier.TopTier(customers, 0.4));
        var tierReversed = TierIds(reversed, ValueTier.TopTier(reversed, 0.4));

        // ceil(0.4 × 7) = ceil(2.8) = 3: "t" (9) and the two smallest ids tied at 7, "p" and "q".
        using (Assert.EnterMultipleScope())
        {
            Assert.That(tier, Is.EqualTo(new[] { "p", "q", "t" }));
            Assert.That(tierReversed, Is.EqualTo(tier));
        }
    }

    [TestCase(20_000, 0.2, 41)]
    [TestCase(5, 0.4, 42)]
    [TestCase(2, 0.5, 43)]
    public void TopTier_RandomNetsWithTiesZerosAndInfinities_LargestNetsThenSmallestIds(int n, double share, int seed)
    {
        // Reference: order by net descending (CompareTo: −0 equals +0), then id ordinal, and take ceil(share × n).
        var random = new Random(seed);
        double[] specials = [-0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, 1e300, -1e-310];
        var customers = Enumerable.Range(0, n)
            .Select(i => TestCustomers.Make(
                $"c{random.Next(1_000_000):D6}-{i}",
                gross: random.Next(4) == 0 ? specials[random.Next(specials.Length)] : random.Next(0, 50)))
            .ToArray();
        var expected = customers
            .Order(Comparer<CustomerSummary>.Create((a, b) => b.MonetaryTotal.CompareTo(a.MonetaryTotal) is var c && c != 0 ? c : string.CompareOrdinal(a.CustomerId, b.CustomerId)))
            .Take(ValueTier.TierSize(n, share))
            .Select(c => c.CustomerId)
            .Order(StringComparer.Ordinal);

        var tier = ValueTier.TopTier(customers, share);

        Assert.That(TierIds(customers, tier), Is.EqualTo(expected));
    }

    [Test]
    public void TopTier_RanksNetNotGross()
    {
        // a: gross 100 − returns 95 = 5; b: gross 40 → b has the larger net; ceil(0.2 × 2) = 1.
        CustomerSummary[] customers = [TestCustomers.Make("a", gross: 100, returns: 95), TestCustomers.Make("b", gross: 40)];

        Assert.That(ValueTier.TopTier(customers), Is.EqualTo(new[] { false, true }));
    }

    [TestCase(10, 0.2, 2)]
    [TestCase(6, 0.2, 2)]     // ceil(1.2)
    [TestCase(1, 0.2, 1)]     // ceil(0.2)
    [TestCase(0, 0.2, 0)]
    [TestCase(35, 0.2, 7)]
    [TestCase(100, 0.07, 7)]  // binary 0.07 × 100 = 7.000000000000001 would give 8
    [TestCase(10, 0.0, 0)]
    [TestCase(10, 1.0, 10)]
    public void TierSize_ShareOfCustomers_Ceiling(int customers, double share, int expected)
    {
        Assert.That(ValueTier.TierSize(customers, share), Is.EqualTo(expected));
    }

    [TestCase(-0.1)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void TopTier_ShareOutside0To1_Throws(double share)
    {
        Assert.That(() => ValueTier.TopTier([TestCustomers.Make("a")], share), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void RevenueShare_TopTwoOfTen_HandWorked()
    {
        // Total = 10 + 20 + … + 100 = 550; tier = 100 + 90 = 190; share = 190 / 550 = 0.345454…
        var customers = ByNet(("a", 10), ("b", 20), ("c", 30), ("d", 40), ("e", 50), ("f", 60), ("g", 70), ("h", 80), ("i", 90), ("j", 100));

        var share = ValueTier.RevenueShare(customers, ValueTier.TopTier(customers));

        Assert.That(share, Is.EqualTo(190.0 / 550.0).Within(1e-15));
    }

    [Test]
    public void RevenueShare_NegativeNetOutsideTier_CanExceedOne()
    {
        // Nets 100, 50, −70: total 80; tier (ceil(0.2 × 3) = 1) is the 100 → share 100 / 80 = 1.25.
        var customers = new[] { TestCustomers.Make("a", gross: 100), TestCustomers.Make("b", gross: 50), TestCustomers.Make("c", gross: 10, returns: 80) };

        var share = ValueTier.RevenueShare(customers, ValueTier.TopTier(customers));

        Assert.That(share, Is.EqualTo(1.25));
    }

    [Test]
    public void RevenueShare_TotalNotPositive_Zero()
    {
        // Nets 10 and −10: total 0, so the share is undefined and reported as 0.
        var customers = new[] { TestCustomers.Make("a", gross: 10), TestCustomers.Make("b", gross: 5, returns: 15) };

        Assert.That(ValueTier.RevenueShare(customers, [true, false]), Is.Zero);
    }

    [Test]
    public void RevenueShare_FlagCountMismatch_Throws()
    {
        Assert.That(() => ValueTier.RevenueShare([TestCustomers.Make("a")], [true, false]), Throws.ArgumentException);
    }
}
