using CrmAnalytics.IO.Input.Sniffing;

namespace CrmAnalytics.IO.Tests.Input.Sniffing;

[TestFixture]
public sealed class DateFormatGuessTests
{
    [TestCase(new[] { "2024-01-05", "2024-12-31" }, null)]
    [TestCase(new[] { "2010-12-01 08:26:00", "2011-01-13T09:00:00Z" }, null)]
    [TestCase(new[] { "20240105", "20241231" }, "yyyyMMdd")]
    [TestCase(new[] { "05.01.2024", "31.12.2024" }, "dd.MM.yyyy")]
    [TestCase(new[] { "5.1.2024", "31.12.2024" }, "d.M.yyyy")]
    [TestCase(new[] { "05/01/2024", "17/01/2024" }, "dd/MM/yyyy")]
    [TestCase(new[] { "01/05/2024", "01/17/2024" }, "MM/dd/yyyy")]
    [TestCase(new[] { "12/1/2010 8:26", "1/13/2011 9:41" }, "M/d/yyyy H:mm")]
    [TestCase(new[] { "05/01/2024 14:30", "17/01/2024 09:05" }, "dd/MM/yyyy HH:mm")]
    [TestCase(new[] { "1/5/2024 2:30 PM", "1/17/2024 9:05 AM" }, "M/d/yyyy h:mm tt")]
    public void Guess_Values_FindsTheFormatWithoutDoubt(string[] values, string? expected)
    {
        var guess = DateFormatGuess.Guess(values);

        Assert.That(guess, Is.Not.Null);
        Assert.That((guess!.Format, guess.Alternative), Is.EqualTo((expected, (string?)null)));
    }

    /// <summary>No day above 12: both readings fit, the one whose day position varies more is chosen, and the other is named.</summary>
    [TestCase(new[] { "01/02/2024", "03/02/2024", "05/02/2024" }, "dd/MM/yyyy", "MM/dd/yyyy")]
    [TestCase(new[] { "02/01/2024", "02/03/2024", "02/05/2024" }, "MM/dd/yyyy", "dd/MM/yyyy")]
    public void Guess_DayAndMonthAtMostTwelve_ChoosesTheVaryingDayAndNamesTheAlternative(string[] values, string expected, string alternative)
    {
        var guess = DateFormatGuess.Guess(values)!;

        Assert.That((guess.Format, guess.Alternative), Is.EqualTo((expected, alternative)));
        Assert.That(guess.Why, Does.StartWith("ambiguous"));
    }

    [TestCase("12345678|00000001")]
    [TestCase("WHITE HANGING HEART|2024-01-05")]
    [TestCase("13/13/2024")]
    public void Guess_NotAllDates_IsNull(string values) =>
        Assert.That(DateFormatGuess.Guess(values.Split('|')), Is.Null);
}
