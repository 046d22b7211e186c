namespace CrmAnalytics.Core.Customers;

/// <summary>The seed lifecycle stage of a customer (DESIGN.md, "Seed segments").</summary>
public static class Lifecycle
{
    /// <summary>Classifies one customer; the first matching stage wins.</summary>
    /// <remarks>
    /// <list type="number">
    /// <item><description>Inactive: <c>RecencyDays &gt; InactiveAfterDays</c> (no purchase for more than 180 days; a last
    /// purchase exactly 180 days before the window end is not inactive).</description></item>
    /// <item><description>New: <c>AgeDays &lt; NewWithinDays</c> (first purchase within the last 180 days: AgeDays 0–179,
    /// the same days the 180-day window counts).</description></item>
    /// <item><description>Active: at least <c>ActiveMinOrders</c> occasions in the <c>ActiveWindowDays</c> window
    /// (2 or more in the last 365 days).</description></item>
    /// <item><description>Occasional: everyone else.</description></item>
    /// </list>
    /// Days are counted to the window's last day, as-of − 1 (see <see cref="CustomerSummary"/>).
    /// The options are not validated here, per customer; validate them once with <see cref="LifecycleOptions.ThrowIfInvalid"/>.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><c>ActiveWindowDays</c> is not a summary window.</exception>
    public static LifecycleStage Classify(CustomerSummary customer, LifecycleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        if (customer.RecencyDays > options.InactiveAfterDays)
        {
            return LifecycleStage.Inactive;
        }

        if (customer.AgeDays < options.NewWithinDays)
        {
            return LifecycleStage.New;
        }

        return OrdersInWindow(customer.Windows, options.ActiveWindowDays) >= options.ActiveMinOrders
            ? LifecycleStage.Active
            : LifecycleStage.Occasional;
    }

    private static int OrdersInWindow(WindowCounts windows, int days) => days switch
    {
        CustomerWindows.Days30 => windows.Orders30d,
        CustomerWindows.Days90 => windows.Orders90d,
        CustomerWindows.Days180 => windows.Orders180d,
        CustomerWindows.Days365 => windows.Orders365d,
        _ => throw new ArgumentOutOfRangeException(nameof(days), days, "The active window must be 30, 90, 180 or 365 days."),
    };
}
