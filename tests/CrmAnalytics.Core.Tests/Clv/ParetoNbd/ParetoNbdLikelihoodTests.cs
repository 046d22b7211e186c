using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Tests.Clv.BgNbd;

namespace CrmAnalytics.Core.Tests.Clv.ParetoNbd;

public sealed class ParetoNbdLikelihoodTests
{
    /// <summary>CLVTools' Pareto/NBD estimates on the CDNOW 1/10 sample (α &lt; β).</summary>
    private static readonly ParetoNbdParameters ClvTools = new(0.55315, 10.57633, 0.60625, 11.67150);

    /// <summary>A parameter point with α &gt; β, the other case of Fader &amp; Hardie (2005) §3.</summary>
    private static readonly ParetoNbdParameters AlphaAboveBeta = new(0.55, 20.0, 0.6, 5.0);

    // Expected: mpmath 1.3 at 40 digits, Fader & Hardie (2005) §3 with mpmath.hyp2f1 in their α ≥ β / α < β
    // forms; an independent evaluation as (r+x)·K(T) + s·K(t_x) with numerical integration agrees to 35 digits.
    [TestCase(0, 0, 38.86, -0.52116165318466440674)]
    [TestCase(1, 1.71, 38.86, -4.4498647430225904258)]
    [TestCase(2, 30.43, 38.86, -9.5543614470539781581)]
    [TestCase(7, 20, 35, -20.195071279393709958)]
    [TestCase(25, 60.5, 300, -56.44554561947975548)]
    public void LikelihoodLn_ClvToolsCdnowEstimates_MatchesMpmath(double x, double tx, double T, double expected)
    {
        Assert.That(ParetoNbdModel.LikelihoodLn(ClvTools, x, tx, T), Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-13));
    }

    // Same source, r = 0.55, α = 20, s = 0.6, β = 5 (the α ≥ β form of FH05 §3).
    [TestCase(0, 0, 38.86, -0.27054158476750706307)]
    [TestCase(1, 1.71, 38.86, -4.5855341166775857881)]
    [TestCase(2, 30.43, 38.86, -10.050810807755493435)]
    [TestCase(7, 20, 35, -21.796960396851640081)]
    [TestCase(25, 60.5, 300, -59.527525877128777456)]
    public void LikelihoodLn_AlphaAboveBeta_MatchesMpmath(double x, double tx, double T, double expected)
    {
        Assert.That(ParetoNbdModel.LikelihoodLn(AlphaAboveBeta, x, tx, T), Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-13));
    }

    [Test]
    public void Evaluate_CdnowAtClvToolsEstimates_IsMpmathLogLikelihood()
    {
        // mpmath 1.3 at 25 digits, the likelihood (FH05 §3) summed over the 2,357 customers: −9594.97393477011. CLVTools reports
        // LL = −9594.976 at its (rounded) estimates.
        var likelihood = new ParetoNbdLikelihood(CdnowSummary.Patterns);
        var ll = likelihood.Evaluate([ClvTools.R, ClvTools.Alpha, ClvTools.S, ClvTools.Beta], new double[4]);
        Assert.Multiple(() =>
        {
            Assert.That(ll, Is.EqualTo(-9594.97393477011).Within(1e-8));
            Assert.That(ll, Is.EqualTo(-9594.976).Within(0.01));
        });
    }

    [TestCase(0.55315, 10.57633, 0.60625, 11.67150)]
    [TestCase(0.55, 20.0, 0.6, 5.0)]
    public void Evaluate_ExtremePatterns_FiniteAndEqualToPerCustomerSum(double r, double alpha, double s, double beta)
    {
        // Eight customers with x = 10,000 (a vector-width run) plus huge ages, through the engine.
        var rows = new List<(double, double, double)>();
        for (var i = 0; i < 8; i++)
        {
            rows.Add((10_000, 51.9 + (i * 0.01), 52));
            rows.Add((3, 10 + i, 1e9));
            rows.Add((0, 0, 1e9 + i));
        }

        var parameters = new ParetoNbdParameters(r, alpha, s, beta);
        var gradient = new double[4];
        var ll = new ParetoNbdLikelihood(RepeatPatterns.From(rows)).Evaluate([r, alpha, s, beta], gradient);
        var expected = rows.Sum(row => ParetoNbdModel.LikelihoodLn(parameters, row.Item1, row.Item2, row.Item3));
        Assert.Multiple(() =>
        {
            Assert.That(ll, Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-12));
            Assert.That(gradient.All(double.IsFinite), Is.True, string.Join(", ", gradient));
        });
    }

    [Test]
    public void LikelihoodLn_AlphaOverBetaBeyondDoublePrecision_ThrowsArithmetic()
    {
        // α/β = 1e20: z = (α−β)/(α+τ) rounds to 1, where 2F1 cannot be evaluated. An exception, never NaN.
        var extreme = new ParetoNbdParameters(0.5, 1e20, 0.5, 1);
        Assert.That(() => ParetoNbdModel.LikelihoodLn(extreme, 0, 0, 1), Throws.InstanceOf<ArithmeticException>());
    }

    [Test]
    public void Evaluate_AlphaOverBetaBeyondDoublePrecision_ReturnsNaNForTheOptimizer()
    {
        // Inside the fit the same point is reported as NaN (MaximumLikelihood turns it into a huge objective) rather
        // than aborting the line search.
        var likelihood = new ParetoNbdLikelihood(CdnowSummary.Patterns);
        Assert.That(likelihood.Evaluate([0.5, 1e20, 0.5, 1], new double[4]), Is.NaN);
    }
}
