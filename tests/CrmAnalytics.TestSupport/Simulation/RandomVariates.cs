namespace CrmAnalytics.Core.Clv.Simulation;

/// <summary>Gamma and Beta variates for the simulators, drawn in log space so that small shapes do not underflow to 0/0.</summary>
internal static class RandomVariates
{
    /// <summary>ln G with G ~ Gamma(shape, scale 1).</summary>
    /// <remarks>
    /// Marsaglia &amp; Tsang (2000), "A simple method for generating gamma variables", ACM TOMS 26(3), for shape ≥ 1;
    /// for shape &lt; 1 their boost G(k) = G(k+1)·U^(1/k), taken as a logarithm.
    /// </remarks>
    public static double GammaLn(ref Xoshiro256StarStar rng, double shape)
    {
        if (shape < 1)
        {
            return GammaLn(ref rng, shape + 1) + (Math.Log(rng.NextOpenDouble()) / shape);
        }

        var d = shape - (1.0 / 3.0);
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z, v;
            do
            {
                z = rng.NextNormal();
                v = 1 + (c * z);
            }
            while (v <= 0);

            v = v * v * v;
            var u = rng.NextOpenDouble();
            var z2 = z * z;
            if (u < 1 - (0.0331 * z2 * z2) || Math.Log(u) < (0.5 * z2) + (d * (1 - v + Math.Log(v))))
            {
                return Math.Log(d) + Math.Log(v);
            }
        }
    }

    /// <summary>Beta(a, b) as X/(X+Y) with X ~ Gamma(a), Y ~ Gamma(b), formed from the logarithms.</summary>
    public static double Beta(ref Xoshiro256StarStar rng, double a, double b)
    {
        var lnX = GammaLn(ref rng, a);
        var lnY = GammaLn(ref rng, b);
        return 1 / (1 + Math.Exp(lnY - lnX));
    }
}
