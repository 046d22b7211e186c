using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Tests.Rfm;

public sealed class SlugTests
{
    [TestCase("Champions", 1, "champions")]
    [TestCase("Can't Lose Them", 6, "cant-lose-them")]
    [TestCase("Can\u2019t Lose Them", 6, "cant-lose-them")]
    [TestCase("About To Sleep", 9, "about-to-sleep")]
    [TestCase("  VIP -- Gold!! ", 1, "vip-gold")]
    [TestCase("Top 10% (EU)", 1, "top-10-eu")]
    [TestCase("Café Crème", 1, "cafe-creme")]
    [TestCase("a_b.c/d\\e", 1, "a-b-c-d-e")]
    [TestCase("!!!", 3, "segment-3")]
    [TestCase("", 12, "segment-12")]
    [TestCase("顧客", 2, "segment-2")]
    public void From_Name_Expected(string name, int position, string expected)
    {
        Assert.That(Slug.From(name, position), Is.EqualTo(expected));
    }

    [TestCase("champions", true)]
    [TestCase("cant-lose-them", true)]
    [TestCase("top-10", true)]
    [TestCase("a", true)]
    [TestCase("", false)]
    [TestCase("-a", false)]
    [TestCase("a-", false)]
    [TestCase("a--b", false)]
    [TestCase("Champions", false)]
    [TestCase("a b", false)]
    [TestCase("a_b", false)]
    [TestCase("caf\u00e9", false)]
    public void IsValid_Slug_Expected(string slug, bool expected)
    {
        Assert.That(Slug.IsValid(slug), Is.EqualTo(expected));
    }

    [Test]
    public void From_DefaultRuleNames_GiveTheFixedSlugs()
    {
        var derived = RfmSegmentRules.Default.Rules.Select((r, i) => Slug.From(r.Name, i + 1));

        Assert.That(derived, Is.EqualTo(RfmSegmentRules.Default.Rules.Select(r => r.Slug)));
    }
}
