using CrmAnalytics.Core.Parallelism;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Churn.Tests.TestSupport;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Nps;
using CrmAnalytics.Core.Pipeline;

namespace CrmAnalytics.Churn.Tests.Features;

[TestFixture]
public sealed class ChurnFeatureBuilderTests
{
    private static readonly DateOnly D0 = new(2024, 1, 1);
    private static readonly DateOnly Cutoff = D0.AddDays(100);

    [Test]
    public void Labels_HandBuiltTimelines_FollowTheHorizonWindow()
    {
        // Horizon 30: the label window is [cut-off, cut-off + 30) = days 100..129.
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D0.AddDays(10), 5);   // bought again on day 120: retained
        b.AddPurchase("A", D0.AddDays(120), 5);
        b.AddPurchase("B", D0.AddDays(20), 5);   // next purchase on day 130, just outside: churned
        b.AddPurchase("B", D0.AddDays(130), 5);
        b.AddPurchase("C", D0.AddDays(100), 5);  // first purchase on the cut-off day: not in the training rows
        b.AddPurchase("D", D0.AddDays(50), 5);   // bought on the cut-off day itself: retained
        b.AddPurchase("D", D0.AddDays(100), 5);
        b.AddPurchase("E", D0.AddDays(99), 5);   // bought the day before, never again: churned
        b.AddReturn("F", D0.AddDays(5), -5);     // only a return: no purchase, no row

        var data = ChurnFeatureBuilder.Build(b, Cutoff, ChurnFeatureBuilder.DeriveSchema(new ChurnInputs()), new ChurnInputs(), 30);

