namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>The check of Gamma-Gamma's independence assumption on the customers it is fitted to.</summary>
/// <param name="RepeatBuyers">Customers in the Gamma-Gamma fit (x &gt; 0, a positive mean repeat value).</param>
/// <param name="Correlation">Pearson's correlation of x and z̄ among them; null with fewer than two or no variation.</param>
/// <param name="Threshold">|correlation| at or above which the assumption is in doubt (<see cref="SpendIndependence.Threshold"/>).</param>
public sealed record SpendIndependenceResult(double RepeatBuyers, double? Correlation, double Threshold)
{
    /// <summary>True when |correlation| ≥ the threshold: spend per occasion moves with frequency, and the CLV's product of the two is biased.</summary>
    public bool IsLarge => Correlation is { } r && Math.Abs(r) >= Threshold;
}

/// <summary>
/// Gamma-Gamma assumes a customer's spend per occasion is independent of how often they buy. Fader &amp; Hardie advise
/// checking it by the correlation of frequency and mean transaction value among repeat buyers before using the model:
/// 0.11 on the CDNOW sample, "suggesting that the assumption of independence is reasonable".
/// </summary>
/// <remarks>
/// Fader &amp; Hardie (2013), "The Gamma-Gamma Model of Monetary Value", §2 (lifetimes' documentation repeats the check:
/// 0.113884). The note gives no cut-off; <see cref="Threshold"/> = 0.3 is the conventional lower edge of a moderate
/// correlation (Cohen 1988, §3.2), about three times the value the authors call reasonable.
/// </remarks>
public static class SpendIndependence
{
    /// <summary>|r| from which the report warns.</summary>
    public const double Threshold = 0.3;

    /// <summary>The weighted correlation of x and z̄ over the spend model's patterns.</summary>
    public static SpendIndependenceResult Check(SpendPatterns data)
    {
        ArgumentNullException.ThrowIfNull(data);
        double n = 0, meanX = 0, meanZ = 0;
        for (var i = 0; i < data.Count; i++)
        {
            n += data.Weight[i];
            meanX += data.Weight[i] * data.X[i];
            meanZ += data.Weight[i] * data.MeanValue[i];
        }

        if (n < 2)
        {
            return new SpendIndependenceResult(n, null, Threshold);
        }

        meanX /= n;
        meanZ /= n;
        double sxx = 0, szz = 0, sxz = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var dx = data.X[i] - meanX;
            var dz = data.MeanValue[i] - meanZ;
            sxx += data.Weight[i] * dx * dx;
            szz += data.Weight[i] * dz * dz;
            sxz += data.Weight[i] * dx * dz;
        }

        return new SpendIndependenceResult(n, sxx > 0 && szz > 0 ? sxz / Math.Sqrt(sxx * szz) : null, Threshold);
    }
}
