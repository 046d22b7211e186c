using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv;

/// <summary>
/// Customers grouped once by (x, t_x, T) in days, and those patterns by (x, T): the keys on which the purchase fit, the
/// CLV columns and their intervals are computed, so that each costs work per distinct key and a customer only a lookup.
/// </summary>
internal sealed class CustomerPatterns
{
    private CustomerPatterns(List<(int X, int TxDays, int TDays)> patterns, int[] patternOf, List<(int X, int TDays)> pairs, int[] pairOfPattern)
    {
        Patterns = patterns;
        PatternOf = patternOf;
        Pairs = pairs;
        PairOfPattern = pairOfPattern;
    }

    /// <summary>Distinct (x, t_x days, T days), in order of first appearance.</summary>
    public List<(int X, int TxDays, int TDays)> Patterns { get; }

    /// <summary>Each customer's index into <see cref="Patterns"/>.</summary>
    public int[] PatternOf { get; }

    /// <summary>Distinct (x, T days) of the patterns: what the expectations of an alive customer depend on.</summary>
    public List<(int X, int TDays)> Pairs { get; }

    /// <summary>Each pattern's index into <see cref="Pairs"/>.</summary>
    public int[] PairOfPattern { get; }

    public static CustomerPatterns Group(IReadOnlyList<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var (patterns, patternOf) = PatternIndex.GroupDays(customers);
        var index = new Dictionary<(int, int), int>();
        var pairs = new List<(int X, int TDays)>();
        var pairOf = new int[patterns.Count];
        for (var k = 0; k < patterns.Count; k++)
        {
            var key = (patterns[k].Item1, patterns[k].Item3);
            if (!index.TryGetValue(key, out var p))
            {
                p = pairs.Count;
                index.Add(key, p);
                pairs.Add(key);
            }

            pairOf[k] = p;
        }

        return new CustomerPatterns(patterns, patternOf, pairs, pairOf);
    }

    /// <summary>The patterns weighted by their customers, in model time units: the purchase fit's input.</summary>
    public RepeatPatterns RepeatPatterns(double unitDays) => Clv.RepeatPatterns.FromGroups(Patterns, PatternOf, unitDays);
}
