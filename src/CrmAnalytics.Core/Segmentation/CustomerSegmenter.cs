using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Parallelism;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Segmentation;

/// <summary>Adds RFM scores and segments, lifecycle stages and the value tier to the customer summary, and aggregates them.</summary>
public static class CustomerSegmenter
{
    /// <summary>Scores every customer and computes the segment, stage and KPI aggregates.</summary>
    /// <returns>Customers in the summary's order; a <see cref="SegmentStat"/> for every rule in table order and then
    /// Others, including empty ones; a <see cref="LifecycleStat"/> for every stage in enum order.</returns>
    /// <remarks>
    /// Revenue is net (<see cref="CustomerSummary.MonetaryTotal"/>). A revenue share is 0 when total net revenue is 0
    /// or less, and every customer share is 0 when there are no customers. The KPIs follow <see cref="CustomerKpis.From"/>.
    /// </remarks>
    /// <exception cref="ConfigurationException">The options are invalid; every problem is listed.</exception>
    public static ScoringResult Segment(CustomerSummaryResult summary, CustomerScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        // The RFM ranks and the value tier sort independently of each other.
        var scores = Task.Run(() => RfmScorer.Score(summary.Customers));
        var tier = ValueTier.TopTier(summary.Customers, options.TopShare);
        return Segment(summary, options, scores.GetAwaiter().GetResult(), tier);
    }

    /// <summary>
    /// As <see cref="Segment(CustomerSummaryResult, CustomerScoringOptions)"/>, with RFM scores and tier flags given, e.g.
    /// from a population's <see cref="RfmBreakpoints"/> and <see cref="ValueTierCut"/> when scoring one shard of it.
    /// </summary>
    /// <param name="scores">Aligned with the summary's customers.</param>
    /// <param name="tier">Aligned with the summary's customers.</param>
    public static ScoringResult Segment(CustomerSummaryResult summary, CustomerScoringOptions options, IReadOnlyList<RfmScore> scores, IReadOnlyList<bool> tier)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(tier);
        options.ThrowIfInvalid();

        var customers = summary.Customers;
        var n = customers.Count;
        if (scores.Count != n || tier.Count != n)
        {
            throw new ArgumentException("There must be one RFM score and one tier flag per customer.", nameof(scores));
        }

        var rules = options.Segments;

        var segmentCustomers = new int[rules.Rules.Count + 1];
        var segmentRevenue = new double[rules.Rules.Count + 1];
        var stages = Enum.GetValues<LifecycleStage>();
        var stageCustomers = new int[stages.Length];
        var stageRevenue = new double[stages.Length];
        var stageOf = new LifecycleStage[n];

        var revenue = 0.0;
        var gross = 0.0;
        long orders = 0;
        long orders365 = 0;
        var repeat = 0;
        var active365 = 0;
        var priorYear = 0;
        var retained = 0;
        var tierCount = 0;
        var tierRevenue = 0.0;

        // Rows are classified on all cores; the sums below then run in customer order, so their rounding is the same.
        var segmentOf = new int[n];
        Ranges.For(n, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                segmentOf[i] = rules.IndexOf(scores[i]);
                stageOf[i] = Lifecycle.Classify(customers[i], options.Lifecycle);
            }
        });

        for (var i = 0; i < n; i++)
        {
            var c = customers[i];
            var money = c.MonetaryTotal;
            var segment = segmentOf[i];
            var stage = stageOf[i];

            segmentCustomers[segment]++;
            segmentRevenue[segment] += money;
            stageCustomers[(int)stage]++;
            stageRevenue[(int)stage] += money;

            revenue += money;
            gross += c.GrossSpend;
            orders += c.Orders;
            orders365 += c.Windows.Orders365d;
            if (c.Orders >= 2)
            {
                repeat++;
            }

            if (c.Windows.Orders365d > 0)
            {
                active365++;
            }

            if (c.Windows.OrdersPriorYear > 0)
            {
                priorYear++;
                if (c.Windows.Orders365d > 0)
                {
                    retained++;
                }
            }

            if (tier[i])
            {
                tierCount++;
                tierRevenue += money;
            }
        }

        var segments = new SegmentStat[rules.Rules.Count + 1];
        for (var s = 0; s < segments.Length; s++)
        {
            var rule = s < rules.Rules.Count ? rules.Rules[s] : rules.Others;
            segments[s] = new SegmentStat(rule.Name, rule.Slug, segmentCustomers[s], segmentRevenue[s],
                Share(segmentCustomers[s], n), RevenueShare(segmentRevenue[s], revenue));
        }

        var stageStats = new LifecycleStat[stages.Length];
        for (var s = 0; s < stages.Length; s++)
        {
            stageStats[s] = new LifecycleStat(stages[s], stageCustomers[s], stageRevenue[s]);
        }

        var kpis = CustomerKpis.From(new KpiTotals(n, repeat, revenue, gross, orders, orders365, active365, priorYear, retained, tierCount, tierRevenue), options.Margin);

        var rows = new ScoredCustomers(customers, scores, [.. rules.Rules, rules.Others], segmentOf, stageOf, tier);
        return new ScoringResult(summary.AsOf, rows, Array.AsReadOnly(segments), Array.AsReadOnly(stageStats), kpis);
    }

    private static double Share(int part, int whole) => whole > 0 ? (double)part / whole : 0.0;

    private static double RevenueShare(double part, double total) => total > 0 ? part / total : 0.0;
}
