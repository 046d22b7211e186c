using CrmAnalytics.Core.Clv.Simulation;

namespace CrmAnalytics.Core.Clv.ParetoNbd;

/// <summary>
/// Seeded simulation of repeat patterns (x, t_x, T) from known Pareto/NBD parameters, for parameter-recovery tests and
/// benchmarks. The output feeds <see cref="RepeatPatterns.From(IEnumerable{ValueTuple{double, double, double}})"/>.
/// </summary>
/// <remarks>
/// Each customer draws λ ~ Gamma(r, rate α) and μ ~ Gamma(s, rate β), lives for an exponential time with rate μ and
/// buys at the events of a Poisson(λ) process while alive and within (0, T] (Schmittlein, Morrison &amp; Colombo 1987,
/// assumptions i–v). The options are those of <see cref="BgNbdSimulator"/> and mean the same (age range, seed, time
/// grid). Customers are simulated in fixed blocks, each with its own generator seeded from (seed, block), so the result
/// does not depend on how blocks are scheduled.
/// </remarks>
public static class ParetoNbdSimulator
{
    /// <summary>Customers of a Pareto/NBD population.</summary>
    public static (double X, double Tx, double T)[] Simulate(ParetoNbdParameters parameters, BgNbdSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return SeededBlocks.Run(options.Customers, options.Seed, 0, (ref Xoshiro256StarStar rng, int _) => Customer(ref rng, parameters, options));
    }

    private static (double X, double Tx, double T) Customer(ref Xoshiro256StarStar rng, ParetoNbdParameters p, BgNbdSimulationOptions o)
    {
        var age = PurchaseTally.DrawAge(ref rng, o);
        var lambda = Math.Exp(RandomVariates.GammaLn(ref rng, p.R) - Math.Log(p.Alpha));
        var mu = Math.Exp(RandomVariates.GammaLn(ref rng, p.S) - Math.Log(p.Beta));
        var lifetime = -Math.Log(rng.NextOpenDouble()) / mu;
        var horizon = Math.Min(age, lifetime);
        var tally = new PurchaseTally(o.TimeGrid, age);
        var t = 0.0;
        while (true)
        {
            t += -Math.Log(rng.NextOpenDouble()) / lambda;
            if (!(t <= horizon))
            {
                break;
            }

            tally.Add(t);
        }

        return (tally.X, tally.Tx, age);
    }
}
