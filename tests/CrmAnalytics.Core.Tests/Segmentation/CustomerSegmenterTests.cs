using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Rfm;
using CrmAnalytics.Core.Segmentation;

namespace CrmAnalytics.Core.Tests.Segmentation;

public sealed class CustomerSegmenterTests
{
    // Six customers, as of 2025-01-01 (last observed day 2024-12-31):
    //
    //  id  orders  recency  age  gross  returns  net  orders365d  priorYear
    //  A     6        5     700   600      0     600      4           2
    //  B     3       30     400   300     50     250      2           1
    //  C     1      100     100    80      0      80      1           0
    //  D     2      150     500   150      0     150      1           1
    //  E     1      400     400    40      0      40      0           1
    //  F     4       60     300   200     20     180      4           0
    //
    // RFM, n = 6, score = 1 + floor(5 × (minRank − 1) / 6): ranks 1..6 → 1, 1, 2, 3, 4, 5.
    //  R on −recency: E(400) 1, D(150) 2, C(100) 3, F(60) 4, B(30) 5, A(5) 6 → E1 D1 C2 F3 B4 A5.
    //  F on orders: C, E tie at 1 (rank 1), D(2) 3, B(3) 4, F(4) 5, A(6) 6 → C1 E1 D2 B3 F4 A5.
    //  M on net: E(40) 1, C(80) 2, D(150) 3, F(180) 4, B(250) 5, A(600) 6 → E1 C1 D2 F3 B4 A5.
    //  Codes: A 555, B 434, C 211, D 122, E 111, F 343.
    // Segments (default table, first match):
    //  A 555 → Champions. B 434 → Potential Loyalist (R3–5 F3–5 M2–5). F 343 → Potential Loyalist.
    //  C 211 → About To Sleep (R2 excludes PL, Promising, New; F1 excludes Loyal, CLT, At Risk, Need Attention; ATS R2–3 F1–3 M1–4).
    //  D 122, E 111 → Lost (R1; CLT/At Risk need M4–5, Need Attention F3–5).
    // Lifecycle (defaults): D recency 150 ≤ 180, age 500 ≥ 180, 1 occasion in 365 days < 2 → Occasional;
    //  E recency 400 > 180 → Inactive; C age 100 < 180 → New; A, B, F: recent, old, ≥ 2 in 365 days → Active.
    // Value tier: ceil(0.2 × 6) = 2 → A (600) and B (250).
    private static readonly CustomerSummary[] Six =
    [
        TestCustomers.Make("A", orders: 6, recencyDays: 5, ageDays: 700, gross: 600, windows: TestCustomers.Windows(orders365d: 4, priorYear: 2)),
        TestCustomers.Make("B", orders: 3, recencyDays: 30, ageDays: 400, gross: 300, returns: 50, windows: TestCustomers.Windows(orders365d: 2, priorYear: 1)),
        TestCustomers.Make("C", orders: 1, recencyDays: 100, ageDays: 100, gross: 80, windows: TestCustomers.Windows(orders365d: 1)),
        TestCustomers.Make("D", orders: 2, recencyDays: 150, ageDays: 500, gross: 150, windows: TestCustomers.Windows(orders365d: 1, priorYear: 1)),
        TestCustomers.Make("E", orders: 1, recencyDays: 400, ageDays: 400, gross: 40, windows: TestCustomers.Windows(priorYear: 1)),
        TestCustomers.Make("F", orders: 4, recencyDays: 60, ageDays: 300, gross: 200, returns: 20, windows: TestCustomers.Windows(orders365d: 4)),
    ];

    private static readonly CustomerScoringOptions HalfMargin = new() { Margin = 0.5 };

    private static ScoringResult SegmentSix() => CustomerSegmenter.Segment(new CustomerSummaryResult(TestCustomers.AsOf, Six, 0), HalfMargin);

