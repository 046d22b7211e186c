using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Churn;

/// <summary>
/// The churn base at a cut-off (DESIGN.md, "Churn"): customers with an occasion within the active window before it.
/// Everyone else is lapsed: churn is all but certain for them and any recency score ranks them for free, so they are
/// left out of training, calibration, evaluation and bands.
/// </summary>
public static class ChurnActiveBase
{
    /// <summary>The default window: the lifecycle active window (365 days).</summary>
    public static int DefaultDays { get; } = new LifecycleOptions().ActiveWindowDays;

    /// <summary>
    /// Whether the customer bought on one of the <paramref name="activeDays"/> days before the cut-off, c − N … c − 1
    /// (<see cref="CustomerSummary.RecencyDays"/> counts to c − 1, so 0 … N − 1).
    /// </summary>
    public static bool IsActive(CustomerSummary customer, int activeDays)
    {
        return customer.RecencyDays < activeDays;
    }
}
