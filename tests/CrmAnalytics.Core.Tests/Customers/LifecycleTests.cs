using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests.Customers;

public sealed class LifecycleTests
{
    private static readonly LifecycleOptions Defaults = new();

    // A customer who is old (age 400, so never New) and active (3 occasions in 365 days) unless recency makes them inactive.
    [TestCase(179, LifecycleStage.Active)]
    [TestCase(180, LifecycleStage.Active)] // not more than 180 days without a purchase
    [TestCase(181, LifecycleStage.Inactive)]
    public void Classify_RecencyAtInactiveBoundary_Expected(int recencyDays, LifecycleStage expected)
    {
        var customer = TestCustomers.Make("c", orders: 3, recencyDays: recencyDays, ageDays: 400, windows: TestCustomers.Windows(orders365d: 3));

        Assert.That(Lifecycle.Classify(customer, Defaults), Is.EqualTo(expected));
    }

    // Recent (recency 10) with one occasion in the year: New while AgeDays < 180, Occasional after.
    [TestCase(179, LifecycleStage.New)]
    [TestCase(180, LifecycleStage.Occasional)] // first purchase 180 days before the last observed day: outside "within 180"
    [TestCase(181, LifecycleStage.Occasional)]
    public void Classify_AgeAtNewBoundary_Expected(int ageDays, LifecycleStage expected)
    {
        var customer = TestCustomers.Make("c", orders: 2, recencyDays: 10, ageDays: ageDays, windows: TestCustomers.Windows(orders365d: 1));

        Assert.That(Lifecycle.Classify(customer, Defaults), Is.EqualTo(expected));
    }

    [TestCase(1, LifecycleStage.Occasional)]
    [TestCase(2, LifecycleStage.Active)]
    [TestCase(3, LifecycleStage.Active)]
    public void Classify_OrdersInLastYearAtActiveBoundary_Expected(int orders365d, LifecycleStage expected)
    {
        var customer = TestCustomers.Make("c", orders: 5, recencyDays: 20, ageDays: 900, windows: TestCustomers.Windows(orders365d: orders365d));

        Assert.That(Lifecycle.Classify(customer, Defaults), Is.EqualTo(expected));
    }

    [Test]
    public void Classify_InactiveAndNewBothTrue_InactiveWins()
    {
        // With NewWithinDays 400, age 300 is new, but recency 200 > 180 is inactive, and inactive is evaluated first.
        var options = new LifecycleOptions { NewWithinDays = 400 };
        var customer = TestCustomers.Make("c", orders: 1, recencyDays: 200, ageDays: 300);

        Assert.That(Lifecycle.Classify(customer, options), Is.EqualTo(LifecycleStage.Inactive));
    }

    [Test]
    public void Classify_NewWithManyOrders_NewWinsOverActive()
    {
        var customer = TestCustomers.Make("c", orders: 5, recencyDays: 1, ageDays: 50, windows: TestCustomers.Windows(orders365d: 5));

        Assert.That(Lifecycle.Classify(customer, Defaults), Is.EqualTo(LifecycleStage.New));
    }

    [Test]
    public void Classify_ActiveWindow90_UsesNinetyDayCount()
    {
        // 2 occasions in 365 days but only 1 in 90: Active by default, Occasional with a 90-day window.
        var options = new LifecycleOptions { ActiveWindowDays = 90 };
        var customer = TestCustomers.Make("c", orders: 4, recencyDays: 5, ageDays: 600, windows: TestCustomers.Windows(orders90d: 1, orders365d: 2));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Lifecycle.Classify(customer, Defaults), Is.EqualTo(LifecycleStage.Active));
            Assert.That(Lifecycle.Classify(customer, options), Is.EqualTo(LifecycleStage.Occasional));
        }
    }

    [Test]
    public void Classify_FromBuilder_AgeDaysCountsToLastObservedDay()
    {
        // As-of 2025-01-01, so the last observed day is 2024-12-31.
        // First purchase 2024-07-05: 26 more days in July + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 = 179 days → New.
        // First (and only) purchase 2024-07-04: 180 days. Recency 180 is not more than 180 → not Inactive; age 180 → not New;
        // 1 occasion in 365 days < 2 → Occasional.
        var builder = new CustomerSummaryBuilder();
        builder.AddPurchase("a", new DateOnly(2024, 7, 5), 10);
        builder.AddPurchase("b", new DateOnly(2024, 7, 4), 10);
        var summary = builder.Build(new DateOnly(2025, 1, 1));

        var stages = summary.Customers.Select(c => (c.CustomerId, c.AgeDays, Lifecycle.Classify(c, Defaults)));

        Assert.That(stages, Is.EqualTo(new[] { ("a", 179, LifecycleStage.New), ("b", 180, LifecycleStage.Occasional) }));
    }

    [Test]
    public void Classify_WindowNotInSummary_Throws()
    {
        var options = new LifecycleOptions { ActiveWindowDays = 100 };
        var customer = TestCustomers.Make("c", orders: 1, recencyDays: 5, ageDays: 500);

        Assert.That(() => Lifecycle.Classify(customer, options), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Validate_Defaults_NoErrors()
    {
        Assert.That(Defaults.Validate(), Is.Empty);
    }

    [Test]
    public void Validate_EveryOptionInvalid_ReportsAllFour()
    {
        var options = new LifecycleOptions { InactiveAfterDays = -1, NewWithinDays = -5, ActiveWindowDays = 100, ActiveMinOrders = 0 };

        var errors = options.Validate();

        Assert.That(errors, Is.EqualTo(new[]
        {
            "InactiveAfterDays must be 0 or more (got -1)",
            "NewWithinDays must be 0 or more (got -5)",
            "ActiveWindowDays must be one of 30, 90, 180, 365 (got 100)",
            "ActiveMinOrders must be 1 or more (got 0)",
        }));
    }

    [Test]
    public void ThrowIfInvalid_TwoErrors_OneConfigurationExceptionListingBoth()
    {
        var options = new LifecycleOptions { ActiveWindowDays = 7, ActiveMinOrders = 0 };

        Assert.That(() => options.ThrowIfInvalid(),
            Throws.InstanceOf<ConfigurationException>()
                .With.Message.Contains("ActiveWindowDays").And.Message.Contains("ActiveMinOrders"));
    }
}
