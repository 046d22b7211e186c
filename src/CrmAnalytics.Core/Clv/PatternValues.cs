using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// Per-customer functions of the BTYD pattern (x, t_x, T), evaluated once per distinct pattern: the cost follows the
/// patterns (a bounded day grid at any size; about 3,000 on Online Retail's 4,338 customers), not the customers. The
/// churn features group a cut-off's patterns once for two uses with <see cref="PatternGroups"/>.
/// </summary>
internal static class PatternValues
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
    internal static double[][] PerCustomer(int count, Func<int, (int X, int TxDays, int TDays)> pattern, params Func<int, int, int, double>[] functions)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(functions);
        var (patterns, patternOf) = PatternIndex.GroupDays(count, pattern);
        return Array.ConvertAll(functions, function => PerCustomer(patternOf, ByPattern(patterns, (x, tx, t, _) => function(x, tx, t))));
    }

    /// <param name="function">Of (x, t_x days, T days, pattern index).</param>
    private static double[] ByPattern(IReadOnlyList<(int X, int TxDays, int TDays)> patterns, Func<int, int, int, int, double> function)
    {
        var byPattern = new double[patterns.Count];
        Parallel.For(0, patterns.Count, k =>
        {
            var (x, tx, t) = patterns[k];
            byPattern[k] = function(x, tx, t, k);
        });

        return byPattern;
    }

    private static double[] PerCustomer(int[] patternOf, double[] byPattern)
    {
        var values = new double[patternOf.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = byPattern[patternOf[i]];
        }

        return values;
    }
}

/// <summary>
/// The distinct BTYD patterns (x, t_x days, T days) of a base of customers and each customer's pattern, grouped once
/// (<see cref="PatternIndex.GroupDays(int, Func{int, ValueTuple{int, int, int}})"/>) for both what reads them at a churn
/// cut-off: the purchase model's fit on every customer, and p_alive and expected purchases of the customers that get
/// feature rows. Public for the churn features (Churn project).
/// </summary>
public sealed class PatternGroups
{
    private readonly List<(int X, int TxDays, int TDays)> _patterns;
    private readonly int[] _patternOf;

    private PatternGroups(List<(int X, int TxDays, int TDays)> patterns, int[] patternOf) => (_patterns, _patternOf) = (patterns, patternOf);

    /// <summary>Groups customers 0 … <paramref name="count"/> − 1 by the (frequency, t_x days, T days) of the keys <paramref name="customer"/> gives.</summary>
    public static PatternGroups Of(int count, Func<int, CustomerKeys> customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        (int, int, int) Pattern(int i)
        {
            var c = customer(i);
            return (c.Frequency, c.TxDays, c.AgeDays);
        }

        var (patterns, patternOf) = PatternIndex.GroupDays(count, Pattern);
        return new PatternGroups(patterns, patternOf);
    }

    /// <summary>
    /// The patterns to fit on, in units of <paramref name="unitDays"/> days: the same patterns in the same order as
    /// <see cref="RepeatPatterns.From(IEnumerable{ValueTuple{double, double, double}})"/> on (x, t_x / unit, T / unit),
    /// grouped on the whole days instead of on three doubles.
    /// </summary>
    public RepeatPatterns Repeat(double unitDays) => RepeatPatterns.FromGroups(_patterns, _patternOf, unitDays);

    /// <summary>
    /// Two functions' values for the customers at <paramref name="rows"/> (indexes into the grouped customers; null for
    /// all of them), where the second also receives the first's value: each computed once per pattern among those
    /// customers, so the same numbers as calling them per customer.
    /// </summary>
    public (double[] First, double[] Second) PerCustomer(IReadOnlyList<int>? rows, Func<int, int, int, double> first, Func<int, int, int, double, double> second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var used = new bool[_patterns.Count];
        if (rows is null)
        {
            Array.Fill(used, true);
        }
        else
        {
            foreach (var row in rows)
            {
                used[_patternOf[row]] = true;
            }
        }

        var (firstByPattern, secondByPattern) = (new double[_patterns.Count], new double[_patterns.Count]);
        Parallel.For(0, _patterns.Count, k =>
        {
            if (used[k])
            {
                var (x, tx, t) = _patterns[k];
                firstByPattern[k] = first(x, tx, t);
                secondByPattern[k] = second(x, tx, t, firstByPattern[k]);
            }
        });

        var count = rows?.Count ?? _patternOf.Length;
        var (a, b) = (new double[count], new double[count]);
        for (var j = 0; j < count; j++)
        {
            var k = _patternOf[rows is null ? j : rows[j]];
            (a[j], b[j]) = (firstByPattern[k], secondByPattern[k]);
        }

        return (a, b);
    }
}
