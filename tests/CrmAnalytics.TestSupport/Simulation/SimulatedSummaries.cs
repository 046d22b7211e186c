using System.Globalization;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv.Simulation;

/// <summary>Simulated BTYD histories as the customer summaries <c>crm score</c> would build, for tests and benchmarks.</summary>
internal static class SimulatedSummaries
{
    /// <summary>
    /// One summary per history: (x, t_x, T) in weeks rounded to whole days, the first purchase T days before the day
    /// before <paramref name="asOf"/>, every occasion worth the customer's mean value (z̄ from the spend simulation).
    /// </summary>
    public static CustomerSummary[] From((double X, double Tx, double T)[] histories, (double X, double MeanValue)[] spend, DateOnly asOf)
    {
        var result = new CustomerSummary[histories.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var (x, tx, T) = histories[i];
            var age = (int)Math.Round(T * 7);
            var txDays = Math.Min(age, (int)Math.Round(tx * 7));
            var first = asOf.AddDays(-1 - age);
            var mean = spend[i].MeanValue;
            result[i] = new CustomerSummary
            {
                CustomerId = i.ToString(CultureInfo.InvariantCulture),
                FirstPurchase = first,
                LastPurchase = first.AddDays(txDays),
                Orders = (int)x + 1,
                TxDays = txDays,
                AgeDays = age,
                RecencyDays = age - txDays,
                GrossSpend = mean * (x + 1),
                ReturnsValue = 0,
                ReturnLines = 0,
                MeanRepeatValue = mean,
                GapStdDays = 0,
                Windows = default,
            };
        }

        return result;
    }
}
