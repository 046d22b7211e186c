using System.Globalization;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Benchmarks.Churn;

/// <summary>
/// A seeded population for the churn benchmarks: each customer starts on a random day of two years, buys as a
/// Poisson process (one purchase every 7–60 days) and drops out after an exponential lifetime (mean 300 days).
/// </summary>
internal static class ChurnPopulation
{
    public static readonly DateOnly Start = new(2022, 1, 1);

    public static DateOnly AsOf => Start.AddDays(730);

    public static CustomerSummaryBuilder Build(int customers, int seed = 42)
    {
        var builder = new CustomerSummaryBuilder();
        var random = new Random(seed);
        for (var c = 0; c < customers; c++)
        {
            var id = c.ToString("D7", CultureInfo.InvariantCulture);
            var rate = 1.0 / (7 + random.NextDouble() * 53);
            var day = random.Next(0, 700);
            var dropout = day + (int)(-Math.Log(1 - random.NextDouble()) * 300);
            var spend = 10 + random.NextDouble() * 90;
            builder.AddPurchase(id, Start.AddDays(day), spend);
            while (true)
            {
                day += 1 + (int)(-Math.Log(1 - random.NextDouble()) / rate);
                if (day >= dropout || day >= 730)
                {
                    break;
                }

                builder.AddPurchase(id, Start.AddDays(day), spend * (0.5 + random.NextDouble()));
            }
        }

        return builder;
    }
}
