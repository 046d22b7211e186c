using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.ModifiedBgNbd;

namespace CrmAnalytics.Core.Clv.Simulation;

/// <summary>
/// Seeded simulation of repeat patterns (x, t_x, T) from known BG/NBD or MBG/NBD parameters, for parameter-recovery
/// tests and benchmarks. The output feeds <see cref="RepeatPatterns.From(IEnumerable{ValueTuple{double, double, double}})"/>.
/// </summary>
/// <remarks>
/// Each customer draws λ ~ Gamma(r, rate α) and p ~ Beta(a, b), then buys at the events of a Poisson(λ) process
/// observed on (0, T] and drops out after each purchase with probability p (Fader, Hardie &amp; Lee 2005, §3); under
/// MBG/NBD also at time 0 (Batislam, Denizel &amp; Filiztekin 2007). Customers are simulated in fixed blocks, each
/// with its own generator seeded from (seed, block), so the result does not depend on how blocks are scheduled.
/// </remarks>
public static class BgNbdSimulator
{
    /// <summary>Customers of a BG/NBD population.</summary>
    public static (double X, double Tx, double T)[] Simulate(BgNbdParameters parameters, BgNbdSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Run(parameters.R, parameters.Alpha, parameters.A, parameters.B, dropoutAtStart: false, options);
    }

    /// <summary>Customers of an MBG/NBD population (who may also drop out right after the first purchase).</summary>
    public static (double X, double Tx, double T)[] Simulate(ModifiedBgNbdParameters parameters, BgNbdSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return Run(parameters.R, parameters.Alpha, parameters.A, parameters.B, dropoutAtStart: true, options);
    }

    private static (double X, double Tx, double T)[] Run(double r, double alpha, double a, double b, bool dropoutAtStart, BgNbdSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return SeededBlocks.Run(options.Customers, options.Seed, 0, (ref Xoshiro256StarStar rng, int _) => Customer(ref rng, r, alpha, a, b, dropoutAtStart, options));
    }

    private static (double X, double Tx, double T) Customer(ref Xoshiro256StarStar rng, double r, double alpha, double a, double b, bool dropoutAtStart, BgNbdSimulationOptions o)
    {
        var age = PurchaseTally.DrawAge(ref rng, o);
        var lambda = Math.Exp(RandomVariates.GammaLn(ref rng, r) - Math.Log(alpha));
        var p = RandomVariates.Beta(ref rng, a, b);
        if (dropoutAtStart && rng.NextOpenDouble() < p)
        {
            return (0, 0, age);
        }

        var tally = new PurchaseTally(o.TimeGrid, age);
        var t = 0.0;
        while (true)
        {
            t += -Math.Log(rng.NextOpenDouble()) / lambda;
            if (!(t <= age))
            {
                break;
            }

            tally.Add(t);
            if (rng.NextOpenDouble() < p)
            {
                break;
            }
        }

        return (tally.X, tally.Tx, age);
    }
}
