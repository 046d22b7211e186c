using System.Globalization;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Stages.Models;

/// <summary><c>crm fit --fit-sample N</c>: the seeded customer sample the population-wide models are fitted on.</summary>
internal static class FitSample
{
    /// <summary>
    /// The <paramref name="size"/> customers with the smallest <see cref="CustomerHash.Fnv1a64"/> of
    /// "&lt;seed&gt;:&lt;customer_id&gt;" (ties by id, ordinal), in the summary's order; all customers when there are no more
    /// than that. The sample depends only on the ids and the seed, not on the input's order or the machine, and an
    /// engine can draw the same one in SQL.
    /// </summary>
    public static CustomerSummaryResult Draw(CustomerSummaryResult summary, int size, int seed)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (summary.Customers.Count <= size)
        {
            return summary;
        }

        var prefix = seed.ToString(CultureInfo.InvariantCulture) + ":";
        var chosen = summary.Customers
            .Select((c, i) => (Hash: CustomerHash.Fnv1a64(prefix + c.CustomerId), c.CustomerId, Index: i))
            .OrderBy(k => k.Hash).ThenBy(k => k.CustomerId, StringComparer.Ordinal)
            .Take(size)
            .Select(k => k.Index)
            .Order()
            .Select(i => summary.Customers[i])
            .ToArray();
        return summary with { Customers = chosen };
    }
}