        Assert.That(data.CustomerIds, Is.EqualTo(new[] { "A", "B", "D", "E" }));
        Assert.That(data.Labels, Is.EqualTo(new[] { false, true, false, true }));
    }

    [Test]
    public void Build_ActiveDays_HandBuiltTimelines_EqualTheActiveBaseOfTheFullBuild()
    {
        // Active window 30 days before the cut-off (days 70..99): A (day 80), C (day 99) and E (day 70) are active,
        // B (last purchase day 69) and D (day 10) are lapsed.
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D0.AddDays(10), 5);
        b.AddPurchase("A", D0.AddDays(80), 7);
        b.AddPurchase("A", D0.AddDays(110), 5);
        b.AddPurchase("B", D0.AddDays(69), 5);
        b.AddPurchase("C", D0.AddDays(99), 9);
        b.AddPurchase("D", D0.AddDays(10), 5);
        b.AddPurchase("D", D0.AddDays(105), 5);
        b.AddPurchase("E", D0.AddDays(70), 3);
        var inputs = new ChurnInputs();
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);

        var active = ChurnFeatureBuilder.Build(b, Cutoff, schema, inputs, 30, activeDays: 30);
        var reference = ChurnFeatureBuilder.Build(b, Cutoff, schema, inputs, 30).ActiveBase(30);

        Assert.That(active.CustomerIds, Is.EqualTo(new[] { "A", "C", "E" }));
        Assert.That(active.Labels, Is.EqualTo(new[] { false, true, true }));
        AssertSameRows(active, reference);
    }

    [Test]
    public void Build_ActiveDays_SyntheticHistories_EqualTheActiveBaseOfTheFullBuild()
    {
        var inputs = new ChurnInputs { Clv = new ClvScoringOptions() };
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var builder = TestBuilder();
        var cutoff = SyntheticHistories.Start.AddDays(500);

        var active = ChurnFeatureBuilder.Build(builder, cutoff, schema, inputs, 90, activeDays: 120);
        var full = ChurnFeatureBuilder.Build(builder, cutoff, schema, inputs, 90);

        Assert.That(active.Count, Is.InRange(1, full.Count - 1), "some customers are lapsed: the subset is not the whole base");
        AssertSameRows(active, full.ActiveBase(120));
    }

    [Test]
    public void ChurnCutoffs_OneWalkAtThreeCutoffs_EqualTheSnapshotFeaturesAtEachCutoff()
    {
        var inputs = new ChurnInputs { Clv = new ClvScoringOptions() };
        var start = SyntheticHistories.Start;

        AssertWalkEqualsSnapshots(TestBuilder(), [new(start.AddDays(320), 120, 90), new(start.AddDays(410), 120, 90), new(start.AddDays(500), null, 90)], inputs);
    }

    /// <summary>
    /// The evaluation's training cut-off builds only the classifier's sample, drawn by the walk from the labels: the rows
    /// must be those the trainer would pick from the build of all, with the same labels, P(alive) and features (RFM
    /// ranks and the purchase model still come from every customer at the cut-off). 40,000 customers are three ranges
    /// of the walk (16,384 each), so the sample's rows are placed across ranges.
    /// </summary>
    [Test]
    public void ChurnCutoffs_WalkBuildsOnlyTheSample_EqualsTheSampleOfTheFullBuild()
    {
        var inputs = new ChurnInputs { Clv = new ClvScoringOptions() };
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var builder = SyntheticHistories.Build(40_000, seed: 9);
        var (training, later) = (new CutoffRequest(SyntheticHistories.Start.AddDays(500), 120, 90), new CutoffRequest(SyntheticHistories.Start.AddDays(590), null, 90));
        var sampled = new ChurnCutoffs(builder, [training with { Sample = l => ChurnTrainingSample.Rows(l, l.Length / 3, seed: 7) }, later], schema, inputs);
        var labels = sampled.Labels(0);

        var actual = sampled.Build(0);
        var full = new ChurnCutoffs(builder, [training, later], schema, inputs);
        var fullTraining = full.Build(0);
        var rows = ChurnTrainingSample.Rows(fullTraining, labels.Length / 3, seed: 7)!;

        Assert.That(labels, Is.EqualTo(fullTraining.Labels));
        Assert.That(actual.Count, Is.EqualTo(labels.Length / 3).And.LessThan(fullTraining.Count));
        Assert.That(rows, Has.Some.GreaterThan(Ranges.Size), "the sample reaches past the first range");
        AssertSameRows(actual, fullTraining.Subset(rows));
        AssertSameRows(sampled.Build(1), full.Build(1));
    }

    [Test]
    public void ChurnCutoffs_SampleOfNone_BuildsEveryRow_AndASampleNeedsLabels()
    {
        var inputs = new ChurnInputs { Clv = new ClvScoringOptions() };
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var training = new CutoffRequest(SyntheticHistories.Start.AddDays(500), 120, 90);
        var all = new ChurnCutoffs(TestBuilder(), [training with { Sample = _ => null }], schema, inputs);

        AssertSameRows(all.Build(0), new ChurnCutoffs(TestBuilder(), [training], schema, inputs).Build(0));
        Assert.That(() => TestBuilder().Cutoffs([training with { LabelHorizonDays = null, Sample = _ => null }]), Throws.ArgumentException);
    }

    [Test]
    public void ChurnCutoffs_SourceRowsInChunks_EqualTheFullBuildAndItsActiveBase()
    {
        // The evaluation scores everyone at the test cut-off a chunk at a time and builds only its active base as rows.
        var inputs = new ChurnInputs { Clv = new ClvScoringOptions() };
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        CutoffRequest[] request = [new(SyntheticHistories.Start.AddDays(500), null, 90)];
        var source = new ChurnCutoffs(TestBuilder(), request, schema, inputs).Source(0);
        var full = new ChurnCutoffs(TestBuilder(), request, schema, inputs).Build(0);
        var (labels, keys) = (source.Labels(), Enumerable.Range(0, source.Count).Select(source.Key).ToArray());
        var half = source.Count / 2;

        var first = source.Rows(Enumerable.Range(0, half).ToArray(), labels[..half]);
        var second = source.Rows(Enumerable.Range(half, source.Count - half).ToArray(), labels[half..]);
        var active = ChurnFeatureBuilder.ActiveRows(keys.Length, i => keys[i].RecencyDays, 120);

        Assert.That(labels, Is.EqualTo(full.Labels));
        Assert.That(keys, Is.EqualTo(full.Rows));
        Assert.That(source.ProbabilityAlive, Is.EqualTo(full.ProbabilityAlive));
        Assert.That(half, Is.GreaterThan(0).And.LessThan(source.Count));
        AssertSameRows(first, full.Subset(Enumerable.Range(0, half).ToArray()));
        AssertSameRows(second, full.Subset(Enumerable.Range(half, source.Count - half).ToArray()));
        Assert.That(active, Has.Length.GreaterThan(0).And.Length.LessThan(source.Count));
        AssertSameRows(source.Rows(active, Array.ConvertAll(active, i => labels[i])), full.ActiveBase(120));
    }

    [Test]
    public void ChurnCutoffs_LabelsOfAnUnlabelledCutoff_Throws()
    {
        var inputs = new ChurnInputs();
        var cutoffs = new ChurnCutoffs(TestBuilder(), [new CutoffRequest(SyntheticHistories.Start.AddDays(400), 120, null)], ChurnFeatureBuilder.DeriveSchema(inputs), inputs);

        Assert.Throws<InvalidOperationException>(() => cutoffs.Labels(0));
    }

    [Test]
    public void ChurnCutoffs_CutoffBuiltTwice_Throws()
    {
        var inputs = new ChurnInputs();
        var cutoffs = new ChurnCutoffs(TestBuilder(), [new CutoffRequest(SyntheticHistories.Start.AddDays(400), 120, 90)], ChurnFeatureBuilder.DeriveSchema(inputs), inputs);
        cutoffs.Build(0);

        Assert.Throws<InvalidOperationException>(() => cutoffs.Build(0));
    }

    /// <summary>
    /// The rows of each cut-off of one walk equal those computed from <see cref="CustomerSummary"/> objects: the
    /// snapshot at the cut-off (its summary, RFM scores and a purchase model fitted on it), with labels counted by id.
    /// </summary>
    internal static void AssertWalkEqualsSnapshots(CustomerSummaryBuilder builder, CutoffRequest[] requests, ChurnInputs inputs)
    {
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var walk = new ChurnCutoffs(builder, requests, schema, inputs);
        for (var k = 0; k < requests.Length; k++)
        {
            var (cutoff, active, horizon, _) = requests[k];
            var snapshot = CustomerSnapshot.At(builder, cutoff);
            var rows = active is { } days ? ChurnFeatureBuilder.ActiveRows(snapshot.Customers, days) : null;
            var expected = ChurnFeatureBuilder.Build(snapshot, rows, schema, inputs);
            var actual = walk.Build(k);
            var label = $"cut-off {cutoff:yyyy-MM-dd}";

            Assert.That(actual.Count, Is.GreaterThan(0), label);
            Assert.That(actual.CustomerIds, Is.EqualTo(expected.CustomerIds), label);
            Assert.That(actual.Rows, Is.EqualTo(expected.Rows), label);
            Assert.That(actual.ProbabilityAlive, Is.EqualTo(expected.ProbabilityAlive), label);
            Assert.That(actual.Values, Is.EqualTo(expected.Values), label);
            Assert.That(actual.Labels, Is.EqualTo(builder.CountOccasions(rows is null ? snapshot.Customers : [.. rows.Select(i => snapshot.Customers[i])], cutoff, cutoff.AddDays(horizon!.Value)).Select(c => c == 0)), label);
        }
    }

    /// <summary>Same customers, labels, P(alive) and feature values, bit for bit.</summary>
    internal static void AssertSameRows(ChurnDataset actual, ChurnDataset expected)
    {
        Assert.That(actual.CustomerIds, Is.EqualTo(expected.CustomerIds));
        Assert.That(actual.Rows, Is.EqualTo(expected.Rows));
        Assert.That(actual.Labels, Is.EqualTo(expected.Labels));
        Assert.That(actual.ProbabilityAlive, Is.EqualTo(expected.ProbabilityAlive));
        Assert.That(actual.Values, Is.EqualTo(expected.Values));
    }

    [Test]
    public void Build_PostCutoffTransactions_DoNotChangeAnyTrainingFeature()
    {
        var cutoff = SyntheticHistories.Start.AddDays(500);
        var inputs = new ChurnInputs { Clv = new ClvScoringOptions() };
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var before = TestBuilder();
        var after = TestBuilder();
        // Later purchases by existing customers, a new customer, a large return: all on or after the cut-off.
        after.AddPurchase("C00001", cutoff, 1_000);
        after.AddPurchase("C00002", cutoff.AddDays(40), 50);
        after.AddPurchase("NEW", cutoff.AddDays(1), 10);
        after.AddReturn("C00003", cutoff.AddDays(3), -500);

        var a = ChurnFeatureBuilder.Build(before, cutoff, schema, inputs);
        var b = ChurnFeatureBuilder.Build(after, cutoff, schema, inputs);

        Assert.That(b.CustomerIds, Is.EqualTo(a.CustomerIds));
        Assert.That(b.Values, Is.EqualTo(a.Values), "a transaction on or after the cut-off leaked into a feature");
        // The check can fail: the same purchase one day earlier does move features.
        var leaky = TestBuilder();
        leaky.AddPurchase("C00001", cutoff.AddDays(-1), 1_000);
        Assert.That(ChurnFeatureBuilder.Build(leaky, cutoff, schema, inputs).Values, Is.Not.EqualTo(a.Values));
    }

    [Test]
    public void SummaryFeatures_HandWorkedCustomer()
    {
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", Cutoff.AddDays(-50), 40);   // occasions 50, 30 and 10 days before the window end + 1
        b.AddPurchase("A", Cutoff.AddDays(-30), 20);
        b.AddPurchase("A", Cutoff.AddDays(-10), 60);
        b.AddReturn("A", Cutoff.AddDays(-9), -12);
        var data = ChurnFeatureBuilder.Build(b, Cutoff, ChurnFeatureBuilder.DeriveSchema(new ChurnInputs()), new ChurnInputs());
        var f = Features(data, 0);

        // Window end = cut-off − 1 day: recency 9, tenure 49, gaps 20 and 20 (mean 20, std 0), ratio 9/20.
        Assert.That((f["recency_days"], f["frequency"], f["tenure_days"]), Is.EqualTo((9f, 2f, 49f)));
        Assert.That((f["mean_gap_days"], f["gap_std_days"], f["recency_gap_ratio"]), Is.EqualTo((20f, 0f, 0.45f)));
        // 2 occasions in 30 days, 3 in 90; trend = 3 / (3 × 90/365) = 365/90; no prior year → −1; returns 12/120.
        Assert.That((f["orders_30d"], f["orders_90d"], f["spend_30d"]), Is.EqualTo((2f, 3f, 80f)));
        Assert.That(f["trend_orders_90d_365d"], Is.EqualTo((float)(365.0 / 90)).Within(1e-5));
        Assert.That((f["trend_orders_365d_prior_year"], f["returns_share"]), Is.EqualTo((-1f, 0.1f)));
        Assert.That((f["monetary_total"], f["mean_repeat_value"]), Is.EqualTo((108f, 40f)));
    }

    [Test]
    public void NpsScore_LatestDatedResponseBeforeTheCutoff_OthersIgnored()
    {
        var b = new CustomerSummaryBuilder();
        foreach (var id in new[] { "A", "B", "C", "D" })
        {
            b.AddPurchase(id, D0, 10);
        }

        var surveys = new SurveyResponse[]
        {
            new("A", 3, Cutoff.AddDays(-20), null, false, 2),
            new("A", 9, Cutoff.AddDays(-5), null, false, 3),   // A's latest before the cut-off
            new("A", 0, Cutoff, null, false, 4),               // on the cut-off day: after the window
            new("B", 10, Cutoff.AddDays(30), null, false, 5),  // only after: no score
            new("C", 7, null, null, false, 6),                 // undated: cannot be placed before the cut-off
            new("D", 6, Cutoff.AddDays(-1), null, false, 7),
        };
        var inputs = new ChurnInputs { Surveys = surveys };
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var data = ChurnFeatureBuilder.Build(b, Cutoff, schema, inputs);

        Assert.That(Enumerable.Range(0, 4).Select(i => Features(data, i)["nps_score"]), Is.EqualTo(new[] { 9f, -1f, -1f, 6f }));
        Assert.That(() => ChurnFeatureBuilder.CheckInputs(schema, new ChurnInputs()), Throws.TypeOf<InputException>().With.Message.Contains("--surveys"));
    }

    [Test]
    public void DeriveSchema_Attributes_NumericColumnOnceCategoricalOneHot()
    {
        var attributes = new CustomerAttributes(["age", "plan"], new Dictionary<string, string?[]>
        {
            ["A"] = ["34", "gold"],
            ["B"] = [null, "basic"],
            ["C"] = ["51", "gold"],
        });
        var inputs = new ChurnInputs { Attributes = attributes };
        var schema = ChurnFeatureBuilder.DeriveSchema(inputs);
        var extra = schema.Features.Skip(ChurnFeatureSchema.SummaryFeatureNames.Count).Select(f => f.Name);
        Assert.That(extra, Is.EqualTo(new[] { "attr_age", "attr_plan=basic", "attr_plan=gold" }));

        var b = new CustomerSummaryBuilder();
        b.AddPurchase("A", D0, 1);
        b.AddPurchase("B", D0, 1);
        b.AddPurchase("Z", D0, 1); // not in the attributes file
        var data = ChurnFeatureBuilder.Build(b, Cutoff, schema, inputs);
        Assert.That(new[] { Features(data, 0)["attr_age"], Features(data, 1)["attr_age"], Features(data, 2)["attr_age"] }, Is.EqualTo(new[] { 34f, -1f, -1f }));
        Assert.That((Features(data, 0)["attr_plan=gold"], Features(data, 1)["attr_plan=basic"], Features(data, 2)["attr_plan=gold"]), Is.EqualTo((1f, 1f, 0f)));
    }

    [Test]
    public void CheckInputs_ModelNeedsClvOrAttributesTheRunLacks_IsASchemaError()
    {
        var withClv = ChurnFeatureBuilder.DeriveSchema(new ChurnInputs { Clv = new ClvScoringOptions() });
        var ex = Assert.Throws<InputException>(() => ChurnFeatureBuilder.CheckInputs(withClv, new ChurnInputs()));
        Assert.That(ex!.Message, Does.Contain("p_alive"));
        Assert.That(ex.ExitCode, Is.EqualTo(ExitCodes.InputUnreadable));

        var withAttr = new ChurnFeatureSchema([.. withClv.Features, new ChurnFeature("attr_age", ChurnFeatureKind.Attribute, "age")]);
        Assert.That(() => ChurnFeatureBuilder.CheckInputs(withAttr, new ChurnInputs { Clv = new ClvScoringOptions() }),
            Throws.TypeOf<InputException>().With.Message.Contains("age"));
        var unknown = new ChurnFeatureSchema([new ChurnFeature("shoe_size", ChurnFeatureKind.Summary)]);
        Assert.That(() => ChurnFeatureBuilder.CheckInputs(unknown, new ChurnInputs()), Throws.TypeOf<InputException>().With.Message.Contains("shoe_size"));
    }

    private static Dictionary<string, float> Features(ChurnDataset data, int row)
    {
        var values = data.Row(row).ToArray();
        return data.Schema.Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => values[p.i]);
    }

    private static CustomerSummaryBuilder TestBuilder() => SyntheticHistories.Build(500, seed: 9);
}
