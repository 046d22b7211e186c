using CrmAnalytics.Core.Drift;

namespace CrmAnalytics.Core.Tests.Drift;

[TestFixture]
public sealed class WarningListChangesTests
{
    [Test]
    public void Compare_HandBuiltLists_JoinedThenLeftEachById()
    {
        // Previous list {A, B, C}, current list {C, D, E}: D and E joined, A and B left; C stayed and is not listed.
        CustomerState S(string id, string segment, string? risk) => new(id, segment, "active", risk, null, null);
        var previous = new[] { S("A", "At Risk", "high"), S("B", "Lost", "high"), S("C", "At Risk", "high"), S("D", "Champions", "medium") };
        var current = new[] { S("A", "At Risk", "medium"), S("B", "Lost", "high"), S("C", "At Risk", "high"), S("D", "At Risk", "high"), S("E", "New Customers", "high") };

        var changes = WarningListChanges.Compare(new HashSet<string>(["C", "B", "A"]), ["E", "C", "D"], previous, current);

        Assert.That(changes, Is.EqualTo(new[]
        {
            new CustomerChange("D", "joined_warning_list", "Champions", "At Risk", "active", "active", "medium", "high"),
            new CustomerChange("E", "joined_warning_list", null, "New Customers", null, "active", null, "high"),
            new CustomerChange("A", "left_warning_list", "At Risk", "At Risk", "active", "active", "high", "medium"),
            new CustomerChange("B", "left_warning_list", "Lost", "Lost", "active", "active", "high", "high"),
        }));
    }
}
