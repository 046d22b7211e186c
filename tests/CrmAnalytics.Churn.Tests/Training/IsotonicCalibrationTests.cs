using CrmAnalytics.Churn.Training;

namespace CrmAnalytics.Churn.Tests.Training;

[TestFixture]
public sealed class IsotonicCalibrationTests
{
    [Test]
    public void Fit_HandWorkedViolators_PoolsAndInterpolates()
    {
        // Scores 1…6 with labels 0 1 0 0 1 1. Pool-adjacent-violators: 1 > 0 at scores 2, 3 pools to 1/2, which is above
        // the 0 at score 4, so 2…4 pool to 1/3; 5 and 6 are both 1. Points: (1, 0), (2, 1/3), (4, 1/3), (5, 1), (6, 1).
        // scikit-learn's IsotonicRegression(out_of_bounds="clip") gives the same fit and predictions.
        var iso = IsotonicCalibration.Fit([1.0, 2, 3, 4, 5, 6], [false, true, false, false, true, true]);

        Assert.That(iso.Scores, Is.EqualTo(new[] { 1.0, 2, 4, 5, 6 }));
        Assert.That(iso.Probabilities, Is.EqualTo(new[] { 0, 1 / 3.0, 1 / 3.0, 1, 1 }).Within(1e-12));
        Assert.That(iso.Probability(3), Is.EqualTo(1 / 3.0).Within(1e-12));
        Assert.That(iso.Probability(4.5), Is.EqualTo(2 / 3.0).Within(1e-12), "halfway between (4, 1/3) and (5, 1)");
        Assert.That(iso.Probability(1.5), Is.EqualTo(1 / 6.0).Within(1e-12));
        Assert.That(iso.Probability(-10), Is.EqualTo(0));
        Assert.That(iso.Probability(10), Is.EqualTo(1));
    }

    [Test]
    public void Fit_TiedScores_AreOneBlockAtTheirMean()
    {
        // Three customers share score 2 (two churned): one point at 2/3; the single 0 at score 1 and 1 at score 3 stay apart.
        var iso = IsotonicCalibration.Fit([2.0, 1, 2, 3, 2], [true, false, false, true, true]);

        Assert.That(iso.Scores, Is.EqualTo(new[] { 1.0, 2, 3 }));
        Assert.That(iso.Probabilities, Is.EqualTo(new[] { 0, 2 / 3.0, 1 }).Within(1e-12));
    }

    [Test]
    public void Fit_OneClassOnly_IsRefused() =>
        Assert.Throws<ArgumentException>(() => IsotonicCalibration.Fit([0.1, 0.2], [false, false]));
}
