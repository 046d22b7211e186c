namespace CrmAnalytics.Core.Clv.Value;

/// <summary>
/// Discounted customer lifetime value over a horizon of H months:
/// CLV = Σ_{k=1..H} m · E[spend] · (E[Y(k)] − E[Y(k−1)]) / (1 + d)^k, with E[Y(k)] the expected purchases in the
/// first k months after the observation window and months of 30.4375 days.
/// </summary>
/// <remarks>
/// Fader, Hardie &amp; Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", JMR 42(4): CLV as
/// expected transactions times expected spend per transaction times margin, here discounted month by month as
/// lifetimes' <c>customer_lifetime_value</c> does (there with <c>freq</c> in days and a monthly rate).
/// Because E[Y(t) | x, t_x, T] = P(alive) · E[Y(t) | alive, x, T], the discounted sum factors into P(alive) times a
/// sum that depends on (x, T) only: <see cref="DiscountedPurchasesIfAlive"/>.
/// </remarks>
internal static class ClvCalculator
{
    /// <summary>The value of one customer, straight from the definition (H conditional expectations).</summary>
    /// <param name="model">The purchase model, in units of <paramref name="unitDays"/> days.</param>
    /// <param name="expectedSpend">Expected spend per future purchase.</param>
    public static double Compute(IPurchaseModel model, double expectedSpend, double x, double tx, double T, ClvOptions options, double unitDays)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var monthUnits = Units.DaysPerMonth / unitDays;
        double value = 0, previous = 0;
        for (var k = 1; k <= options.HorizonMonths; k++)
        {
            var cumulative = model.ConditionalExpectedPurchases(k * monthUnits, x, tx, T);
            value += options.Margin * expectedSpend * (cumulative - previous) / Math.Pow(1 + options.MonthlyDiscountRate, k);
            previous = cumulative;
        }

        return value;
    }

    /// <summary>
    /// Σ_{k=1..H} (E[Y(k) | alive, x, T] − E[Y(k−1) | alive, x, T]) / (1 + d)^k: discounted purchases of a customer known to
    /// be alive; CLV = m · E[spend] · P(alive) · this.
    /// </summary>
    public static double DiscountedPurchasesIfAlive(IPurchaseModel model, double x, double T, ClvOptions options, double unitDays)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        var monthUnits = Units.DaysPerMonth / unitDays;
        double sum = 0, previous = 0;
        var discount = 1.0;
        for (var k = 1; k <= options.HorizonMonths; k++)
        {
            discount /= 1 + options.MonthlyDiscountRate;
            var cumulative = model.ExpectedPurchasesIfAlive(k * monthUnits, x, T);
            sum += (cumulative - previous) * discount;
            previous = cumulative;
        }

        return sum;
    }
}
