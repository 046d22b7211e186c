using CrmAnalytics.Core;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;

namespace CrmAnalytics.IO.Tests.CustomerTable;

[TestFixture]
public sealed class SegmentSlugTests
{
    [TestCase("champions")]
    [TestCase("cant-lose-them")]
    [TestCase("top-20")]
    [TestCase("2024")]
    public void IsValid_LowercaseHyphenatedSlug_IsTrue(string slug)
    {
        Assert.That(SegmentSlug.IsValid(slug), Is.True);
    }

    [TestCase("../x")]
    [TestCase("..")]
    [TestCase("A B")]
    [TestCase("a b")]
    [TestCase("Champions")]
    [TestCase("a/b")]
    [TestCase("a\\b")]
    [TestCase("a--b")]
    [TestCase("-a")]
    [TestCase("a-")]
    [TestCase("a_b")]
    [TestCase("abc\n")]
    [TestCase("ümlaut")]
    [TestCase("")]
    [TestCase(null)]
    public void IsValid_UnsafeOrMalformedSlug_IsFalse(string? slug)
    {
        Assert.That(SegmentSlug.IsValid(slug), Is.False);
    }

    [TestCase("changes")]
    [TestCase("churn-high-risk")]
    [TestCase("nul")]
    [TestCase("com1")]
    public void IsValid_ReservedName_IsFalse(string slug)
    {
        Assert.That(SegmentSlug.IsValid(slug), Is.False);
    }

    [Test]
    public void IsValid_LongerThanMaxLength_IsFalse()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(SegmentSlug.IsValid(new string('a', SegmentSlug.MaxLength)), Is.True);
            Assert.That(SegmentSlug.IsValid(new string('a', SegmentSlug.MaxLength + 1)), Is.False);
        }
    }

    [Test]
    public void Validate_InvalidSlug_ThrowsConfigurationExceptionWithExitCode2()
    {
        var ex = Assert.Throws<ConfigurationException>(() => SegmentSlug.Validate("../x"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex?.ExitCode, Is.EqualTo(ExitCodes.BadArguments));
            Assert.That(ex?.Message, Does.Contain("'../x'"));
        }
    }

    [Test]
    public void SegmentFile_ValidSlug_IsUnderSegmentsFolder()
    {
        Assert.That(OutputFileNames.SegmentFile("at-risk"), Is.EqualTo("segments/at-risk.csv"));
    }
}
