using System.Numerics;
using CrmAnalytics.Core.Clv.Numerics;

namespace CrmAnalytics.Core.Tests.Clv.Numerics;

public sealed class SimdMathTests
{
    // fdlibm's log and exp are within 1 ulp of the exact result, as is the CRT's Math.Log/Math.Exp: they may differ
    // from each other by at most 2 ulp.
    private const double MaxUlps = 2;

    [Test]
    public void Log_RandomArguments_WithinTwoUlpOfMathLog()
    {
        var rng = new Random(11);
        var worst = 0.0;
        for (var i = 0; i < 200_000; i++)
        {
            var x = (i % 3) switch
            {
                0 => Math.Exp((rng.NextDouble() * 1400) - 700),
                1 => 1 + ((rng.NextDouble() - 0.5) * 1e-3),
                _ => 1 + rng.NextDouble(),
            };
            worst = Math.Max(worst, Ulps(SimdMath.Log(new Vector<double>(x))[0], Math.Log(x)));
        }

        Assert.That(worst, Is.LessThanOrEqualTo(MaxUlps));
    }

    [Test]
    public void ExpNonPositive_RandomArguments_WithinTwoUlpOfMathExp()
    {
        var rng = new Random(12);
        var worst = 0.0;
        for (var i = 0; i < 200_000; i++)
        {
            var x = -rng.NextDouble() * ((i % 3) switch { 0 => 700, 1 => 1, _ => 40 });
            worst = Math.Max(worst, Ulps(SimdMath.ExpNonPositive(new Vector<double>(x))[0], Math.Exp(x)));
        }

        Assert.That(worst, Is.LessThanOrEqualTo(MaxUlps));
    }

    [Test]
    public void SpecialPoints_AreExact()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SimdMath.Log(Vector<double>.One)[0], Is.EqualTo(0));
            Assert.That(SimdMath.Log(new Vector<double>(2))[0], Is.EqualTo(Math.Log(2)));
            Assert.That(SimdMath.Log(new Vector<double>(SimdMath.MinLogArgument))[0], Is.EqualTo(Math.Log(SimdMath.MinLogArgument)));
            Assert.That(SimdMath.Log(new Vector<double>(double.MaxValue))[0], Is.EqualTo(Math.Log(double.MaxValue)));
            Assert.That(SimdMath.ExpNonPositive(Vector<double>.Zero)[0], Is.EqualTo(1));
            Assert.That(SimdMath.ExpNonPositive(new Vector<double>(-707.9))[0], Is.EqualTo(Math.Exp(-707.9)).Within(1e-15).Percent);
            Assert.That(SimdMath.ExpNonPositive(new Vector<double>(-709))[0], Is.EqualTo(0));
            Assert.That(SimdMath.ExpNonPositive(new Vector<double>(double.NegativeInfinity))[0], Is.EqualTo(0));
        });
    }

    private static double Ulps(double actual, double expected)
    {
        var ulp = Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
        return Math.Abs(actual - expected) / ulp;
    }
}
