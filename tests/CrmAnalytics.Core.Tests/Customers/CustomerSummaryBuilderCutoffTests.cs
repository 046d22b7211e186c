using System.Globalization;
using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Core.Tests.Customers;

/// <summary>
/// The summaries and label counts at the churn cut-offs (A − 3H, A − 2H, A − H) from one builder equal those of the
/// old per-cut-off build: a builder fed only the rows before the cut-off, and occasions counted by id lookup.
/// </summary>
[TestFixture]
public sealed class CustomerSummaryBuilderCutoffTests
{
    private static readonly DateOnly D1 = new(2022, 1, 1);

    /// <summary>(id, day offset, amount); a negative amount is a return. Out of order, same-day lines, returns only, 2+ years.</summary>
    private static readonly (string Id, int Day, double Amount)[] Timelines =
    [
        ("C", 900, 3.25), ("A", 10, 5), ("A", 0, 2), ("A", 10, 7), ("A", 3, 1.1), ("B", 400, 9.99), ("A", 399, -2.5),
        ("B", 30, 0.1), ("B", 30, 0.2), ("R", 50, -4), ("A", 760, 12), ("A", 700, 8), ("D", 810, 1), ("D", 809, 2),
        ("B", 800, 0.3), ("A", 830, 4), ("B", 700, -1.5), ("A", 860, 6), ("C", 870, 1), ("E", 5, 1), ("D", 899, 7),
        ("A", 890, 2), ("B", 891, 3), ("E", 860, 2), ("A", 899, 1), ("E", 900, 5), ("R", 880, -1),
    ];

    private static readonly Lazy<(string Id, int Day, double Amount)[]> Cdnow = new(LoadCdnow);

    [Test]
    public void Build_HandBuiltTimelinesAtEveryCutoff_EqualsBuildOfRowsBeforeTheCutoff()
    {
        var all = Feed(Timelines, int.MaxValue);
        foreach (var end in new[] { 5, 11, 30, 31, 400, 401, 800, 830, 831, 870, 900, 901, 2000 })
        {
            var cutoff = D1.AddDays(end);
            var expected = Feed(Timelines, end).Build(cutoff);
            var actual = all.Build(cutoff);

            Assert.That(actual.Customers, Is.EqualTo(expected.Customers), $"cut-off day {end}");
            Assert.That(actual.CustomersWithoutPurchases, Is.EqualTo(expected.CustomersWithoutPurchases), $"cut-off day {end}");
        }
    }

    [Test]
    public void CountOccasionsByPosition_HandBuiltTimelines_EqualsIdLookupAtEveryCutoff()
    {
        var builder = Feed(Timelines, int.MaxValue);
        foreach (var (end, horizon) in new[] { (11, 20), (30, 1), (400, 400), (830, 30), (831, 60), (870, 31), (900, 90) })
        {
            AssertSameCounts(builder, D1.AddDays(end), horizon);
        }
    }

    [Test]
    public void Build_CdnowAtThreeChurnCutoffs_EqualsBuildOfRowsBeforeTheCutoff()
    {
        var rows = Cdnow.Value;
        var all = Feed(rows, int.MaxValue);
        var asOf = all.DefaultAsOf();
        foreach (var cutoff in new[] { asOf.AddDays(-270), asOf.AddDays(-180), asOf.AddDays(-90) })
        {
            var expected = Feed(rows, cutoff.DayNumber - D1.DayNumber).Build(cutoff);
            var actual = all.Build(cutoff);

            Assert.That(actual.Customers.Count, Is.GreaterThan(10_000));
            Assert.That(actual.Customers, Is.EqualTo(expected.Customers), $"cut-off {cutoff:yyyy-MM-dd}");
        }
    }

    [Test]
    public void CountOccasionsByPosition_CdnowAtThreeChurnCutoffs_EqualsIdLookup()
    {
        var builder = Feed(Cdnow.Value, int.MaxValue);
        var asOf = builder.DefaultAsOf();
        foreach (var cutoff in new[] { asOf.AddDays(-270), asOf.AddDays(-180), asOf.AddDays(-90) })
        {
            var churned = AssertSameCounts(builder, cutoff, 90);
            Assert.That(churned, Is.InRange(1, builder.Build(cutoff).Customers.Count - 1));
        }
    }

