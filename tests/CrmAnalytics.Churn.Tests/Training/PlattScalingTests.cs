using CrmAnalytics.Churn.Training;

namespace CrmAnalytics.Churn.Tests.Training;

[TestFixture]
public sealed class PlattScalingTests
{
    [Test]
    public void Fit_LabelsDrawnFromKnownSigmoid_RecoversSlopeAndIntercept()
    {
        // Labels drawn with P(y) = σ(1.5 s − 0.5); 50,000 draws pin A and B to about ±0.03.
        var random = new Random(11);
        var scores = Enumerable.Range(0, 50_000).Select(_ => random.NextDouble() * 6 - 3).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 1 / (1 + Math.Exp(-(1.5 * s - 0.5)))).ToArray();

        var platt = PlattScaling.Fit(scores, labels);

        Assert.That(platt.A, Is.EqualTo(1.5).Within(0.05));
        Assert.That(platt.B, Is.EqualTo(-0.5).Within(0.05));
    }

    [Test]
    public void Fit_SeparableScores_StaysFiniteThroughSmoothedTargets()
    {
        // Perfectly separated: plain maximum likelihood diverges; Platt's targets 2/3 and 1/3 (one of each class:
        // (1 + 1)/(1 + 2) and 1/(1 + 2)) bound it. With scores ±1 the optimum is σ(±A) = 2/3, so A = ln 2, B = 0.
        var platt = PlattScaling.Fit([-1.0, 1.0], [false, true]);

        Assert.That(platt.A, Is.EqualTo(Math.Log(2)).Within(1e-6));
        Assert.That(platt.B, Is.EqualTo(0).Within(1e-6));
    }

    [Test]
    public void Fit_OneClassOnly_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => PlattScaling.Fit([0.1, 0.2], [true, true]));
    }

    [Test]
    public void FitIntercept_ZeroScores_IsTheLogitOfTheMeanSmoothedTarget()
    {
        // Scores all 0: P = σ(B) for every row, so B = logit of the mean target. 3 churned of 10: targets
        // (3 + 1)/(3 + 2) = 0.8 and 1/(7 + 2) = 1/9, mean (3 × 0.8 + 7/9)/10 = 0.31778, B = ln(0.31778/0.68222) = −0.76400.
        var b = PlattScaling.FitIntercept(2.0, new double[10], [.. Enumerable.Range(0, 10).Select(i => i < 3)]);

        Assert.That(b, Is.EqualTo(Math.Log(0.31777777777777777 / 0.68222222222222222)).Within(1e-9));
        Assert.That(b, Is.EqualTo(-0.76400).Within(1e-5));
    }

    [Test]
    public void FitIntercept_AtTheJointFitsSlope_IsTheJointFitsIntercept()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 2_000).Select(_ => random.NextDouble() * 4 - 2).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 1 / (1 + Math.Exp(-(0.8 * s + 0.3)))).ToArray();
        var platt = PlattScaling.Fit(scores, labels);

        Assert.That(PlattScaling.FitIntercept(platt.A, scores, labels), Is.EqualTo(platt.B).Within(1e-6));
        Assert.That(PlattScaling.FitIntercept(platt.A + 0.5, scores, labels), Is.Not.EqualTo(platt.B).Within(1e-3));
    }
}
