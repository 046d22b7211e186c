using CrmAnalytics.Core.Clv.GammaGamma;

namespace CrmAnalytics.Core.Tests.Clv.GammaGamma;

public sealed class SpendPatternsTests
{
    [Test]
    public void From_Rows_GroupsExactPairsInOrderOfFirstAppearance()
    {
        var data = SpendPatterns.From([(2.0, 22.35), (1.0, 11.77), (2.0, 22.35), (2.0, 22.36), (1.0, 11.77), (2.0, 22.35)]);
        Assert.Multiple(() =>
        {
            Assert.That(data.X, Is.EqualTo(new[] { 2.0, 1.0, 2.0 }));
            Assert.That(data.MeanValue, Is.EqualTo(new[] { 22.35, 11.77, 22.36 }));
            Assert.That(data.Weight, Is.EqualTo(new[] { 3.0, 2.0, 1.0 }));
            Assert.That(data.Count, Is.EqualTo(3));
            Assert.That(data.Customers, Is.EqualTo(6));
            Assert.That(data.Excluded, Is.Zero);
        });
    }

    [Test]
    public void From_UncountedSequence_MatchesGroupByAcrossTableGrowth()
    {
        // A lazy sequence gives no count up front, so the table starts small and is rebuilt several times on the way to
        // 3,000 distinct pairs (i mod 3 and i mod 1,000 are independent, so i mod 3,000 identifies a pair). LINQ's GroupBy
        // is the reference for pattern order and weights.
        var rows = Enumerable.Range(0, 10_000).Where(_ => true).Select(i => (1.0 + (i % 3), (i % 1000) + 0.5));
        var data = SpendPatterns.From(rows);
        var groups = rows.GroupBy(r => r).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(data.Count, Is.EqualTo(3000));
            Assert.That(data.X, Is.EqualTo(groups.Select(g => g.Key.Item1)));
            Assert.That(data.MeanValue, Is.EqualTo(groups.Select(g => g.Key.Item2)));
            Assert.That(data.Weight, Is.EqualTo(groups.Select(g => (double)g.Count())));
            Assert.That(data.Customers, Is.EqualTo(10_000));
        });
    }

    [Test]
    public void From_Rows_CountsCustomersOutsideTheModelAsExcluded()
    {
        // x = 0; a mean of 0 or below (returns); NaN and infinite means; x·z̄ overflowing.
        var data = SpendPatterns.From([(0.0, 0.0), (0.0, 15.0), (3.0, 0.0), (3.0, -4.5), (2.0, double.NaN), (2.0, double.PositiveInfinity), (4.0, 1e308), (1.0, 5.0)]);
        Assert.Multiple(() =>
        {
            Assert.That(data.Excluded, Is.EqualTo(7));
            Assert.That(data.Customers, Is.EqualTo(1));
            Assert.That(data.X, Is.EqualTo(new[] { 1.0 }));
        });
    }

    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void From_Rows_InvalidFrequency_Throws(double x)
    {
        Assert.That(() => SpendPatterns.From([(1.0, 10.0), (x, 10.0)]), Throws.ArgumentException);
    }

    [Test]
    public void From_CustomerSummaries_UsesFrequencyAndMeanRepeatValue()
    {
        // Orders = x + 1 occasions; a one-time buyer has MeanRepeatValue 0 (CustomerSummary's convention) and is excluded,
        // as is a repeat buyer whose returns took the mean to 0.
        var customers = new[]
        {
            TestCustomers.Make("a", orders: 3) with { MeanRepeatValue = 20 },
            TestCustomers.Make("b", orders: 1),
            TestCustomers.Make("c", orders: 3) with { MeanRepeatValue = 20 },
            TestCustomers.Make("d", orders: 2) with { MeanRepeatValue = 7.5 },
            TestCustomers.Make("e", orders: 4) with { MeanRepeatValue = 0 },
        };
        var data = SpendPatterns.From(customers);
        Assert.Multiple(() =>
        {
            Assert.That(data.X, Is.EqualTo(new[] { 2.0, 1.0 }));
            Assert.That(data.MeanValue, Is.EqualTo(new[] { 20.0, 7.5 }));
            Assert.That(data.Weight, Is.EqualTo(new[] { 2.0, 1.0 }));
            Assert.That(data.Excluded, Is.EqualTo(2));
        });
    }

    [TestCase(1.0, 10.0, true)]
    [TestCase(0.5, 1e-300, true)]
    [TestCase(0.0, 10.0, false)]
    [TestCase(2.0, 0.0, false)]
    [TestCase(2.0, -1.0, false)]
    [TestCase(2.0, double.NaN, false)]
    [TestCase(double.PositiveInfinity, 10.0, false)]
    [TestCase(10.0, 1e308, false)]
    public void IsModelled_Cases(double x, double meanValue, bool expected)
    {
        Assert.That(SpendPatterns.IsModelled(x, meanValue), Is.EqualTo(expected));
    }

    [Test]
    public void From_Cdnow_Keeps946RepeatBuyers()
    {
        // lifetimes' Gamma-Gamma example fits "946 subjects": the CDNOW customers with frequency > 0.
        var data = CdnowSpend.Patterns;
        Assert.Multiple(() =>
        {
            Assert.That(data.Customers, Is.EqualTo(946));
            Assert.That(data.Excluded, Is.EqualTo(1411));
            Assert.That(data.Weight.Sum(), Is.EqualTo(946));
        });
    }
}
