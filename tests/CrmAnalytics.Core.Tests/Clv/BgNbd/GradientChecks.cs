namespace CrmAnalytics.Core.Tests.Clv.BgNbd;

/// <summary>Finite-difference references for analytic gradients.</summary>
internal static class GradientChecks
{
    /// <summary>
    /// Central differences with Richardson extrapolation (steps h and h/2, h = 1e-4·θ): error O(h⁴) instead of O(h²),
    /// so a relative tolerance of 1e-5 tests the analytic gradient, not the reference.
    /// </summary>
    public static double[] CentralDifferences(double[] theta, Func<double[], double> f)
    {
        var gradient = new double[theta.Length];
        for (var j = 0; j < theta.Length; j++)
        {
            var h = 1e-4 * theta[j];
            var d1 = Difference(theta, f, j, h);
            var d2 = Difference(theta, f, j, h / 2);
            gradient[j] = ((4 * d2) - d1) / 3;
        }

        return gradient;
    }

    /// <summary>|analytic − numeric| ≤ tolerance · max(|numeric|, 1e-3 · largest |component|), per component.</summary>
    public static void AssertClose(double[] analytic, double[] numeric, double tolerance, string context)
    {
        var scale = numeric.Max(Math.Abs);
        for (var j = 0; j < analytic.Length; j++)
        {
            var bound = tolerance * Math.Max(Math.Abs(numeric[j]), 1e-3 * scale);
            Assert.That(analytic[j], Is.EqualTo(numeric[j]).Within(bound), $"{context}: component {j}");
        }
    }

    private static double Difference(double[] theta, Func<double[], double> f, int j, double h)
    {
        var plus = (double[])theta.Clone();
        var minus = (double[])theta.Clone();
        plus[j] += h;
        minus[j] -= h;
        return (f(plus) - f(minus)) / (2 * h);
    }
}
