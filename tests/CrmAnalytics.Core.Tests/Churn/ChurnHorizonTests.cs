using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests.Churn;

[TestFixture]
public sealed class ChurnHorizonTests
{
    private static long[] Gaps(params (int Days, long Count)[] gaps)
    {
        var histogram = new long[400];
        foreach (var (days, count) in gaps)
        {
            histogram[days] += count;
        }

        return histogram;
    }

    [Test]
    public void Auto_ThreeGapLengths_EightiethPercentileInWholeWeeks()
    {
        // 100 gaps each of 30, 60 and 200 days: the 240th of 300 sorted gaps is 200 days → 203 (29 weeks);
        // 1,000 days of history allow up to min(365, 250 → 245).
        var choice = ChurnHorizon.Auto(Gaps((30, 100), (60, 100), (200, 100)), historyDays: 1000);

        Assert.That(choice, Is.EqualTo(new ChurnHorizonChoice(203, "auto", 200, 300, 245)));
    }

    [Test]
    public void Auto_PercentileOnABoundary_TakesTheLowerGap()
    {
        // 80 gaps of 60 days and 20 of 100: exactly 80% are ≤ 60, so the percentile is 60 → 63 days.
        Assert.That(ChurnHorizon.Auto(Gaps((60, 80), (100, 20)), 1000).Days, Is.EqualTo(63));
    }

    [Test]
    public void Auto_WeeklyShoppers_ClampedUpToFourWeeks()
    {
        Assert.That(ChurnHorizon.Auto(Gaps((7, 90), (14, 10)), 1000).Days, Is.EqualTo(28));
    }

    [Test]
    public void Auto_LongGapsShortHistory_ClampedToAQuarterOfTheHistory()
    {
        // 546 days (CDNOW's 78 weeks): at most 136 → 133 days, so that three horizons and some history fit.
        var choice = ChurnHorizon.Auto(Gaps((300, 10)), 546);

        Assert.That((choice.Days, choice.MaxDays, choice.GapPercentileDays), Is.EqualTo((133, 133, 300)));
    }

    [Test]
    public void Auto_NoRepeatGaps_TakesTheLongestAllowed()
    {
        var choice = ChurnHorizon.Auto(new long[10], 3000);

        Assert.That((choice.Days, choice.GapPercentileDays, choice.Gaps), Is.EqualTo((365, (int?)null, 0L)));
    }

    [Test]
    public void RepeatGapHistogram_HandBuiltTimelines_CountsGapsBetweenOccasionsBeforeTheDate()
    {
        var d0 = new DateOnly(2024, 1, 1);
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", d0, 5);
        b.AddPurchase("A", d0.AddDays(10), 5);
        b.AddPurchase("A", d0.AddDays(10), 7);   // same day: one occasion, no 0-day gap
        b.AddPurchase("A", d0.AddDays(40), 5);   // gap 30
        b.AddPurchase("A", d0.AddDays(50), 5);   // on the date: left out
        b.AddPurchase("B", d0.AddDays(3), 5);    // one occasion: no gap
        b.AddPurchase("C", d0.AddDays(5), 5);
        b.AddPurchase("C", d0.AddDays(6), 5);    // gap 1
        b.AddReturn("C", d0.AddDays(20), -5);    // a return is not an occasion

        var histogram = b.RepeatGapHistogram(d0.AddDays(50));

        var nonZero = histogram.Select((count, days) => (days, count)).Where(x => x.count > 0).ToArray();
        Assert.That(nonZero, Is.EqualTo(new[] { (1, 1L), (10, 1L), (30, 1L) }));
    }

    [Test]
    public void RepeatGapHistogram_CustomersInSeveralRanges_EqualsGapsCountedOneByOne()
    {
        // 40,000 customers (three ranges of the parallel count), each with 1-4 occasions 1-36 days apart, added out of order.
        var d0 = new DateOnly(2024, 1, 1);
        var before = d0.AddDays(120);
        var b = new CustomerSummaryBuilder();
        var expected = new long[before.DayNumber - d0.DayNumber];
        for (var c = 39_999; c >= 0; c--)
        {
            var days = new int[1 + (c % 4)];
            days[0] = c % 17;
            for (var k = 1; k < days.Length; k++)
            {
                days[k] = days[k - 1] + 1 + ((c + k) % 36);
            }

            foreach (var day in days.Reverse())
            {
                b.AddPurchase($"C{c:D5}", d0.AddDays(day), 1);
            }

            var seen = days.Where(d => d < 120).ToArray();
            for (var k = 1; k < seen.Length; k++)
            {
                expected[seen[k] - seen[k - 1]]++;
            }
        }

        var histogram = b.RepeatGapHistogram(before);
        // crm score builds the summary at the as-of date first, which counts the gaps on its way; a row added after it
        // (here a 5-day gap for a new customer) is counted again from the days.
        b.Build(before);
        var afterBuild = b.RepeatGapHistogram(before);
        afterBuild[1] = -1; // the caller's copy
        var again = b.RepeatGapHistogram(before);
        var atOtherDate = b.RepeatGapHistogram(before.AddDays(-30));
        b.AddPurchase("N", d0, 1);
        b.AddPurchase("N", d0.AddDays(5), 1);
        var afterAdding = b.RepeatGapHistogram(before);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected.Sum(), Is.GreaterThan(30_000));
            Assert.That(histogram, Is.EqualTo(expected));
            Assert.That(again, Is.EqualTo(expected));
            Assert.That(atOtherDate.Sum(), Is.LessThan(expected.Sum()));
            Assert.That(afterAdding[5], Is.EqualTo(expected[5] + 1));
            Assert.That(afterAdding.Where((_, d) => d != 5), Is.EqualTo(expected.Where((_, d) => d != 5)));
        }

        var rebuilt = new CustomerSummaryBuilder();
        rebuilt.Merge(b);
        rebuilt.Build(before);
        Assert.That(rebuilt.RepeatGapHistogram(before), Is.EqualTo(afterAdding), "the histogram Build counted equals the one counted from the days");
    }
}
