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
    private const int BlockSize = 16_384;

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

        var rows = new (double X, double Tx, double T)[options.Customers];
        var blocks = (rows.Length + BlockSize - 1) / BlockSize;
        Parallel.For(0, blocks, block =>
        {
            var rng = new Xoshiro256StarStar(options.Seed, block);
            var end = Math.Min(rows.Length, (block + 1) * BlockSize);
            for (var i = block * BlockSize; i < end; i++)
            {
                rows[i] = Customer(ref rng, parameters, options);
            }
        });
        return rows;
    }

    private static (double X, double Tx, double T) Customer(ref Xoshiro256StarStar rng, ParetoNbdParameters p, BgNbdSimulationOptions o)
    {
        var age = o.MaxAge > o.MinAge ? o.MinAge + ((o.MaxAge - o.MinAge) * rng.NextDouble()) : o.MinAge;
        var lambda = Math.Exp(RandomVariates.GammaLn(ref rng, p.R) - Math.Log(p.Alpha));
        var mu = Math.Exp(RandomVariates.GammaLn(ref rng, p.S) - Math.Log(p.Beta));
        var lifetime = -Math.Log(rng.NextOpenDouble()) / mu;
        var grid = o.TimeGrid;
        if (grid > 0)
        {
            age = Math.Floor(age / grid) * grid;
        }

        var horizon = Math.Min(age, lifetime);
        var x = 0;
        var tx = 0.0;
        var t = 0.0;
        var lastCell = 0.0;
        while (true)
        {
            t += -Math.Log(rng.NextOpenDouble()) / lambda;
            if (!(t <= horizon))
            {
                break;
            }

            if (grid > 0)
            {
                var cell = Math.Floor(t / grid);
                if (cell > lastCell)
                {
                    lastCell = cell;
                    x++;
                    tx = Math.Min(cell * grid, age);
                }
            }
            else
            {
                x++;
                tx = t;
            }
        }

        return (x, tx, age);
    }
}
