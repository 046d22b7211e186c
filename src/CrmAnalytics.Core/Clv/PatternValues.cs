using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// Per-customer functions of the BTYD pattern (x, t_x, T), evaluated once per distinct pattern: the cost follows the
/// patterns (a bounded day grid at any size; about 3,000 on Online Retail's 4,338 customers), not the customers. Public
/// because the churn features (Churn project) take p_alive and expected purchases per customer at each cut-off from it.
/// </summary>
public static class PatternValues
{
    /// <summary>
    /// For each function, its value for every customer, aligned with <paramref name="customers"/>: the same numbers as
    /// calling it per customer with (frequency, t_x days, T days).
    /// </summary>
    internal static double[][] PerCustomer(IReadOnlyList<CustomerSummary> customers, params Func<int, int, int, double>[] functions)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return PerCustomer(customers.Count, i => (customers[i].Frequency, customers[i].TxDays, customers[i].AgeDays), functions);
    }

    /// <summary>
    /// For each function, its value for customers 0 … <paramref name="count"/> − 1, whose (frequency, t_x days, T days)
    /// <paramref name="pattern"/> gives: the same numbers as calling it per customer.
    /// </summary>
    public static double[][] PerCustomer(int count, Func<int, (int X, int TxDays, int TDays)> pattern, params Func<int, int, int, double>[] functions)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(functions);
        var (patterns, patternOf) = PatternIndex.GroupDays(count, pattern);
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

            var values = new double[count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = byPattern[patternOf[i]];
            }

            result[f] = values;
        }

        return result;
    }
}
