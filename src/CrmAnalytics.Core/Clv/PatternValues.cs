using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// Per-customer functions of the BTYD pattern (x, t_x, T), evaluated once per distinct pattern: the cost follows the
/// patterns (a bounded day grid at any size; about 3,000 on Online Retail's 4,338 customers), not the customers.
/// </summary>
internal static class PatternValues
{
    /// <summary>
    /// For each function, its value for every customer, aligned with <paramref name="customers"/>: the same numbers as
    /// calling it per customer with (frequency, t_x days, T days).
    /// </summary>
    public static double[][] PerCustomer(IReadOnlyList<CustomerSummary> customers, params Func<int, int, int, double>[] functions)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(functions);
        var (patterns, patternOf) = PatternIndex.Group(customers, c => (X: c.Frequency, Tx: c.TxDays, T: c.AgeDays));

        var result = new double[functions.Length][];
        for (var f = 0; f < functions.Length; f++)
        {
            var function = functions[f];
            var byPattern = new double[patterns.Count];
            Parallel.For(0, patterns.Count, k =>
            {
                var (x, tx, t) = patterns[k];
                byPattern[k] = function(x, tx, t);
            });

            var values = new double[customers.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = byPattern[patternOf[i]];
            }

            result[f] = values;
        }

        return result;
    }
}
