using CrmAnalytics.IO.CustomerTable;

namespace CrmAnalytics.IO.Tests.CustomerTable;

/// <summary>Issue 16: the segment files' column choice is checked by its setting's name, never by a CLI flag.</summary>
[TestFixture]
public sealed class SegmentColumnsTests
{
    [Test]
    public void Validate_NoName_NamesTheSettingAndNoFlag()
    {
        Assert.That(SegmentColumns.Validate([], CustomerColumns.All), Is.EqualTo(new[] { "SegmentColumns needs at least one column name, or 'all'." }));
    }

    [Test]
    public void Validate_UnknownAndRepeatedNames_NamesTheSettingAndNoFlag()
    {
        var errors = SegmentColumns.Validate(["customer_id", "nope", "customer_id"], CustomerColumns.All);

        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Count.EqualTo(2));
            Assert.That(errors[0], Does.StartWith("SegmentColumns: 'nope' is not a column of this run; the columns are: customer_id, "));
            Assert.That(errors[1], Is.EqualTo("SegmentColumns: 'customer_id' is named twice."));
            Assert.That(string.Concat(errors), Does.Not.Contain("--"));
        });
    }
}
