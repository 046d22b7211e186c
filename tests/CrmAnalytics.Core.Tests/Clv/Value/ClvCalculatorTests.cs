using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Value;

namespace CrmAnalytics.Core.Tests.Clv.Value;

public sealed class ClvCalculatorTests
{
    /// <summary>Fader, Hardie &amp; Lee (2005) estimates on the CDNOW sample, weeks.</summary>
    private static readonly BgNbdModel Published = new(new BgNbdParameters(0.242593, 4.413532, 0.792886, 2.425752));

    [Test]
    public void Compute_ConstantRate_IsGeometricSumByHand()
    {
        // Hand-worked: an alive-with-probability-0.8 customer buying 0.5 times a week. Month k adds
        // 0.8 · 0.5 · 30.4375/7 purchases, each worth 20 at margin 0.3, discounted by 1.01^k:
        // CLV = 0.3 · 20 · 0.8 · 0.5 · (30.4375/7) · Σ_{k=1..12} 1.01^−k, and Σ = (1 − 1.01^−12)/0.01 = 11.25507747.
        var model = new ConstantRate(0.5, 0.8);
        var options = new ClvOptions { HorizonMonths = 12, MonthlyDiscountRate = 0.01, Margin = 0.3 };
        var annuity = (1 - Math.Pow(1.01, -12)) / 0.01;
        var expected = 0.3 * 20 * 0.8 * 0.5 * (30.4375 / 7) * annuity;
        Assert.Multiple(() =>
        {
            Assert.That(annuity, Is.EqualTo(11.25507747).Within(1e-8));
            Assert.That(ClvCalculator.Compute(model, 20, 3, 10, 20, options, 7), Is.EqualTo(expected).Within(1e-9));
            Assert.That(expected, Is.EqualTo(117.4548).Within(1e-4));
        });
    }

    [Test]
    public void Compute_NoDiscountFullMargin_IsSpendTimesConditionalExpectationOverHorizon()
    {
        // With d = 0 and m = 1 the sum telescopes: CLV = spend · E[Y(H months)].
        var options = new ClvOptions { HorizonMonths = 12, MonthlyDiscountRate = 0, Margin = 1 };
        var horizonWeeks = 12 * 30.4375 / 7;
        var clv = ClvCalculator.Compute(Published, 35, 2, 30.43, 38.86, options, 7);
        Assert.That(clv, Is.EqualTo(35 * Published.ConditionalExpectedPurchases(horizonWeeks, 2, 30.43, 38.86)).Within(1e-10));
    }

    [Test]
    public void DiscountedPurchasesIfAlive_TimesProbabilityAlive_EqualsCompute()
    {
        var options = new ClvOptions { HorizonMonths = 24, MonthlyDiscountRate = 0.02, Margin = 0.4 };
        foreach (var (x, tx, T) in new[] { (0.0, 0.0, 38.86), (2.0, 30.43, 38.86), (14.0, 35.0, 36.0), (1.0, 1.71, 38.86) })
        {
            var direct = ClvCalculator.Compute(Published, 25, x, tx, T, options, 7);
            var factored = 0.4 * 25 * Published.ProbabilityAlive(x, tx, T) * ClvCalculator.DiscountedPurchasesIfAlive(Published, x, T, options, 7);
            Assert.That(factored, Is.EqualTo(direct).Within(1e-12 * Math.Max(1, direct)), $"x={x}");
        }
    }

    [Test]
    public void Compute_LongerHorizon_IsLarger()
    {
        var shortRun = ClvCalculator.Compute(Published, 25, 2, 30.43, 38.86, new ClvOptions { HorizonMonths = 6 }, 7);
        var longRun = ClvCalculator.Compute(Published, 25, 2, 30.43, 38.86, new ClvOptions { HorizonMonths = 12 }, 7);
        Assert.That(longRun, Is.GreaterThan(shortRun));
    }

    [TestCase(0, 0.01, 1.0)]
    [TestCase(12, -0.1, 1.0)]
    [TestCase(12, 1.0, 1.0)]
    [TestCase(12, 0.01, 0.0)]
    [TestCase(12, 0.01, 1.5)]
    [TestCase(12, double.NaN, 1.0)]
    public void Validate_OutOfRange_ReportsError(int horizon, double rate, double margin)
    {
        var options = new ClvOptions { HorizonMonths = horizon, MonthlyDiscountRate = rate, Margin = margin };
        Assert.That(options.Validate(), Has.Count.EqualTo(1));
    }

    [Test]
    public void Validate_Defaults_AreValid()
    {
        Assert.That(new ClvOptions().Validate(), Is.Empty);
    }

    /// <summary>A customer alive with a fixed probability who buys at a constant weekly rate: E[Y(t)] = P · λ · t.</summary>
    private sealed class ConstantRate(double rate, double alive) : IPurchaseModel
    {
        public string Name => "constant";

        public FitResult Fit => throw new InvalidOperationException();

        public double ExpectedPurchases(double t) => rate * t;

        public double ConditionalExpectedPurchases(double t, double x, double tx, double T) => alive * rate * t;

        public double ExpectedPurchasesIfAlive(double t, double x, double T) => rate * t;

        public double ProbabilityAlive(double x, double tx, double T) => alive;

        public double ProbabilityOfPurchases(int n, double t) => throw new InvalidOperationException();
    }
}
