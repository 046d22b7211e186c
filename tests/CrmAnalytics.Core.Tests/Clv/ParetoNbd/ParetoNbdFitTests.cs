using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.ParetoNbd;

namespace CrmAnalytics.Core.Tests.Clv.ParetoNbd;

/// <summary>
/// The fit's boundary s → 0 (issue 11, "Pareto/NBD speed"). The boundary fit itself is checked on UCI Online Retail,
/// whose data go there, in <c>ClvCommandTests.Fit_OnlineRetailParetoNbd_StopsAtTheNbdLimitWithThePreviousEstimates</c>.
/// </summary>
public sealed class ParetoNbdFitTests
{
    [TestCase(0.0, 0.0, 40.0)]
    [TestCase(3.0, 30.0, 52.0)]
    [TestCase(200.0, 70.0, 80.0)]
    public void LimitEvaluate_OnePattern_IsTheFullLikelihoodAtTinyS(double x, double tx, double T)
    {
        // FH05's likelihood itself (ParetoNbdFormulas) at s = 1e-20 is within 1e-9 of its s → 0 limit. The limit is not
        // uniform: the dropout term weighs about s·((α+T)/(α+t_x))^(r+x), 1e10·s for x = 200 bought by week 70 of 80.
        const double R = 0.83, Alpha = 9.87;
        var data = RepeatPatterns.From([(x, tx, T)]);
        var gradient = new double[2];
        var limit = ParetoNbdLimit.Evaluate(data, [R, Alpha], gradient);
        var full = ParetoNbdFormulas.LikelihoodLn(R, Alpha, 1e-20, 50, x, tx, T, new double[4]);
        var h = 1e-6;
        var dR = (ParetoNbdLimit.Evaluate(data, [R + h, Alpha], new double[2]) - ParetoNbdLimit.Evaluate(data, [R - h, Alpha], new double[2])) / (2 * h);
        var dAlpha = (ParetoNbdLimit.Evaluate(data, [R, Alpha + h], new double[2]) - ParetoNbdLimit.Evaluate(data, [R, Alpha - h], new double[2])) / (2 * h);
        Assert.Multiple(() =>
        {
            Assert.That(limit, Is.EqualTo(full).Within(1e-9 * Math.Abs(full)));
            Assert.That(gradient[0], Is.EqualTo(dR).Within(1e-6 * Math.Max(1, Math.Abs(dR))));
            Assert.That(gradient[1], Is.EqualTo(dAlpha).Within(1e-6 * Math.Max(1, Math.Abs(dAlpha))));
        });
    }

    [Test]
    public void Run_Cdnow_NeverUsesTheBoundaryRule()
    {
        var fit = ParetoNbdFit.Run(CdnowSummary.Patterns, new FitOptions(), out var evaluations);
        TestContext.Out.WriteLine($"{evaluations} likelihood evaluations");
        Assert.That(fit.ExitCondition, Is.Not.EqualTo(ParetoNbdFit.BoundaryExit));
        Assert.That(evaluations, Is.GreaterThan(ParetoNbdFit.DegenerateEvaluations));
        Assert.That(fit.Estimates[2], Is.EqualTo(0.60625).Within(0.60625e-3), "CLVTools' s on the CDNOW sample");
    }
}
