using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Scoring;
using CrmAnalytics.Churn.Tests.TestSupport;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Churn.Tests.Features;

[TestFixture]
[NonParallelizable]
public sealed class ChurnActiveBaseTests
{
    private static readonly DateOnly D0 = new(2024, 1, 1);

    [Test]
    public void ActiveBase_RowsInSeveralCopyRanges_EachKeptRowCarriesItsOwnValuesLabelAndPAlive()
    {
        // 40,000 rows: the subset is copied in ranges of 16,384, so every range boundary is crossed.
        var schema = ChurnFeatureBuilder.DeriveSchema(new ChurnInputs());
        var n = 40_000;
        var width = schema.Count;
        var rows = Enumerable.Range(0, n)
            .Select(i => new CustomerAtCutoff(i, 1 + (i % 5), i % 50, 60 + (i % 400), i % 400, 10 + i, 0, 0, 0, 0, new WindowCounts(0, 0, 0, 0, 0, 0, 0, 0, 0)))
            .ToArray();
        var values = Enumerable.Range(0, n * width).Select(v => (float)v).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => i % 3 == 0).ToArray();
        var alive = Enumerable.Range(0, n).Select(i => i / (double)n).ToArray();
        var keys = rows.Select(r => new CustomerKeys(r.Orders, r.TxDays, r.AgeDays, r.RecencyDays, r.MonetaryTotal)).ToArray();
        var data = new ChurnDataset(schema, D0, Enumerable.Range(0, n).Select(i => $"C{i:D5}").ToArray(), keys, values, labels, alive);

        var active = data.ActiveBase(365);

