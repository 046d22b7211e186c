using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Tests.Rfm;

public sealed class RfmScoreTests
{
    [TestCase(1, 1, 1, "111")]
    [TestCase(5, 4, 5, "545")]
    [TestCase(3, 5, 1, "351")]
    [TestCase(5, 5, 5, "555")]
    [TestCase(0, 2, 6, "026")]
    public void Code_Scores_DigitsInOrder(int r, int f, int m, string expected)
    {
        Assert.That(new RfmScore(r, f, m).Code, Is.EqualTo(expected));
    }

    [Test]
    public void Code_ScoresOneToFive_SameStringEveryTime()
    {
        for (var r = 1; r <= 5; r++)
        {
            for (var f = 1; f <= 5; f++)
            {
                for (var m = 1; m <= 5; m++)
                {
                    var score = new RfmScore(r, f, m);
                    Assert.That(score.Code, Is.SameAs(score.Code).And.EqualTo($"{r}{f}{m}"));
                }
            }
        }
    }
}