    [Test]
    public void CountOccasionsByPosition_SummaryOfAnotherBuilder_Throws()
    {
        var one = Feed(Timelines, int.MaxValue);
        var other = Feed(Timelines, int.MaxValue);
        var summary = one.Build(D1.AddDays(500));

        Assert.Throws<ArgumentException>(() => other.CountOccasions(summary, null, D1.AddDays(500), D1.AddDays(600)));
        Assert.Throws<ArgumentException>(() => one.CountOccasions(summary with { Customers = summary.Customers.Skip(1).ToList() }, null, D1.AddDays(500), D1.AddDays(600)));
    }

    [Test]
    public void CountOccasionsByPosition_NoRowsSelected_IsEmpty()
    {
        // A cut-off where no customer is active (the latest as-of, 9000-12-31) asks for no rows; Partitioner.Create refuses an empty range.
        var builder = Feed(Timelines, int.MaxValue);
        var summary = builder.Build(D1.AddDays(500));

        Assert.That(builder.CountOccasions(summary, Array.Empty<int>(), D1.AddDays(500), D1.AddDays(600)), Is.Empty);
    }

    [Test]
    public void Cutoffs_HandBuiltTimelinesInOneWalk_EqualBuildAndCountsAtEachCutoff()
    {
        var builder = Feed(Timelines, int.MaxValue);
        AssertWalkEqualsBuild(builder,
        [
            new(D1.AddDays(5)), new(D1.AddDays(11), null, 20), new(D1.AddDays(30), 15, 1), new(D1.AddDays(400), null, 400),
            new(D1.AddDays(830), 60, 30), new(D1.AddDays(831)), new(D1.AddDays(870), 31, 31), new(D1.AddDays(900), 5, 90),
            new(D1.AddDays(2000), null, 10),
        ]);
    }

    [Test]
    public void Cutoffs_CdnowAtThreeChurnCutoffsInOneWalk_EqualBuildAndCounts()
    {
        var builder = Feed(Cdnow.Value, int.MaxValue);
        var asOf = builder.DefaultAsOf();
        AssertWalkEqualsBuild(builder, [new(asOf.AddDays(-270), 365, 90), new(asOf.AddDays(-180), 365, 90), new(asOf.AddDays(-90), null, 90)]);
    }

    [Test]
    public void PatternGroups_CdnowAtThreeChurnCutoffs_EqualPatternsOfTheDoublesAndValuesOfTheKeptRows()
    {
        var builder = Feed(Cdnow.Value, int.MaxValue);
        var asOf = builder.DefaultAsOf();
        foreach (var at in builder.Cutoffs([new(asOf.AddDays(-270), 365, 90), new(asOf.AddDays(-180), 365, 90), new(asOf.AddDays(-90))]))
        {
            var all = Enumerable.Range(0, at.Count).Select(at.Key).ToArray();
            var expected = RepeatPatterns.From(all.Select(k => ((double)k.Frequency, k.TxDays / 7.0, k.AgeDays / 7.0)));
            var groups = PatternGroups.Of(all.Length, i => all[i]);
            var actual = groups.Repeat(7.0);
            // Any function of the pattern, for the kept rows only: the same as computing it per kept customer.
            double First(int x, int tx, int t) => x + tx / 7.0 - Math.Sqrt(t);
            double Second(int x, int tx, int t, double first) => first * (x + 1) / (t + 1.0);
            var (a, b) = groups.PerCustomer(at.Rows, First, Second);
            var (everyFirst, _) = groups.PerCustomer(null, First, Second);
            var keys = at.Rows.Select(at.Key).ToArray();

            using (Assert.EnterMultipleScope())
            {
                Assert.That(actual.Count, Is.GreaterThan(1_000).And.EqualTo(expected.Count));
                Assert.That((actual.X, actual.Tx, actual.T, actual.Weight), Is.EqualTo((expected.X, expected.Tx, expected.T, expected.Weight)), $"cut-off {at.Cutoff:yyyy-MM-dd}");
                Assert.That(a, Is.EqualTo(keys.Select(k => First(k.Frequency, k.TxDays, k.AgeDays))));
                Assert.That(b, Is.EqualTo(keys.Select(k => Second(k.Frequency, k.TxDays, k.AgeDays, First(k.Frequency, k.TxDays, k.AgeDays)))));
                Assert.That(a, Has.Length.EqualTo(at.Kept.Length));
                Assert.That(everyFirst, Is.EqualTo(all.Select(k => First(k.Frequency, k.TxDays, k.AgeDays))), "null = every grouped customer");
            }
        }
    }