        var kept = Enumerable.Range(0, n).Where(i => rows[i].RecencyDays < 365).ToArray();
        Assert.That(kept, Has.Length.GreaterThan(2 * 16_384));
        Assert.That(active.CustomerIds, Is.EqualTo(kept.Select(i => $"C{i:D5}")));
        Assert.That(active.Rows, Is.EqualTo(kept.Select(i => keys[i])));
        Assert.That(active.Labels, Is.EqualTo(kept.Select(i => labels[i])));
        Assert.That(active.ProbabilityAlive, Is.EqualTo(kept.Select(i => alive[i])));
        Assert.That(active.Values, Is.EqualTo(kept.SelectMany(i => values.Skip(i * width).Take(width))));
    }

    [Test]
    public void ActiveBase_HandBuiltTimelines_KeepsAnOccasionWithinTheWindow()
    {
        // Cut-off day 100, window 30 days: an occasion on days 70 … 99 makes a customer active.
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D0.AddDays(10), 5);
        b.AddPurchase("A", D0.AddDays(70), 5);   // 30 days before: active
        b.AddPurchase("B", D0.AddDays(69), 5);   // 31 days before: lapsed
        b.AddPurchase("B", D0.AddDays(120), 5);  // after the cut-off: does not count
        b.AddPurchase("C", D0.AddDays(99), 5);   // the day before: active
        b.AddPurchase("D", D0.AddDays(5), 5);
        b.AddReturn("D", D0.AddDays(90), -5);    // a return is not an occasion: lapsed

        var all = ChurnFeatureBuilder.Build(b, D0.AddDays(100), ChurnFeatureBuilder.DeriveSchema(new ChurnInputs()), new ChurnInputs(), 30);
        var active = all.ActiveBase(30);

        Assert.That(all.CustomerIds, Is.EqualTo(new[] { "A", "B", "C", "D" }));
        Assert.That(active.CustomerIds, Is.EqualTo(new[] { "A", "C" }));
        Assert.That(active.Labels, Is.EqualTo(new[] { true, true }));
        Assert.That(active.Row(1).ToArray(), Is.EqualTo(all.Row(2).ToArray()), "the rows move with their customers");
    }

    [Test]
    public void Evaluate_Synthetic_HeadlineOnTheActiveBaseAllCustomersBeside()
    {
        var builder = SyntheticHistories.Build(3_000, seed: 7);
        var options = new ChurnTrainingOptions { Trees = 30, Leaves = 8, MinimumLeafRows = 10, ActiveDays = 120 };

        var result = ChurnWorkflow.Evaluate(builder, SyntheticHistories.AsOf, 90, new ChurnInputs(), options);

        // Counted independently from the summaries at the test cut-off.
        var testCutoff = SyntheticHistories.AsOf.AddDays(-90);
        var customers = builder.Build(testCutoff).Customers;
        var active = customers.Count(c => c.LastPurchase >= testCutoff.AddDays(-120));
        Assert.That(result.Model.Count, Is.EqualTo(active));
        Assert.That(result.All.Model.Count, Is.EqualTo(customers.Count));
        Assert.That(active, Is.LessThan(customers.Count), "some customers are lapsed, so the populations differ");
        Assert.That(result.TrainRows, Is.EqualTo(builder.Build(testCutoff.AddDays(-180)).Customers.Count(c => c.LastPurchase >= testCutoff.AddDays(-300))));
        Assert.That(result.Baselines.Select(m => m.Name), Is.EqualTo(new[] { "recency", "bgnbd_1_minus_p_alive", "recency_over_own_gap" }));
        Assert.That(result.All.Baselines.Select(m => m.Count), Is.All.EqualTo(customers.Count));
        Assert.That(result.Baselines.Select(m => m.Count), Is.All.EqualTo(active));
    }

    [Test]
    public void Score_Synthetic_LapsedHaveNoProbabilityAndTheTopTenthOfTheBaseIsHigh()
    {
        var builder = SyntheticHistories.Build(2_000, seed: 9);
        var options = new ChurnTrainingOptions { Trees = 20, Leaves = 8, MinimumLeafRows = 10, ActiveDays = 120 };
        var trained = ChurnWorkflow.Train(builder, SyntheticHistories.AsOf, 90, new ChurnInputs(), options);

        var result = ChurnScorer.Score(trained.Model, builder, SyntheticHistories.AsOf, new ChurnInputs(), 120, new ChurnBandOptions());

        var customers = builder.Build(SyntheticHistories.AsOf).Customers;
        var lapsed = customers.Select(c => c.LastPurchase < SyntheticHistories.AsOf.AddDays(-120)).ToArray();
        Assert.That(result.Customers.Select(c => c.Risk == ChurnRisk.Lapsed), Is.EqualTo(lapsed));
        Assert.That(result.Customers.Where(c => c.Risk == ChurnRisk.Lapsed).Select(c => c.Probability), Is.All.Null);
        Assert.That(result.Active, Is.EqualTo(lapsed.Count(l => !l)));
        Assert.That(result.Customers.Count(c => c.Risk == ChurnRisk.High), Is.EqualTo((int)Math.Round(0.1 * result.Active, MidpointRounding.AwayFromZero)));
        Assert.That(result.Customers.Count(c => c.Risk == ChurnRisk.Medium), Is.EqualTo((int)Math.Round(0.3 * result.Active, MidpointRounding.AwayFromZero) - (int)Math.Round(0.1 * result.Active, MidpointRounding.AwayFromZero)));
        var lowestHigh = result.Customers.Where(c => c.Risk == ChurnRisk.High).Min(c => c.Probability!.Value);
        Assert.That(result.Bands.HighCutoff, Is.EqualTo(lowestHigh));
        Assert.That(result.Customers.Where(c => c.Risk == ChurnRisk.Medium).Select(c => c.Probability!.Value), Is.All.LessThanOrEqualTo(lowestHigh));
        Assert.That(result.Customers.Where(c => c.Reasons.Count > 0).Select(c => c.ReasonTexts.Count == c.Reasons.Count), Is.All.True);
    }

    [Test]
    public void RecencyOverOwnGap_HandWorked_OneTimersUseTheMedianGap()
    {
        // A: occasions on days 0, 10, 20, recency at cut-off day 100 = 99 − 20 = 79, mean gap 10 → 7.9.
        // B: days 0, 40 → recency 59, gap 40 → 1.475. C: one occasion on day 90 → recency 9 over the median mean gap of
        // the repeat buyers (10 and 40 → the upper middle, 40) = 0.225.
        var b = new CustomerSummaryBuilder();
        foreach (var d in new[] { 0, 10, 20 })
        {
            b.AddPurchase("A", D0.AddDays(d), 5);
        }

        b.AddPurchase("B", D0, 5);
        b.AddPurchase("B", D0.AddDays(40), 5);
        b.AddPurchase("C", D0.AddDays(90), 5);

        var score = ChurnWorkflow.RecencyOverOwnGap(b.Build(D0.AddDays(100)).Customers);

        Assert.That(score, Is.EqualTo(new[] { 7.9, 1.475, 0.225 }).Within(1e-12));
    }

    [Test]
    public void ActiveBase_EveryoneActive_IsTheDatasetItselfWithoutACopy()
    {
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D0.AddDays(10), 5);
        b.AddPurchase("B", D0.AddDays(69), 5);
        b.AddPurchase("C", D0.AddDays(99), 5);
        var all = ChurnFeatureBuilder.Build(b, D0.AddDays(100), ChurnFeatureBuilder.DeriveSchema(new ChurnInputs()), new ChurnInputs(), 30);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(all.ActiveBase(90), Is.SameAs(all));
            Assert.That(all.ActiveBase(89).CustomerIds, Is.EqualTo(new[] { "B", "C" }));
        }
    }
}
