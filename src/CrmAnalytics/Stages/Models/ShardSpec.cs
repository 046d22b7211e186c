using System.Globalization;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Stages.Models;

/// <summary>
/// <c>--shard i/n</c>: the customers whose <see cref="CustomerHash.ShardKey"/> modulo <see cref="Count"/> equals
/// <see cref="Index"/> (0-based, as a Kubernetes Indexed Job numbers its pods).
/// </summary>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>Parses "i/n" with 0 ≤ i &lt; n; null and a message in <paramref name="errors"/> otherwise.</summary>
    public static ShardSpec? Parse(string text, List<string> errors)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index < count)
        {
            return new ShardSpec(index, count);
        }

        errors.Add($"{nameof(Score.ScoreJobOptions)}.{nameof(Score.ScoreJobOptions.Shard)} '{text}' must be i/n with 0 ≤ i < n, e.g. 0/4 … 3/4.");
        return null;
    }

    internal bool Contains(string customerId) => CustomerHash.ShardKey(customerId) % Count == Index;

    /// <summary>The summary with only this shard's customers, in their order.</summary>
    internal CustomerSummaryResult Select(CustomerSummaryResult summary) =>
        summary with { Customers = summary.Customers.Where(c => Contains(c.CustomerId)).ToArray() };

    /// <summary>"i/n", as <c>--shard</c> takes it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
