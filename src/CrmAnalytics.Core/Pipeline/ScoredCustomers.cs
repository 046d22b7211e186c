namespace CrmAnalytics.Core.Pipeline;

/// <summary>The customer table a stage hands on: the previous stage's rows, each with the stage's columns added.</summary>
public static class ScoredCustomers
{
    private const int RangeSize = 1 << 14;

    /// <summary>
    /// A new table of <paramref name="with"/> applied to each row and its index, in order, on all cores: at a million
    /// customers the copies are a stage's largest single allocation, and one thread spent 1.5–1.7 s on them.
    /// </summary>
    public static ScoredCustomer[] With(IReadOnlyList<ScoredCustomer> customers, Func<ScoredCustomer, int, ScoredCustomer> with)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(with);
        var result = new ScoredCustomer[customers.Count];
        var ranges = (result.Length + RangeSize - 1) / RangeSize;
        Parallel.For(0, ranges, range =>
        {
            var end = Math.Min(result.Length, (range + 1) * RangeSize);
            for (var i = range * RangeSize; i < end; i++)
            {
                result[i] = with(customers[i], i);
            }
        });

        return result;
    }
}
