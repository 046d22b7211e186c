namespace CrmAnalytics.Core.Clv.Numerics;

/// <summary>
/// ln(1 + x), eˣ − 1 and the log-sum-exp helpers, accurate to a few ulps for every argument.
/// </summary>
/// <remarks>
/// MathNet's <c>SpecialFunctions.Expm1</c> loses about 7 digits for |x| ≈ 0.01–0.1 (a truncated series), and
/// <c>Math.Log(1 + x)</c> loses them all for tiny x. These use Kahan's correction (W. Kahan, "Floating-point
/// arithmetic", 1983; D. Goldberg, "What every computer scientist should know about floating-point arithmetic",
/// ACM Computing Surveys 23(1), 1991, theorem 4): the rounding error of 1 + x is divided out exactly. Public because the
/// churn calibration (Churn project, Platt scaling) needs the same overflow-free logistic and softplus.
/// </remarks>
public static class StableMath
{
    /// <summary>ln(1 + x) for x &gt; −1.</summary>
    internal static double Log1p(double x)
    {
        var u = 1.0 + x;
        if (u == 1.0)
        {
            return x;
        }

        if (double.IsPositiveInfinity(u))
        {
            return Math.Log(x);
        }

        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>eˣ − 1.</summary>
    internal static double Expm1(double x)
    {
        if (Math.Abs(x) >= 0.5)
        {
            return Math.Exp(x) - 1.0;
        }

        var u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        var um1 = u - 1.0;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }

    /// <summary>ln(1 + eᵈ) without overflow.</summary>
    public static double Softplus(double d) => Math.Max(d, 0) + Log1p(Math.Exp(-Math.Abs(d)));

    /// <summary>1 / (1 + e^−d) without overflow.</summary>
    public static double Logistic(double d)
    {
        var e = Math.Exp(-Math.Abs(d));
        return d >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    /// <summary>ln(eᵃ + eᵇ) without overflow; −∞ when both are −∞.</summary>
    internal static double LogSumExp(double a, double b)
    {
        if (double.IsNegativeInfinity(a))
        {
            return b;
        }

        if (double.IsNegativeInfinity(b))
        {
            return a;
        }

        var max = Math.Max(a, b);
        return max + Log1p(Math.Exp(-Math.Abs(a - b)));
    }
}
