using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests.Customers;

[TestFixture]
public sealed class CustomerSummaryBuilderTests
{
    private static readonly DateOnly D1 = new(2024, 1, 1);

    [Test]
    public void Build_OutOfOrderRowsAndSameDayLines_FoldIntoSortedOccasions()
    {
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D1.AddDays(10), 5);
        b.AddPurchase("A", D1, 2);
        b.AddPurchase("A", D1.AddDays(10), 7);
        b.AddPurchase("A", D1.AddDays(3), 1);

        var a = b.Build(D1.AddDays(20)).Customers.Single();

        // Occasions: day 0 (2), day 3 (1), day 10 (5 + 7 = 12). x = 2, t_x = 10, T = 19 − 0 = 19 (window ends on day 19).
        Assert.That((a.Orders, a.Frequency, a.TxDays, a.AgeDays, a.RecencyDays), Is.EqualTo((3, 2, 10, 19, 9)));
        // Mean repeat value excludes the first occasion: (1 + 12) / 2.
        Assert.That((a.GrossSpend, a.MeanRepeatValue), Is.EqualTo((15.0, 6.5)));
    }

    [Test]
    public void ReleaseDays_EveryReaderOfDaysThrows_IdsAndDatesStay()
    {
        // crm score frees the days after the churn walk; a reader that came later must fail, not see no purchases.
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D1, 2);
        b.AddPurchase("A", D1.AddDays(3), 1);
        b.AddReturn("B", D1.AddDays(1), 4);
        var before = b.Build(D1.AddDays(10));

        b.ReleaseDays();

        Assert.That((b.CustomerCount, b.FirstDate, b.LastDate), Is.EqualTo((2, (DateOnly?)D1, (DateOnly?)D1.AddDays(3))));
        Assert.That(before.Customers.Single().Orders, Is.EqualTo(2), "summaries built before stay");
        Assert.Throws<InvalidOperationException>(() => b.Build(D1.AddDays(10)));
        Assert.Throws<InvalidOperationException>(() => b.Cutoffs([new CutoffRequest(D1.AddDays(2))]));
        Assert.Throws<InvalidOperationException>(() => b.RepeatGapHistogram(D1.AddDays(10)));
        Assert.Throws<InvalidOperationException>(() => b.CountOccasions(before.Customers, D1, D1.AddDays(10)));
        Assert.Throws<InvalidOperationException>(() => b.AddPurchase("A", D1.AddDays(5), 1));
    }

    [Test]
    public void Build_GapStatistics_AreMeanAndPopulationStdOfDaysBetweenOccasions()
    {
        var b = new CustomerSummaryBuilder();
        foreach (var day in new[] { 0, 3, 10, 11 })
        {
            b.AddPurchase("A", D1.AddDays(day), 1);
        }

        b.AddPurchase("B", D1, 1);
        b.AddPurchase("B", D1.AddDays(4), 1);

        var customers = b.Build(D1.AddDays(20)).Customers;

        // A's gaps 3, 7, 1: mean 11/3, variance ((3−11/3)² + (7−11/3)² + (1−11/3)²)/3 = 56/9.
        Assert.That(customers[0].MeanGapDays, Is.EqualTo(11.0 / 3).Within(1e-12));
        Assert.That(customers[0].GapStdDays, Is.EqualTo(Math.Sqrt(56.0 / 9)).Within(1e-12));
        // One gap has no spread.
        Assert.That((customers[1].MeanGapDays, customers[1].GapStdDays), Is.EqualTo((4.0, 0.0)));
    }

    [Test]
    public void Build_AtEarlierCutoff_LeavesOutLaterPurchasesAndReturns()
    {
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D1, 10);
        b.AddReturn("A", D1.AddDays(1), -4);
        b.AddPurchase("A", D1.AddDays(5), 20);
        b.AddReturn("A", D1.AddDays(6), -3);
        b.AddPurchase("B", D1.AddDays(7), 1);

        var early = b.Build(D1.AddDays(5));
        var a = early.Customers.Single();

        // Only day 0's purchase and day 1's return are before the cut-off (day 5, exclusive); B starts later: no row.
        Assert.That((a.Orders, a.GrossSpend, a.ReturnsValue, a.ReturnLines, a.AgeDays), Is.EqualTo((1, 10.0, 4.0, 1, 4)));
        Assert.That(early.Customers.Select(c => c.CustomerId), Is.EqualTo(new[] { "A" }));
        var late = b.Build(D1.AddDays(8)).Customers.Single(c => c.CustomerId == "A");
        Assert.That((late.Orders, late.GrossSpend, late.ReturnsValue, late.ReturnLines), Is.EqualTo((2, 30.0, 7.0, 2)));
    }

    [Test]
    public void Build_CustomerWithOnlyReturns_IsCountedNotListed()
    {
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D1, 10);
        b.AddReturn("R", D1, -5);

        var result = b.Build(D1.AddDays(1));

        Assert.That((result.Customers.Count, result.CustomersWithoutPurchases), Is.EqualTo((1, 1)));
    }

    [Test]
    public void CountOccasions_HoldoutWindow_CountsOnlyDaysInside()
    {
        var b = new CustomerSummaryBuilder();
        foreach (var d in new[] { 0, 4, 5, 9, 10 })
        {
            b.AddPurchase("A", D1.AddDays(d), 1);
        }

        var calibration = b.Build(D1.AddDays(5)).Customers;
        var holdout = b.CountOccasions(calibration, D1.AddDays(5), D1.AddDays(10));

        // Days 5 and 9 fall in [5, 10); day 10 is the exclusive end.
        Assert.That(holdout, Is.EqualTo(new[] { 2 }));
    }

    [Test]
    public void RepeatOccasionsPerDay_TrackingSeries_SkipsFirstPurchasesAndLaterCohorts()
    {
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D1, 1);
        b.AddPurchase("A", D1.AddDays(2), 1);
        b.AddPurchase("B", D1.AddDays(1), 1);
        b.AddPurchase("B", D1.AddDays(2), 1);
        b.AddPurchase("C", D1.AddDays(3), 1);
        b.AddPurchase("C", D1.AddDays(4), 1);

        var series = b.RepeatOccasionsPerDay(D1, D1.AddDays(5), cohortEnd: D1.AddDays(3));

        // A repeats on day 2, B on day 2; C's first purchase is on day 3, outside the cohort.
        Assert.That(series, Is.EqualTo(new[] { 0, 0, 2, 0, 0 }));
    }

    [Test]
    public void Merge_TwoPartialBuilders_EqualsOneBuilder()
    {
        var one = new CustomerSummaryBuilder();
        var left = new CustomerSummaryBuilder();
        var right = new CustomerSummaryBuilder();
        var rows = new[] { ("A", 0, 5.0), ("B", 1, 2.0), ("A", 3, 1.0), ("A", 0, 4.0), ("B", 1, 6.0) };
        for (var i = 0; i < rows.Length; i++)
        {
            var (id, d, v) = rows[i];
            one.AddPurchase(id, D1.AddDays(d), v);
            (i % 2 == 0 ? left : right).AddPurchase(id, D1.AddDays(d), v);
        }

        left.Merge(right);

        Assert.That(left.Build(D1.AddDays(4)).Customers, Is.EqualTo(one.Build(D1.AddDays(4)).Customers));
    }

    [Test]
    public void Build_ShortLongAndNonAsciiIds_SortOrdinallyAndKeepTheirOwnHistories()
    {
        // Up to eight ASCII characters take the packed-key table; longer, non-ASCII and NUL-containing ids the string table.
        string[] ordinal = ["", "12345678", "123456789", "A1", "B", "a", "a\0b", "\u00e9"];
        var b = new CustomerSummaryBuilder();
        foreach (var (id, k) in ordinal.Select((id, k) => (id, k)).Reverse())
        {
            for (var day = 0; day <= k; day++)
            {
                b.AddPurchase(id, D1.AddDays(day), 1);
            }
        }

        var customers = b.Build(D1.AddDays(30)).Customers;

        Assert.That(customers.Select(c => c.CustomerId), Is.EqualTo(ordinal));
        Assert.That(customers.Select(c => c.Orders), Is.EqualTo(Enumerable.Range(1, ordinal.Length)));
    }

    [Test]
    public void RowsAfterBuild_FreedIdTable_KnownIdsKeepTheirHistoryAndNewIdsJoin()
    {
        // Build frees the ids' lookup table (only reading needs it); rows read after it rebuild it from the ids.
        string[] ids = ["", "12345678", "123456789", "A1", "a\0b", "\u00e9", "C00042"];
        var b = new CustomerSummaryBuilder();
        foreach (var id in ids)
        {
            b.AddPurchase(id, D1, 10);
        }

        var before = b.Build(D1.AddDays(30)).Customers;
        foreach (var id in ids)
        {
            b.AddPurchase(id, D1.AddDays(3), 5);
        }

        b.AddPurchase("C00043", D1.AddDays(4), 7);
        b.AddPurchase("new long id \u00e9", D1.AddDays(4), 7);
        var after = b.Build(D1.AddDays(30)).Customers;
        var counts = b.CountOccasions(after, D1.AddDays(3), D1.AddDays(5));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.Select(c => c.Orders), Has.All.EqualTo(1));
            Assert.That(after.Select(c => c.CustomerId), Is.EqualTo(ids.Append("C00043").Append("new long id \u00e9").Order(StringComparer.Ordinal)));
            Assert.That(after.Where(c => ids.Contains(c.CustomerId)).Select(c => (c.Orders, c.GrossSpend)), Has.All.EqualTo((2, 15.0)));
            Assert.That(after.Where(c => !ids.Contains(c.CustomerId)).Select(c => (c.Orders, c.GrossSpend)), Has.All.EqualTo((1, 7.0)));
            Assert.That(counts, Has.All.EqualTo(1), "every customer bought once in the window, found by id");
            Assert.That(b.CustomerCount, Is.EqualTo(ids.Length + 2));
        }
    }

    [Test]
    public void NumberCustomersAndAddRows_ABatch_SameNumbersAndSummariesAsRowByRow()
    {
        // Packed and string-table ids, repeats in and out of order, returns, same-day rows that fold, days out of order,
        // more rows than the prefetch looks ahead, and a second batch after Build freed the id table.
        string[] ids = ["", "12345678", "123456789", "A1", "a\0b", "\u00e9", "C00042"];
        var rows = Enumerable.Range(0, 300)
            .Select(k => (Id: ids[(k * 5) % ids.Length] + (k % 3 == 0 ? string.Empty : "x" + (k % 11)), IsReturn: k % 13 == 0, Day: D1.AddDays((k * 7) % 40), Amount: 1.0 + (k % 17) / 3.0))
            .ToArray();
        var batched = new CustomerSummaryBuilder();
        var oneByOne = new CustomerSummaryBuilder();

        void Batch(IEnumerable<(string Id, bool IsReturn, DateOnly Day, double Amount)> part)
        {
            var list = part.ToArray();
            var ends = new int[list.Length];
            var text = string.Concat(list.Select(r => r.Id));
            for (int i = 0, end = 0; i < list.Length; i++)
            {
                ends[i] = end += list[i].Id.Length;
            }

            var numbers = new int[list.Length];
            batched.NumberCustomers(text, ends, numbers);
            batched.AddRows(list.Select(r => r.IsReturn).ToArray(), numbers, list.Select(r => r.Day.DayNumber).ToArray(), list.Select(r => r.Amount).ToArray());
            foreach (var r in list)
            {
                var number = oneByOne.Customer(r.Id);
                if (r.IsReturn)
                {
                    oneByOne.AddReturn(number, r.Day, r.Amount);
                }
                else
                {
                    oneByOne.AddPurchase(number, r.Day, r.Amount);
                }
            }

            Assert.That(numbers, Is.EqualTo(list.Select(r => oneByOne.Customer(r.Id))));
        }

        Batch(rows.Take(200));
        var firstBuild = batched.Build(D1.AddDays(60)).Customers;
        _ = oneByOne.Build(D1.AddDays(60));
        Batch(rows.Skip(200));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(firstBuild, Has.Count.GreaterThan(ids.Length));
            Assert.That(batched.CustomerCount, Is.EqualTo(oneByOne.CustomerCount));
            Assert.That(batched.Build(D1.AddDays(60)).Customers, Is.EqualTo(oneByOne.Build(D1.AddDays(60)).Customers));
        }
    }

    [Test]
    public void Build_FiftyThousandCustomers_EachKeepsItsOwnOccasions()
    {
        const int n = 50_000;
        var b = new CustomerSummaryBuilder();
        for (var day = 0; day < 5; day++)
        {
            for (var k = 0; k < n; k++)
            {
                if (k % 5 >= day)
                {
                    b.AddPurchase(k.ToString(System.Globalization.CultureInfo.InvariantCulture), D1.AddDays(day), k);
                }
            }
        }

        var customers = b.Build(D1.AddDays(10)).Customers;

        // Customer k bought on days 0..k % 5, k each time.
        var ids = Enumerable.Range(0, n).Select(k => k.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(StringComparer.Ordinal).ToArray();
        Assert.That(customers.Select(c => c.CustomerId), Is.EqualTo(ids));
        Assert.That(customers.All(c => c.Orders == (int.Parse(c.CustomerId, System.Globalization.CultureInfo.InvariantCulture) % 5) + 1), Is.True);
        Assert.That(customers.All(c => c.GrossSpend == c.Orders * double.Parse(c.CustomerId, System.Globalization.CultureInfo.InvariantCulture)), Is.True);
    }
}
