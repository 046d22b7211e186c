using CrmAnalytics.Core.Drift;

namespace CrmAnalytics.Core.Tests.Drift;

[TestFixture]
public sealed class RunComparisonTests
{
    [Test]
    public void Psi_HandWorkedTwoBins()
    {
        // Previous 1, 2, 3, 4: one edge at rank ⌈4/2⌉ = 2 (value 2): shares (0.5, 0.5). Current 1, 1, 1, 4: (0.75, 0.25).
        // PSI = (0.75 − 0.5) ln(0.75/0.5) + (0.25 − 0.5) ln(0.25/0.5) = 0.25 ln 1.5 + 0.25 ln 2.
        var psi = PopulationStability.Index([1, 2, 3, 4], [1, 1, 1, 4], bins: 2);
        Assert.That(psi, Is.EqualTo(0.25 * Math.Log(1.5) + 0.25 * Math.Log(2)).Within(1e-12));
    }

    [Test]
    public void Psi_SameDistribution_IsZero_ShiftedIsLarge()
    {
        var random = new Random(5);
        var a = Enumerable.Range(0, 5000).Select(_ => random.NextDouble()).ToArray();
        var b = Enumerable.Range(0, 5000).Select(_ => random.NextDouble()).ToArray();
        Assert.That(PopulationStability.Index(a, a), Is.EqualTo(0).Within(1e-12));
        Assert.That(PopulationStability.Index(a, b), Is.LessThan(0.02), "two samples of one distribution");
        Assert.That(PopulationStability.Index(a, b.Select(x => x * 0.5).ToArray()), Is.GreaterThan(0.25), "half the values: a different population");
    }

    [Test]
    public void Compare_NewChangedGoneAndTransitions()
    {
        CustomerState S(string id, string seg, string stage, string? risk = null) => new(id, seg, stage, risk, null, null);
        var previous = new[] { S("A", "Champions", "active", "low"), S("B", "Lost", "inactive", "high"), S("C", "Lost", "inactive", "high"), S("D", "Champions", "active", "low") };
        var current = new[] { S("A", "Champions", "active", "medium"), S("B", "Lost", "inactive", "high"), S("D", "At Risk", "active", "low"), S("E", "New Customers", "new", "low") };

        var result = RunComparison.Compare(previous, current);

        Assert.That((result.NewCustomers, result.GoneCustomers, result.ChangedCustomers), Is.EqualTo((1, 1, 2)));
        Assert.That(result.Changes.Select(c => (c.CustomerId, c.Change)), Is.EqualTo(new[] { ("A", "changed"), ("D", "changed"), ("E", "new") }));
        Assert.That(result.Changes[1].OldSegment, Is.EqualTo("Champions"));
        Assert.That(result.SegmentTransitions, Is.EqualTo(new[]
        {
            new SegmentTransition("Champions", "At Risk", 1), new SegmentTransition("Champions", "Champions", 1), new SegmentTransition("Lost", "Lost", 1),
        }));
        Assert.That(result.SegmentShareChange["Lost"], Is.EqualTo(0.25 - 0.5));
        Assert.That(result.ChurnProbabilityPsi, Is.Null, "no probabilities in either run");
    }
}
