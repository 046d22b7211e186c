using CrmAnalytics.IO.Input.Sniffing;

namespace CrmAnalytics.IO.Tests.Input.Sniffing;

[TestFixture]
public sealed class NumberFormatGuessTests
{
    [TestCase(new[] { "12.50", "3", "-1.25" }, ',', '.', null)]
    [TestCase(new[] { "12,50", "3", "-1,25" }, ';', ',', null)]
    [TestCase(new[] { "1,234.50", "99.99" }, ',', '.', ',')]
    [TestCase(new[] { "1.234,50", "99,99" }, ';', ',', '.')]
    [TestCase(new[] { "1.234.567", "12,5" }, ';', ',', '.')]
    [TestCase(new[] { "1 234,50", "10,00" }, ';', ',', ' ')]
    [TestCase(new[] { "1'234.50", "10.00" }, ',', '.', '\'')]
    [TestCase(new[] { "0,500", "1" }, ',', ',', null)]
    [TestCase(new[] { "1,234", "12.5" }, ',', '.', ',')]
    public void Guess_Values_DecidesDecimalAndThousands(string[] values, char fieldSeparator, char expectedDecimal, char? expectedThousands)
    {
        var guess = NumberFormatGuess.Guess(values, fieldSeparator);

        Assert.That((guess.Decimal, guess.Thousands, guess.Doubt), Is.EqualTo((expectedDecimal, expectedThousands, (string?)null)));
    }

    /// <summary><c>1,234</c> alone is a thousand or a decimal: the field separator decides, and the doubt names the other option.</summary>
    [TestCase(',', '.', ',')]
    [TestCase(';', ',', null)]
    public void Guess_OnlyUndecidableValues_FollowsTheFieldSeparatorWithADoubt(char fieldSeparator, char expectedDecimal, char? expectedThousands)
    {
        var guess = NumberFormatGuess.Guess(["1,234", "5,000"], fieldSeparator);

        Assert.That((guess.Decimal, guess.Thousands), Is.EqualTo((expectedDecimal, expectedThousands)));
        Assert.That(guess.Doubt, Does.Contain("--decimal-separator"));
    }

    [TestCase("12.50", true)]
    [TestCase("-1,234.5", true)]
    [TestCase("1e5", true)]
    [TestCase("2024-01-05", false)]
    [TestCase("abc", false)]
    [TestCase("12.", false)]
    public void LooksNumeric_Value_Classifies(string value, bool expected) =>
        Assert.That(NumberFormatGuess.LooksNumeric(value), Is.EqualTo(expected));
}
