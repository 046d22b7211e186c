using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests.Customers;

public sealed class ValueTierCutTests
{
    [TestCase(0.2, 1)]
    [TestCase(0.07, 2)]
    [TestCase(0.5, 3)]
    [TestCase(1.0, 4)]
    public void Contains_CustomersOfThePopulation_EqualsTopTier(double share, int seed)
    {
        // Money in a few whole values, so that many customers tie at the cut and the id tie-break decides.
        var random = new Random(seed);
        var customers = Enumerable.Range(0, 500).Select(i => TestCustomers.Make($"c{random.Next(100000):D6}-{i}", gross: 10 * random.Next(1, 8))).ToArray();
        var expected = ValueTier.TopTier(customers, share);

        var cut = ValueTier.Cut(customers, share);

        Assert.That(cut, Is.Not.Null);
        Assert.That(customers.Select(cut!.Contains).ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Cut_TieAtTheCut_IsTheLargestIdTakenIn()
    {
        // Top 40% of 5 = 2 customers: b (300), then of a, c, d tied at 200 the smallest id, a.
        var customers = new[] { TestCustomers.Make("d", gross: 200), TestCustomers.Make("a", gross: 200), TestCustomers.Make("b", gross: 300), TestCustomers.Make("c", gross: 200), TestCustomers.Make("e", gross: 100) };

        var cut = ValueTier.Cut(customers, 0.4);

        Assert.That(cut, Is.EqualTo(new ValueTierCut(200, "a")));
        Assert.That(cut!.Contains(TestCustomers.Make("aa", gross: 200)), Is.False, "'aa' sorts after 'a'");
    }

    [Test]
    public void Cut_ZeroShare_IsNull()
    {
        Assert.That(ValueTier.Cut([TestCustomers.Make("a")], 0), Is.Null);
    }
}
