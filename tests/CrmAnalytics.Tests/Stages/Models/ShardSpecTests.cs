using CrmAnalytics.Stages.Models;

namespace CrmAnalytics.Tests.Stages.Models;

/// <summary>Issue 16: a shard that is not i/n is reported by its setting's name, never by a CLI flag.</summary>
[TestFixture]
public sealed class ShardSpecTests
{
    [TestCase("4/4")]
    [TestCase("1")]
    [TestCase("-1/4")]
    public void Parse_NotIOfN_NamesTheSettingAndNoFlag(string text)
    {
        var errors = new List<string>();

        Assert.That(ShardSpec.Parse(text, errors), Is.Null);
        Assert.That(errors, Is.EqualTo(new[] { $"ScoreJobOptions.Shard '{text}' must be i/n with 0 ≤ i < n, e.g. 0/4 … 3/4." }));
    }

    [Test]
    public void Parse_IOfN_ReturnsTheShard() =>
        Assert.That(ShardSpec.Parse("3/4", []), Is.EqualTo(new ShardSpec(3, 4)));
}
