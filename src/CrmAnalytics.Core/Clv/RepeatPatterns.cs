using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// Distinct (x, t_x, T) patterns with the number of customers showing each: the input of the BTYD purchase models.
/// Likelihoods are sums over patterns weighted by count, so fitting costs grow with distinct patterns, not customers.
/// </summary>
public sealed class RepeatPatterns
{
    private RepeatPatterns(double[] x, double[] tx, double[] t, double[] weight)
    {
        X = x;
        Tx = tx;
        T = t;
        Weight = weight;
        Customers = weight.Sum();
    }

    /// <summary>Repeat purchases x.</summary>
    public double[] X { get; }

    /// <summary>Recency t_x (time of the last repeat purchase since the first), in model time units.</summary>
    public double[] Tx { get; }

    /// <summary>Age T (time since the first purchase), in model time units.</summary>
    public double[] T { get; }

    /// <summary>Customers per pattern.</summary>
    public double[] Weight { get; }

    public int Count => X.Length;

    public double Customers { get; }

    /// <summary>Groups rows by exact (x, t_x, T); order of first appearance is kept.</summary>
    public static RepeatPatterns From(IEnumerable<(double X, double Tx, double T)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var index = new Dictionary<(double, double, double), int>();
        var x = new List<double>();
        var tx = new List<double>();
        var t = new List<double>();
        var w = new List<double>();
        foreach (var row in rows)
        {
            if (row.X < 0 || row.Tx < 0 || row.T < row.Tx || !double.IsFinite(row.T))
            {
                throw new ArgumentException($"Invalid pattern (x={row.X}, t_x={row.Tx}, T={row.T}): need x ≥ 0 and 0 ≤ t_x ≤ T.", nameof(rows));
            }

            if (index.TryGetValue(row, out var i))
            {
                w[i]++;
            }
            else
            {
                index[row] = x.Count;
                x.Add(row.X);
                tx.Add(row.Tx);
                t.Add(row.T);
                w.Add(1);
            }
        }

        return new RepeatPatterns(x.ToArray(), tx.ToArray(), t.ToArray(), w.ToArray());
    }

    /// <summary>
    /// Patterns grouped before (<see cref="PatternIndex"/>): (x, t_x days, T days) in order of first appearance and each
    /// customer's index into them; the same patterns, in the same order, as <see cref="From(IEnumerable{CustomerSummary}, double)"/>.
    /// </summary>
    internal static RepeatPatterns FromGroups(IReadOnlyList<(int X, int TxDays, int TDays)> patterns, int[] patternOf, double unitDays)
    {
        var weight = new double[patterns.Count];
        foreach (var k in patternOf)
        {
            weight[k]++;
        }

        var (x, tx, t) = (new double[patterns.Count], new double[patterns.Count], new double[patterns.Count]);
        for (var k = 0; k < patterns.Count; k++)
        {
            (x[k], tx[k], t[k]) = (patterns[k].X, patterns[k].TxDays / unitDays, patterns[k].TDays / unitDays);
        }

        return new RepeatPatterns(x, tx, t, weight);
    }

    /// <summary>The patterns of customer summaries, with time measured in units of <paramref name="unitDays"/> days (7 = weeks).</summary>
    public static RepeatPatterns From(IEnumerable<CustomerSummary> customers, double unitDays = Units.DaysPerWeek) =>
        From(customers.Select(c => ((double)c.Frequency, c.TxDays / unitDays, c.AgeDays / unitDays)));
}
