using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests;

/// <summary>Builds <see cref="CustomerSummary"/> rows directly, consistent with an observation end of <see cref="End"/>.</summary>
internal static class TestCustomers
{
    /// <summary>The last observed day (as-of 2025-01-01 − 1 day).</summary>
    public static readonly DateOnly End = new(2024, 12, 31);

    public static readonly DateOnly AsOf = End.AddDays(1);

    /// <param name="ageDays">Days from the first purchase to <see cref="End"/>; defaults to <paramref name="recencyDays"/> (one purchase day).</param>
    public static CustomerSummary Make(
        string id,
        int orders = 1,
        int recencyDays = 0,
        int? ageDays = null,
        double gross = 100,
        double returns = 0,
        WindowCounts windows = default)
    {
        var age = ageDays ?? recencyDays;
        return new CustomerSummary
        {
            CustomerId = id,
            FirstPurchase = End.AddDays(-age),
            LastPurchase = End.AddDays(-recencyDays),
            Orders = orders,
            TxDays = age - recencyDays,
            AgeDays = age,
            RecencyDays = recencyDays,
            GrossSpend = gross,
            ReturnsValue = returns,
            ReturnLines = returns > 0 ? 1 : 0,
            MeanRepeatValue = 0,
            GapStdDays = 0,
            Windows = windows,
        };
    }

    /// <summary>Window occasion counts with zero spend.</summary>
    public static WindowCounts Windows(int orders30d = 0, int orders90d = 0, int orders180d = 0, int orders365d = 0, int priorYear = 0) =>
        new(orders30d, orders90d, orders180d, orders365d, 0, 0, 0, 0, priorYear);
}
