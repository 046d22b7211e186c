using CrmAnalytics.Churn.Training;

namespace CrmAnalytics.Churn.Tests.Training;

[TestFixture]
public sealed class SeasonalPlattScalingTests
{
    private static readonly double[] Scores = [-2, -1, -0.5, 0, 0.5, 1, 1.5, 2];
    private static readonly bool[] Labels = [false, false, true, false, true, false, true, true];

    [Test]
    public void Fit_ZeroScoredYearEarlier_MovesThePlattInterceptByLastYearsChangeOfLogit()
    {
        // A year earlier, with every score 0, each period's intercept is the logit of its mean smoothed target:
        // 3 of 10 churned at the latest point of the season (mean target 0.31778), 6 of 10 at the predicted one
        // ((6 × 7/8 + 4 × 1/6)/10 = 0.59167). The slope stays the latest period's.
        var zeros = new double[10];
        var latestYearEarlier = Enumerable.Range(0, 10).Select(i => i < 3).ToArray();
        var targetYearEarlier = Enumerable.Range(0, 10).Select(i => i < 6).ToArray();
        var platt = PlattScaling.Fit(Scores, Labels);

        var seasonal = SeasonalPlattScaling.Fit((Scores, Labels), (zeros, latestYearEarlier), (zeros, targetYearEarlier));

        var shift = Math.Log(0.59166666666666667 / 0.40833333333333333) - Math.Log(0.31777777777777777 / 0.68222222222222222);
        Assert.That(shift, Is.EqualTo(1.13486).Within(1e-5));
        Assert.That(seasonal.A, Is.EqualTo(platt.A));
        Assert.That(seasonal.B, Is.EqualTo(platt.B + shift).Within(1e-9));
        Assert.That(seasonal.Method, Is.EqualTo(ChurnCalibrationMethod.Seasonal));
        Assert.That(seasonal.Probability(0.7), Is.EqualTo(1 / (1 + Math.Exp(-(seasonal.A * 0.7 + seasonal.B)))).Within(1e-12));
    }

    [Test]
    public void Fit_SameYearEarlierPeriods_IsPlattScaling()
    {
        var seasonal = SeasonalPlattScaling.Fit((Scores, Labels), (Scores, Labels), (Scores, Labels));
        var platt = PlattScaling.Fit(Scores, Labels);

        Assert.That(seasonal.A, Is.EqualTo(platt.A));
        Assert.That(seasonal.B, Is.EqualTo(platt.B).Within(1e-12));
    }

    [Test]
    public void Fit_YearEarlierPeriodWithOneClass_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => SeasonalPlattScaling.Fit((Scores, Labels), (Scores, Labels), (Scores, [.. Scores.Select(_ => true)])));
    }
}
