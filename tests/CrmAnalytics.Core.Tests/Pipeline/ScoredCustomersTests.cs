using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Nps;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Segmentation;

namespace CrmAnalytics.Core.Tests.Pipeline;

public sealed class ScoredCustomersTests
{
    private static ScoredCustomers Table(int n)
    {
        var summaries = Enumerable.Range(0, n)
            .Select(i => TestCustomers.Make($"C{i:D6}", orders: 1 + (i % 7), recencyDays: i % 400, ageDays: 400 + (i % 300), gross: 10 + (i % 1000)))
            .ToArray();
        return CustomerSegmenter.Segment(new CustomerSummaryResult(new DateOnly(2025, 1, 1), summaries, 0), new CustomerScoringOptions()).Customers;
    }

    [Test]
    public void WithColumns_EachStageAddsItsColumn_RowsReadEveryColumnAndTheEarlierTableIsUnchanged()
    {
        var table = Table(1000);
        var clv = Enumerable.Range(0, table.Count).Select(i => new CustomerClv(i / 1000.0, i, 2 * i, 3 * i, 4 * i)).ToArray();
        var churn = Enumerable.Range(0, table.Count).Select(i => i % 2 == 0 ? CustomerChurn.Lapsed : new CustomerChurn(i / 1000.0, ChurnRisk.Low, [])).ToArray();
        var nps = Enumerable.Range(0, table.Count).Select(i => i % 3 == 0 ? new CustomerNps(i % 11, NpsCategory.Passive, null) : null).ToArray();

        var withClv = table.WithClv(clv);
        var all = withClv.WithChurn(churn).WithNps(nps);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.Select(c => c.Clv), Is.EqualTo(clv.Select(c => (CustomerClv?)c)));
            Assert.That(all.Select(c => c.Churn), Is.EqualTo(churn));
            Assert.That(all.Select(c => c.Nps), Is.EqualTo(nps));
            Assert.That(all.Select(c => (c.Summary, c.Rfm, c.Segment, c.Stage, c.TopValueTier)), Is.EqualTo(table.Select(c => (c.Summary, c.Rfm, c.Segment, c.Stage, c.TopValueTier))));
            Assert.That(table.Select(c => (c.Clv, c.Churn, c.Nps)), Is.All.EqualTo(((CustomerClv?)null, (CustomerChurn?)null, (CustomerNps?)null)));
            Assert.That(withClv.Select(c => c.Churn), Is.All.Null);
        }
    }

    [Test]
    public void ReadClv_ArrayOrListColumn_ReadsTheRowsValueAndNullWithoutClv()
    {
        var table = Table(100);
        var clv = Enumerable.Range(0, table.Count).Select(i => new CustomerClv(i / 100.0, i, 2 * i, 3 * i, 4 * i)).ToArray();
        CustomerClvField spend = (in c) => c.ExpectedAverageSpend;
        CustomerClvField noInterval = (in c) => c.Interval?.ClvLow;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(table.WithClv(clv).Select(c => c.ReadClv(spend)), Is.EqualTo(clv.Select(c => (double?)c.ExpectedAverageSpend)));
            Assert.That(table.WithClv(clv.ToList()).Select(c => c.ReadClv(spend)), Is.EqualTo(clv.Select(c => (double?)c.ExpectedAverageSpend)));
            Assert.That(table.WithClv(clv).Select(c => c.ReadClv(noInterval)), Is.All.Null);
            Assert.That(table.Select(c => c.ReadClv(spend)), Is.All.Null);
        }
    }

    [Test]
    public void WithClv_ColumnOfAnotherLength_Throws()
    {
        var table = Table(10);

        Assert.That(() => table.WithClv(new CustomerClv[9]), Throws.ArgumentException.With.Message.Contains("9 entries for 10 customers"));
    }

    [Test]
    public void Indexer_OutsideTheTable_ThrowsAndRowsAreEqualOnlyToTheSameRow()
    {
        var table = Table(3);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => table[3], Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => table[-1], Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(table[1], Is.EqualTo(table[1]));
            Assert.That(table[1], Is.Not.EqualTo(table[2]));
            Assert.That(table.WithClv(new CustomerClv[3])[1], Is.Not.EqualTo(table[1]));
            Assert.That(ScoredCustomers.Empty, Is.Empty);
        }
    }
}
