namespace CrmAnalytics.Core.Sampling;

/// <summary>
/// A seeded generator of realistic order exports: BG/NBD purchase timing, Gamma-Gamma order values, several lines per
/// order, guest checkouts, cancellations and zero-price lines. The same options always give the same lines.
/// </summary>
/// <remarks>
/// Occasions are simulated first (memory grows with occasions), sorted by time as real exports are, then expanded
/// into lines lazily.
/// </remarks>
public static class TransactionSimulator
{
    private const int SkuCount = 4000;

    public static IEnumerable<SimulatedLine> Generate(TransactionSimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return GenerateCore(options);
    }

    private static IEnumerable<SimulatedLine> GenerateCore(TransactionSimulatorOptions o)
    {
        var rng = new Random(o.Seed);
        var occasions = SimulateOccasions(o, rng);
        var startDay = o.Start.DayNumber;
        long orderNumber = 100000;
        foreach (var occ in occasions)
        {
            var day = DateOnly.FromDayNumber(startDay + occ.Day);
            var customer = occ.Customer < 0 ? string.Empty : (10000 + occ.Customer).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var time = day.ToDateTime(new TimeOnly(8 + rng.Next(12), rng.Next(60)));
            var order = (orderNumber++).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var lineCount = 1 + rng.Next(4);
            var remaining = occ.Value;
            var first = default(SimulatedLine);
            for (var l = 0; l < lineCount; l++)
            {
                var share = l == lineCount - 1 ? remaining : remaining * rng.NextDouble() * 0.7;
                remaining -= share;
                var quantity = 1 + rng.Next(6);
                var price = Math.Max(0.01, Math.Round(share / quantity, 2));
                if (rng.NextDouble() < o.ZeroPriceShare)
                {
                    price = 0;
                }

                var line = new SimulatedLine(order, customer, time, Sku(rng), quantity, price);
                if (l == 0)
                {
                    first = line;
                }

                yield return line;
            }

            if (occ.Customer >= 0 && rng.NextDouble() < o.CancellationShare)
            {
                yield return first with { OrderId = "C" + (orderNumber++).ToString(System.Globalization.CultureInfo.InvariantCulture), Quantity = -first.Quantity, Timestamp = time.AddHours(1) };
            }
        }
    }

    private static string Sku(Random rng) => "SKU" + rng.Next(SkuCount).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    private static List<Occasion> SimulateOccasions(TransactionSimulatorOptions o, Random rng)
    {
        var horizonWeeks = (double)o.Weeks;
        var occasions = new List<Occasion>(o.Customers * 3);
        for (var c = 0; c < o.Customers; c++)
        {
            var lambda = Gamma(rng, o.R, 1.0 / o.Alpha);
            var p = Beta(rng, o.A, o.B);
            var nu = Gamma(rng, o.Q, 1.0 / o.V);
            var t = rng.NextDouble() * o.CohortWeeks;
            var lastDay = -1;
            while (t < horizonWeeks)
            {
                var day = (int)(t * 7);
                if (day != lastDay)
                {
                    occasions.Add(new Occasion(day, c, Math.Round(Gamma(rng, o.P, 1.0 / nu), 2) + 0.01));
                    lastDay = day;
                }

                if (rng.NextDouble() < p)
                {
                    break;
                }

                t += -Math.Log(1 - rng.NextDouble()) / lambda;
            }
        }

        var guests = (int)(occasions.Count * o.GuestShare);
        for (var g = 0; g < guests; g++)
        {
            occasions.Add(new Occasion(rng.Next(o.Weeks * 7), -1, Math.Round(Gamma(rng, o.P, o.V / o.Q), 2) + 0.01));
        }

        occasions.Sort(static (x, y) => x.Day != y.Day ? x.Day.CompareTo(y.Day) : x.Customer.CompareTo(y.Customer));
        return occasions;
    }

    /// <summary>Gamma(shape, scale) by Marsaglia &amp; Tsang (2000), with the shape &lt; 1 boost.</summary>
    internal static double Gamma(Random rng, double shape, double scale)
    {
        if (shape < 1)
        {
            var u = rng.NextDouble();
            return Gamma(rng, shape + 1, scale) * Math.Pow(u, 1.0 / shape);
        }

        var d = shape - (1.0 / 3.0);
        var c = 1.0 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(rng);
                v = 1 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            var u = rng.NextDouble();
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v * scale;
            }
        }
    }

    internal static double Beta(Random rng, double a, double b)
    {
        var x = Gamma(rng, a, 1);
        var y = Gamma(rng, b, 1);
        return x / (x + y);
    }

    private static double Normal(Random rng)
    {
        var u1 = 1 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private readonly record struct Occasion(int Day, int Customer, double Value);
}
