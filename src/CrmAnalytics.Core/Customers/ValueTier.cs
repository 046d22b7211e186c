using CrmAnalytics.Core.Internals;

namespace CrmAnalytics.Core.Customers;

/// <summary>The seed value tier: the top share of customers by net monetary value, and the revenue share they hold
/// (the 80/20 claim, measured on the user's data; DESIGN.md, "Seed segments").</summary>
public static class ValueTier
{
    /// <summary>Marks the <c>ceil(topShare × n)</c> customers with the largest <see cref="CustomerSummary.MonetaryTotal"/>.</summary>
    /// <param name="topShare">The fraction of customers in the tier, 0–1; default 0.2.</param>
    /// <returns>One flag per customer, aligned with the input.</returns>
    /// <remarks>
    /// <para>
    /// Ties at the cut are broken by <see cref="CustomerSummary.CustomerId"/> in ordinal order (the smaller id is in), so
    /// the tier always has exactly <c>ceil(topShare × n)</c> customers and does not depend on the input order.
    /// </para>
    /// <para>
    /// <c>topShare × n</c> is computed in decimal from <paramref name="topShare"/> at 15 significant digits, so that
    /// 0.07 × 100 is 7 rather than the binary 7.000000000000001, whose ceiling would be 8.
    /// </para>
    /// <para>
    /// O(n) for the values: one radix sort of them (<see cref="DoubleKeySort"/>; the order among equal values does not
    /// matter, since those tied at the cut are ordered by id), then a sort of the ids tied at the cut only.
    /// </para>
    /// </remarks>
    public static bool[] TopTier(IReadOnlyList<CustomerSummary> customers, double topShare = 0.2)
    {
        ArgumentNullException.ThrowIfNull(customers);
        CheckShare(topShare);

        var n = customers.Count;
        var inTier = new bool[n];
        var size = TierSize(n, topShare);
        if (size == 0)
        {
            return inTier;
        }

        var keys = new double[n];
        var index = new int[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = -customers[i].MonetaryTotal;
            index[i] = i;
        }

        DoubleKeySort.Sort(keys, index);

        var cut = keys[size - 1];
        var start = size - 1;
        while (start > 0 && keys[start - 1].CompareTo(cut) == 0)
        {
            start--;
        }

        var end = size;
        while (end < n && keys[end].CompareTo(cut) == 0)
        {
            end++;
        }

        for (var i = 0; i < start; i++)
        {
            inTier[index[i]] = true;
        }

        var tied = index[start..end];
        Array.Sort(tied, (a, b) => string.CompareOrdinal(customers[a].CustomerId, customers[b].CustomerId));
        for (var i = 0; i < size - start; i++)
        {
            inTier[tied[i]] = true;
        }

        return inTier;
    }

    /// <summary>
    /// The tier of <paramref name="customers"/> frozen as its last member, so that any subset of them (a shard) is
    /// placed as among the whole population: see <see cref="ValueTierCut.Contains"/>. Null when the tier is empty.
    /// </summary>
    public static ValueTierCut? Cut(IReadOnlyList<CustomerSummary> customers, double topShare = 0.2)
    {
        var inTier = TopTier(customers, topShare);
        ValueTierCut? cut = null;
        for (var i = 0; i < inTier.Length; i++)
        {
            if (inTier[i] && (cut is null || new ValueTierCut(customers[i].MonetaryTotal, customers[i].CustomerId).IsAbove(cut)))
            {
                cut = new ValueTierCut(customers[i].MonetaryTotal, customers[i].CustomerId);
            }
        }

        return cut;
    }

    /// <summary>The number of customers in the tier: <c>ceil(topShare × n)</c>.</summary>
    public static int TierSize(int customers, double topShare)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(customers);
        CheckShare(topShare);

        return (int)Math.Ceiling((decimal)topShare * customers);
    }

    /// <summary>The tier's share of total net revenue: Σ tier <see cref="CustomerSummary.MonetaryTotal"/> / Σ all of it.</summary>
    /// <param name="inTier">Flags aligned with <paramref name="customers"/>, as <see cref="TopTier"/> returns them.</param>
    /// <returns>
    /// The share; 0 when total net revenue is 0 or less (returns at least as large as purchases), where a share is
    /// undefined. It can exceed 1 when customers outside the tier have negative net totals.
    /// </returns>
    public static double RevenueShare(IReadOnlyList<CustomerSummary> customers, IReadOnlyList<bool> inTier)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(inTier);
        if (inTier.Count != customers.Count)
        {
            throw new ArgumentException("There must be one flag per customer.", nameof(inTier));
        }

        double total = 0, tier = 0;
        for (var i = 0; i < customers.Count; i++)
        {
            var value = customers[i].MonetaryTotal;
            total += value;
            if (inTier[i])
            {
                tier += value;
            }
        }

        return total > 0 ? tier / total : 0;
    }

    private static void CheckShare(double topShare)
    {
        if (!(topShare is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(topShare), topShare, "The top share must be between 0 and 1.");
        }
    }
}

/// <summary>The last customer of a value tier: the lowest monetary total in it and, among those tied at it, the largest id (ordinal).</summary>
public sealed record ValueTierCut(double MonetaryTotal, string CustomerId)
{
    /// <summary>
    /// In the tier: a larger monetary total than the cut, or the same and an id not after the cut's in ordinal order,
    /// which is <see cref="ValueTier.TopTier"/>'s tie-break, so the population's own tier is reproduced exactly (tested).
    /// </summary>
    public bool Contains(CustomerSummary customer)
    {
        var c = customer.MonetaryTotal.CompareTo(MonetaryTotal);
        return c > 0 || (c == 0 && string.CompareOrdinal(customer.CustomerId, CustomerId) <= 0);
    }

    /// <summary>True when this is later in the tier's order than <paramref name="other"/> (lower total, or same total and larger id).</summary>
    internal bool IsAbove(ValueTierCut other)
    {
        var c = MonetaryTotal.CompareTo(other.MonetaryTotal);
        return c < 0 || (c == 0 && string.CompareOrdinal(CustomerId, other.CustomerId) > 0);
    }
}
