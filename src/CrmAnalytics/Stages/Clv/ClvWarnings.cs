using System.Globalization;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Logging;

namespace CrmAnalytics.Stages.Clv;

/// <summary>Warnings a CLV fit raises on stderr beside the report's.</summary>
internal static class ClvWarnings
{
    /// <summary>Warns when frequency and mean spend are correlated beyond the threshold: Gamma-Gamma's independence assumption is in doubt.</summary>
    public static void SpendDependence(SpendIndependenceSummary? check, RunLog log)
    {
        if (check is { Warning: true, Correlation: { } r })
        {
            log.Warn("clv", string.Create(CultureInfo.InvariantCulture,
                $"frequency and mean spend are correlated (r = {r:F3} over {check.RepeatBuyers:N0} repeat buyers, |r| ≥ {check.Threshold:F1}): Gamma-Gamma assumes they are independent, so expected_avg_spend and the CLV are biased (Fader & Hardie 2013)"));
        }
    }
}