    [Test]
    public void Cutoffs_Descending_Throws()
    {
        var builder = Feed(Timelines, int.MaxValue);

        Assert.Throws<ArgumentException>(() => builder.Cutoffs([new(D1.AddDays(500)), new(D1.AddDays(400))]));
    }

    /// <summary>
    /// Every customer's keys, the kept rows (as summaries, compared exactly) and their occasions in the horizon equal
    /// <see cref="CustomerSummaryBuilder.Build"/> and the counts by id at each cut-off.
    /// </summary>
    private static void AssertWalkEqualsBuild(CustomerSummaryBuilder builder, CutoffRequest[] requests)
    {
        var walk = builder.Cutoffs(requests);
        Assert.That(walk.Select(w => w.Kept.Length).Sum(), Is.GreaterThan(0));
        for (var c = 0; c < requests.Length; c++)
        {
            var (cutoff, active, horizon, _) = requests[c];
            var at = walk[c];
            var expected = builder.Build(cutoff).Customers;
            var rows = Enumerable.Range(0, expected.Count).Where(i => active is not { } days || expected[i].RecencyDays < days).ToArray();
            var kept = rows.Select(i => expected[i]).ToList();
            var label = $"cut-off {cutoff:yyyy-MM-dd}";

            Assert.That(Enumerable.Range(0, at.Count).Select(at.Key).Select(k => (k.Orders, k.TxDays, k.AgeDays, k.RecencyDays, k.MonetaryTotal)),
                Is.EqualTo(expected.Select(e => (e.Orders, e.TxDays, e.AgeDays, e.RecencyDays, e.MonetaryTotal))), label);
            Assert.That(at.Rows, Is.EqualTo(rows), label);
            // A cut-off that keeps everyone holds each customer's keys once, in its rows.
            Assert.That(at.KeepsEveryone, Is.EqualTo(active is null && requests[c].Sample is null), label);
            Assert.That(at.Kept.Select(k => k.ToSummary(at.Ids[k.Id], cutoff.DayNumber - 1)), Is.EqualTo(kept), label);
            Assert.That(at.Kept.Select(k => k.FutureOccasions),
                Is.EqualTo(horizon is { } h ? builder.CountOccasions(kept, cutoff, cutoff.AddDays(h)) : new int[kept.Count]), label);
        }
    }

    /// <summary>Compares the counts by position with those by id, for every row and for every other row; returns the customers without an occasion.</summary>
    private static int AssertSameCounts(CustomerSummaryBuilder builder, DateOnly cutoff, int horizon)
    {
        var summary = builder.Build(cutoff);
        var to = cutoff.AddDays(horizon);
        var expected = builder.CountOccasions(summary.Customers, cutoff, to);
        Assert.That(builder.CountOccasions(summary, null, cutoff, to), Is.EqualTo(expected), $"cut-off {cutoff:yyyy-MM-dd}");

        var rows = Enumerable.Range(0, summary.Customers.Count).Where(i => i % 2 == 1).ToArray();
        var picked = builder.CountOccasions(rows.Select(i => summary.Customers[i]).ToList(), cutoff, to);
        Assert.That(builder.CountOccasions(summary, rows, cutoff, to), Is.EqualTo(picked), $"cut-off {cutoff:yyyy-MM-dd}, odd rows");
        return expected.Count(c => c == 0);
    }

    /// <summary>A builder fed the rows on days before <paramref name="endDay"/> (offsets from <see cref="D1"/>), in the given order.</summary>
    private static CustomerSummaryBuilder Feed((string Id, int Day, double Amount)[] rows, int endDay)
    {
        var builder = new CustomerSummaryBuilder();
        foreach (var (id, day, amount) in rows)
        {
            if (day >= endDay)
            {
                continue;
            }

            if (amount < 0)
            {
                builder.AddReturn(id, D1.AddDays(day), amount);
            }
            else
            {
                builder.AddPurchase(id, D1.AddDays(day), amount);
            }
        }

        return builder;
    }

    /// <summary>CDNOW's lines as (id, day offset from <see cref="D1"/>, dollar value).</summary>
    private static (string Id, int Day, double Amount)[] LoadCdnow() =>
        File.ReadLines(DatasetPaths.File("cdnow", "CDNOW_master.txt")).Skip(1).Select(line =>
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var date = DateOnly.ParseExact(f[1], "yyyyMMdd", CultureInfo.InvariantCulture);
            return (f[0], date.DayNumber - D1.DayNumber, double.Parse(f[3], CultureInfo.InvariantCulture));
        }).ToArray();
}
