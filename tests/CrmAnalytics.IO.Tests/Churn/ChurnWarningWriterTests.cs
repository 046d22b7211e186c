using CrmAnalytics.IO.Churn;
using CrmAnalytics.IO.Tests.TestSupport;

namespace CrmAnalytics.IO.Tests.Churn;

[TestFixture]
public sealed class ChurnWarningWriterTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    /// <summary>
    /// The list is compared with the previous night's by id (changes.csv: joined/left); phone-number and formula-like ids
    /// are neutralised on write and must read back as the same ids, or they would join and leave the list every night.
    /// </summary>
    [Test]
    public void WriteFile_FormulaLikeIdsAndLongDoubles_IdsReadBackAndNumbersRounded()
    {
        string[] ids = ["+4930123", "=x", "'=x", "-5", "@home", "plain"];
        var path = Path.Combine(_temp.Path, "churn-warning.csv");
        ChurnWarningWriter.WriteFile(path, ids.Select((id, i) =>
            new ChurnWarning(i + 1, id, "=segment", "top", 0.123456789, 144.73999999999998, ["recency 3.2× their usual gap"], "@call", new DateOnly(2026, 12, 1))));

        var text = File.ReadAllText(path);
        Assert.That(text, Does.Contain("'+4930123").And.Contain("''=x").And.Contain("'=segment").And.Contain("'@call"));
        Assert.That(ChurnWarningWriter.ReadCustomerIds(path), Is.EquivalentTo(ids));

        // The README's rounding for people: probabilities to 6 significant digits, money to cents.
        Assert.That(text, Does.Contain(",0.123457,144.74,"));
    }
}
