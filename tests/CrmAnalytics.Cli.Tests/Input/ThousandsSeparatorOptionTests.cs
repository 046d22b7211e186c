using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Core;

namespace CrmAnalytics.Cli.Tests.Input;

/// <summary>Issue 14: <c>--thousands-separator</c> reads grouped amounts (<c>space</c> names a space); a bad value is exit 2.</summary>
[TestFixture]
public sealed class ThousandsSeparatorOptionTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [TestCase("space", "1 234,50")]
    [TestCase(".", "1.234,50")]
    public void Validate_ThousandsSeparator_ReadsGroupedAmounts(string option, string amount)
    {
        var input = _temp.Write("t.csv", $"customer_id;date;amount\nA;2024-01-05;{amount}\n");

        var run = Crm.Run("validate", input, "--separator", ";", "--decimal-separator", ",", "--thousands-separator", option);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("rows_accepted: 1"));
    }

    [TestCase("ab")]
    [TestCase(",")]
    public void Validate_BadThousandsSeparator_ExitsTwo(string option)
    {
        var input = _temp.Write("t.csv", "customer_id;date;amount\nA;2024-01-05;1,5\n");

        var run = Crm.Run("validate", input, "--separator", ";", "--decimal-separator", ",", "--thousands-separator", option);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.BadArguments), run.ToString());
        Assert.That(run.Error, Does.Contain("thousands separator").Or.Contain("--thousands-separator"));
    }
}
