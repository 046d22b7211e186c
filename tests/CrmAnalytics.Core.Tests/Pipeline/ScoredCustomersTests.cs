using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Segmentation;

namespace CrmAnalytics.Core.Tests.Pipeline;

public sealed class ScoredCustomersTests
{
    [Test]
    public void With_MoreRowsThanOneRange_EachRowMappedWithItsOwnIndexInOrder()
    {
        // 40,001 rows: two full ranges of 16,384 and a partial one, so every boundary is crossed.
        var summaries = Enumerable.Range(0, 40_001)
            .Select(i => TestCustomers.Make($"C{i:D6}", orders: 1 + (i % 7), recencyDays: i % 400, ageDays: 400 + (i % 300), gross: 10 + (i % 1000)))
            .ToArray();
        var table = CustomerSegmenter.Segment(new CustomerSummaryResult(new DateOnly(2025, 1, 1), summaries, 0), new CustomerScoringOptions()).Customers;

        var mapped = ScoredCustomers.With(table, (c, i) => c with { TopValueTier = i % 3 == 0 });

        Assert.That(mapped.Select(c => c.Summary), Is.EqualTo(table.Select(c => c.Summary)).AsCollection);
        Assert.That(mapped.Select(c => c.TopValueTier), Is.EqualTo(Enumerable.Range(0, table.Count).Select(i => i % 3 == 0)));
        Assert.That(mapped.Select(c => (c.Rfm, c.Segment, c.Stage)), Is.EqualTo(table.Select(c => (c.Rfm, c.Segment, c.Stage))));
    }

    [Test]
    public void With_EmptyTable_IsEmpty() =>
        Assert.That(ScoredCustomers.With([], (c, _) => c), Is.Empty);
}
