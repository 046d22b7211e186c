using CrmAnalytics.Core.Nps;

namespace CrmAnalytics.Core.Tests.Nps;

public sealed class NpsMathTests
{
    [TestCase(0, NpsCategory.Detractor)]
    [TestCase(6, NpsCategory.Detractor)]
    [TestCase(7, NpsCategory.Passive)]
    [TestCase(8, NpsCategory.Passive)]
    [TestCase(9, NpsCategory.Promoter)]
    [TestCase(10, NpsCategory.Promoter)]
    public void Categorize_AtBoundaries_Expected(int score, NpsCategory expected) =>
        Assert.That(NpsScale.Categorize(score), Is.EqualTo(expected));

    [TestCase(-1)]
    [TestCase(11)]
    public void Categorize_OutsideScale_Throws(int score) =>
        Assert.That(() => NpsScale.Categorize(score), Throws.InstanceOf<ArgumentOutOfRangeException>());

    [TestCase(0.0, ScoreCheck.Valid, 0)]
    [TestCase(10.0, ScoreCheck.Valid, 10)]
    [TestCase(11.0, ScoreCheck.OutOfRange, 0)]
    [TestCase(-1.0, ScoreCheck.OutOfRange, 0)]
    [TestCase(7.5, ScoreCheck.NotInteger, 0)]
    [TestCase(10.5, ScoreCheck.NotInteger, 0)]
    [TestCase(double.NaN, ScoreCheck.OutOfRange, 0)]
    [TestCase(double.PositiveInfinity, ScoreCheck.OutOfRange, 0)]
    public void Check_RawValue_NeverRoundedOrClamped(double value, ScoreCheck expected, int expectedScore)
    {
        var check = NpsScale.Check(value, out var score);

        Assert.That(check, Is.EqualTo(expected));
        Assert.That(score, Is.EqualTo(expectedScore));
    }

    // Hand-worked: n = 100, 50 promoters, 30 passives, 20 detractors.
    // p_p = 0.5, p_d = 0.2, NPS = 100 × (0.5 − 0.2) = 30.
    // Var = [0.5 × 0.5 + 0.2 × 0.8 + 2 × 0.5 × 0.2] / 100 = (0.25 + 0.16 + 0.20) / 100 = 0.0061
    //     (check: p_p + p_d − (p_p − p_d)² = 0.7 − 0.09 = 0.61, / 100).
    // SE = 100 × sqrt(0.0061) = 7.8102497; MoE = 1.96 × 7.8102497 = 15.3080894.
    [Test]
    public void MarginOfError_HandWorkedExample_Matches()
    {
        var counts = new NpsCounts(Promoters: 50, Passives: 30, Detractors: 20);

        Assert.That(NpsMath.Score(counts), Is.EqualTo(30.0).Within(1e-12));
        Assert.That(NpsMath.StandardError(counts), Is.EqualTo(7.8102497).Within(1e-6));
        Assert.That(NpsMath.MarginOfError(counts), Is.EqualTo(15.3080894).Within(1e-6));
    }

    // Hand-worked: scores 10, 9, 8, 7, 6, 0 → 2 promoters, 2 passives, 2 detractors; NPS 0.
    // Var = [1/3 · 2/3 + 1/3 · 2/3 + 2 · 1/9] / 6 = (4/9 + 2/9) / 6 = 1/9; SE = 100/3 = 33.333; MoE = 65.333.
    [Test]
    public void Result_FromScores_CountsScoreAndFlagsSmallGroup()
    {
        var counts = NpsCounts.Of([10, 9, 8, 7, 6, 0]);
        var result = NpsResult.From(counts, minResponses: 30);

        Assert.That(counts, Is.EqualTo(new NpsCounts(2, 2, 2)));
        Assert.That(result.Nps, Is.EqualTo(0.0));
        Assert.That(result.MarginOfError, Is.EqualTo(1.96 * 100.0 / 3.0).Within(1e-9));
        Assert.That(result.TooSmall, Is.True);
        Assert.That(NpsResult.From(counts, minResponses: 6).TooSmall, Is.False);
    }

    [Test]
    public void MarginOfError_AllPromoters_IsZero()
    {
        var counts = new NpsCounts(40, 0, 0);

        Assert.That(NpsMath.Score(counts), Is.EqualTo(100.0));
        Assert.That(NpsMath.MarginOfError(counts), Is.EqualTo(0.0));
    }

    [Test]
    public void Score_NoResponses_IsZeroWithZeroMargin()
    {
        Assert.That(NpsMath.Score(default), Is.Zero);
        Assert.That(NpsMath.MarginOfError(default), Is.Zero);
    }
}