    [Test]
    public void Segment_SixCustomers_RowsInInputOrderWithHandWorkedColumns()
    {
        var rows = SegmentSix().Customers.Select(c => (c.Summary.CustomerId, c.Rfm.Code, c.Segment.Slug, c.Stage, c.TopValueTier));

        Assert.That(rows, Is.EqualTo(new[]
        {
            ("A", "555", "champions", LifecycleStage.Active, true),
            ("B", "434", "potential-loyalist", LifecycleStage.Active, true),
            ("C", "211", "about-to-sleep", LifecycleStage.New, false),
            ("D", "122", "lost", LifecycleStage.Occasional, false),
            ("E", "111", "lost", LifecycleStage.Inactive, false),
            ("F", "343", "potential-loyalist", LifecycleStage.Active, false),
        }));
    }

    [Test]
    public void Segment_SixCustomers_SegmentStatsForEveryRuleAndOthers()
    {
        // Total net revenue = 600 + 250 + 80 + 150 + 40 + 180 = 1300.
        // Champions: A → 1, 600. Potential Loyalist: B, F → 2, 250 + 180 = 430. About To Sleep: C → 1, 80.
        // Lost: D, E → 2, 150 + 40 = 190. Every other rule and Others: 0.
        var stats = SegmentSix().Segments;

        var expected = new (string Slug, int Customers, double Revenue)[]
        {
            ("champions", 1, 600), ("potential-loyalist", 2, 430), ("loyal-customers", 0, 0), ("promising", 0, 0),
            ("new-customers", 0, 0), ("cant-lose-them", 0, 0), ("at-risk", 0, 0), ("need-attention", 0, 0),
            ("about-to-sleep", 1, 80), ("lost", 2, 190), ("others", 0, 0),
        };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stats.Select(s => (s.Slug, s.Customers, s.Revenue)), Is.EqualTo(expected));
            Assert.That(stats.Select(s => s.CustomerShare), Is.EqualTo(expected.Select(e => e.Customers / 6.0)).Within(1e-15));
            Assert.That(stats.Select(s => s.RevenueShare), Is.EqualTo(expected.Select(e => e.Revenue / 1300.0)).Within(1e-15));
            Assert.That(stats[^1].Name, Is.EqualTo("Others"));
        }
    }

    [Test]
    public void Segment_SixCustomers_StageStatsInEnumOrder()
    {
        // Inactive: E (40). New: C (80). Active: A, B, F (600 + 250 + 180 = 1030). Occasional: D (150).
        var stats = SegmentSix().Stages;

        Assert.That(stats, Is.EqualTo(new[]
        {
            new LifecycleStat(LifecycleStage.Inactive, 1, 40),
            new LifecycleStat(LifecycleStage.New, 1, 80),
            new LifecycleStat(LifecycleStage.Active, 3, 1030),
            new LifecycleStat(LifecycleStage.Occasional, 1, 150),
        }));
    }

    [Test]
    public void Segment_SixCustomers_HandWorkedKpis()
    {
        // Customers 6; repeat (≥ 2 occasions): A, B, D, F = 4 → repurchase rate 4 / 6.
        // Revenue (net) 1300. Gross 600 + 300 + 80 + 150 + 40 + 200 = 1370; occasions 6 + 3 + 1 + 2 + 1 + 4 = 17.
        // AOV = 1370 / 17 = 80.5882…; purchase frequency = 17 / 6 = 2.8333….
        // Retention: bought in the prior year A, B, D, E (4); of those, bought in the last 365 days A, B, D (3) → 0.75.
        // Value tier A + B: 2 / 6 of customers, (600 + 250) / 1300 = 850 / 1300 of revenue.
        // Simple CLV: yearly occasions per customer active in the last year = (4 + 2 + 1 + 1 + 0 + 4) / 5 (A, B, C, D, F) = 2.4;
        // CLV = AOV × 2.4 × margin 0.5 / (1 − 0.75) = (1370 / 17) × 2.4 × 0.5 × 4 = (1370 / 17) × 4.8 = 6576 / 17 = 386.8235….
        var kpis = SegmentSix().Kpis;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(kpis.Customers, Is.EqualTo(6));
            Assert.That(kpis.RepeatCustomers, Is.EqualTo(4));
            Assert.That(kpis.Revenue, Is.EqualTo(1300));
            Assert.That(kpis.RepurchaseRate, Is.EqualTo(4.0 / 6).Within(1e-15));
            Assert.That(kpis.RetentionRate, Is.EqualTo(0.75));
            Assert.That(kpis.AverageOrderValue, Is.EqualTo(1370.0 / 17).Within(1e-12));
            Assert.That(kpis.PurchaseFrequency, Is.EqualTo(17.0 / 6).Within(1e-15));
            Assert.That(kpis.TopTierShareOfCustomers, Is.EqualTo(2.0 / 6).Within(1e-15));
            Assert.That(kpis.TopTierRevenueShare, Is.EqualTo(850.0 / 1300).Within(1e-15));
            Assert.That(kpis.SimpleClv, Is.EqualTo(6576.0 / 17).Within(1e-9));
        }
    }

    [Test]
    public void Segment_SixCustomers_KeepsAsOf()
    {
        Assert.That(SegmentSix().AsOf, Is.EqualTo(new DateOnly(2025, 1, 1)));
    }

    [Test]
    public void Segment_NobodyInPriorYear_RetentionAndClvNull()
    {
        // Only C and F have no prior-year occasion; without a prior-year cohort retention (and so the CLV) is unknown.
        var result = CustomerSegmenter.Segment(new CustomerSummaryResult(TestCustomers.AsOf, [Six[2], Six[5]], 0), new CustomerScoringOptions());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Kpis.RetentionRate, Is.Null);
            Assert.That(result.Kpis.SimpleClv, Is.Null);
        }
    }

    [Test]
    public void Segment_FullRetention_ClvNull()
    {
        // A and B both bought in the prior year and the last year: retention 1, 1 / (1 − 1) is unbounded → null.
        var result = CustomerSegmenter.Segment(new CustomerSummaryResult(TestCustomers.AsOf, [Six[0], Six[1]], 0), new CustomerScoringOptions());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Kpis.RetentionRate, Is.EqualTo(1.0));
            Assert.That(result.Kpis.SimpleClv, Is.Null);
        }
    }

    [Test]
    public void Segment_NoCustomers_ZeroesAndEverySegmentListed()
    {
        var result = CustomerSegmenter.Segment(new CustomerSummaryResult(TestCustomers.AsOf, [], 3), new CustomerScoringOptions());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Customers, Is.Empty);
            Assert.That(result.Segments, Has.Count.EqualTo(RfmSegmentRules.Default.Rules.Count + 1));
            Assert.That(result.Segments.Select(s => (s.Customers, s.CustomerShare, s.RevenueShare)), Is.All.EqualTo((0, 0.0, 0.0)));
            Assert.That(result.Stages, Has.Count.EqualTo(4));
            Assert.That(result.Kpis, Is.EqualTo(new CustomerKpis(0, 0, 0, 0, null, 0, 0, 0, 0, null)));
        }
    }

    [Test]
    public void Segment_CustomRules_StatsFollowTheirOrderThenOthers()
    {
        // Only "Recent" (R4–5): A (R5) and B (R4) → 2 customers, 850; everyone else → Others, 4 customers, 450.
        var options = new CustomerScoringOptions { Segments = new RfmSegmentRules([new RfmSegmentRule("Recent", "recent", 4, 5, 1, 5, 1, 5)]) };

        var stats = CustomerSegmenter.Segment(new CustomerSummaryResult(TestCustomers.AsOf, Six, 0), options).Segments;

        Assert.That(stats.Select(s => (s.Slug, s.Customers, s.Revenue)), Is.EqualTo(new[] { ("recent", 2, 850.0), ("others", 4, 450.0) }));
    }

    [Test]
    public void Segment_InvalidOptions_OneConfigurationExceptionListingAll()
    {
        var options = new CustomerScoringOptions { TopShare = 1.5, Margin = 0, Lifecycle = new LifecycleOptions { ActiveWindowDays = 45 } };

        var ex = Assert.Throws<ConfigurationException>(() => CustomerSegmenter.Segment(new CustomerSummaryResult(TestCustomers.AsOf, Six, 0), options))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Message, Does.Contain("TopShare must be between 0 and 1 (got 1.5)"));
            Assert.That(ex.Message, Does.Contain("Margin must be greater than 0 and at most 1 (got 0)"));
            Assert.That(ex.Message, Does.Contain("ActiveWindowDays must be one of 30, 90, 180, 365 (got 45)"));
        }
    }
}
