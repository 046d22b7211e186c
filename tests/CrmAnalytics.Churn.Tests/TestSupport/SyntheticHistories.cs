using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Churn.Tests.TestSupport;

/// <summary>
/// Seeded purchase histories for model tests: each customer buys as a Poisson process (rate 1/7–1/60 per day) from a
/// random start until a random drop-out day, so recent, frequent buyers churn less — a pattern a classifier can learn.
/// </summary>
internal static class SyntheticHistories
{
    public static readonly DateOnly Start = new(2022, 1, 1);

    public static DateOnly AsOf => Start.AddDays(720);

    public static CustomerSummaryBuilder Build(int customers, int seed)
    {
        var random = new Random(seed);
        var builder = new CustomerSummaryBuilder();
        for (var c = 0; c < customers; c++)
        {
            var id = "C" + c.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            var rate = 1.0 / (7 + random.NextDouble() * 53);
            var day = random.Next(0, 600);
            var dropout = day + (int)(-Math.Log(1 - random.NextDouble()) * 300);
            var spend = 10 + random.NextDouble() * 90;
            builder.AddPurchase(id, Start.AddDays(day), spend);
            while (true)
            {
                day += 1 + (int)(-Math.Log(1 - random.NextDouble()) / rate);
                if (day >= dropout || day >= 720)
                {
                    break;
                }

                builder.AddPurchase(id, Start.AddDays(day), spend * (0.5 + random.NextDouble()));
                if (random.NextDouble() < 0.05)
                {
                    builder.AddReturn(id, Start.AddDays(day), -spend * 0.3);
                }
            }
        }

        return builder;
    }
}
