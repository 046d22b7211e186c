using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Tests.Rfm;

public sealed class RfmBreakpointsTests
{
    /// <summary>Many ties and a skewed spread, as real exports have: small integers for orders and recency, cents for money.</summary>
    private static CustomerSummary[] Population(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n)
            .Select(i => TestCustomers.Make($"c{i:D5}", orders: 1 + (int)Math.Floor(-Math.Log(1 - random.NextDouble()) * 2),
                recencyDays: random.Next(0, 400), gross: Math.Round(random.NextDouble() * random.NextDouble() * 500, 2)))
            .ToArray();
    }

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(7, 3)]
    [TestCase(1000, 4)]
    [TestCase(2345, 5)]
    public void Score_CustomersOfThePopulation_EqualsRfmScorer(int n, int seed)
    {
        var customers = Population(n, seed);
        var expected = RfmScorer.Score(customers);

        var breakpoints = RfmBreakpoints.From(customers);

        Assert.That(customers.Select(breakpoints.Score).ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Score_HandWorkedTenCustomers_UsesTheLowestValueOfEachScore()
    {
        // Orders 1..10 score 1,1,2,2,3,3,4,4,5,5: F breakpoints are 3, 5, 7, 9 orders.
        var customers = Enumerable.Range(1, 10).Select(o => TestCustomers.Make($"c{o:D2}", orders: o, recencyDays: o)).ToArray();

        var breakpoints = RfmBreakpoints.From(customers);

        Assert.That(breakpoints.Orders, Is.EqualTo(new double?[] { 3, 5, 7, 9 }));
        // R: fewer days is better; 1..2 days score 5, so the most days for 5 is 2.
        Assert.That(breakpoints.RecencyDays, Is.EqualTo(new double?[] { 8, 6, 4, 2 }));
        Assert.That(breakpoints.Score(TestCustomers.Make("new", orders: 6, recencyDays: 100)), Is.EqualTo(new RfmScore(1, 3, 1)));
    }

    [Test]
    public void From_AllEqual_NoCustomerReachesTwo()
    {
        var customers = Enumerable.Range(0, 5).Select(i => TestCustomers.Make($"c{i}", orders: 2)).ToArray();

        var breakpoints = RfmBreakpoints.From(customers);

        Assert.That(breakpoints.Orders, Is.EqualTo(new double?[] { null, null, null, null }));
        Assert.That(breakpoints.Score(TestCustomers.Make("x", orders: 99)).F, Is.EqualTo(1));
    }
}
