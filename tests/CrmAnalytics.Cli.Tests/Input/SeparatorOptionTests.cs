using CrmAnalytics.Cli.Input;

namespace CrmAnalytics.Cli.Tests.Input;

public sealed class SeparatorOptionTests
{
    [TestCase(";", ';')]
    [TestCase("|", '|')]
    [TestCase("tab", '\t')]
    [TestCase("TAB", '\t')]
    [TestCase("\\t", '\t')]
    public void Parse_OneCharacterOrTab_ReturnsTheSeparator(string value, char expected)
    {
        var errors = new List<string>();

        Assert.That(SeparatorOption.Parse(value, "--separator", errors), Is.EqualTo(expected));
        Assert.That(errors, Is.Empty);
    }

    [TestCase("")]
    [TestCase(";;")]
    [TestCase("comma")]
    public void Parse_AnythingElse_ReturnsNullAndNamesTheOption(string value)
    {
        var errors = new List<string>();

        Assert.That(SeparatorOption.Parse(value, "--survey-separator", errors), Is.Null);
        Assert.That(errors, Is.EqualTo(new[] { "--survey-separator must be one character or 'tab'." }));
    }
}
