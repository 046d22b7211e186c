using CrmAnalytics.Core.Clv.Simulation;

namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>
/// Seeded simulation of spend patterns (x, z̄) from known Gamma-Gamma parameters, for parameter-recovery tests and
/// benchmarks. The output feeds <see cref="SpendPatterns.From(IEnumerable{ValueTuple{double, double}})"/>.
/// </summary>
/// <remarks>
/// Each customer draws ν ~ Gamma(q, rate v); the mean of x transaction values z ~ Gamma(p, rate ν) is then drawn
/// directly as z̄ ~ Gamma(px, rate νx) (Fader &amp; Hardie 2013, "The Gamma-Gamma model of monetary value", the
/// step to eq. 3). Customers are simulated in fixed blocks, each with its own generator seeded from (seed, block), so
/// the result does not depend on how blocks are scheduled. The blocks use streams 2^30 + block, apart from those of
/// <see cref="BgNbdSimulator"/> (stream = block), so that spend drawn with the seed of a purchase simulation is
/// independent of the purchases, as the model assumes.
/// </remarks>
public static class GammaGammaSimulator
{
    private const int StreamOffset = 1 << 30;

    /// <summary>Customers with x = 1 + Poisson(<see cref="GammaGammaSimulationOptions.MeanFrequency"/> − 1) repeat transactions.</summary>
    /// <exception cref="ConfigurationException">The options are invalid (every error is reported).</exception>
    public static (double X, double MeanValue)[] Simulate(GammaGammaParameters parameters, GammaGammaSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        var extra = options.MeanFrequency - 1;
        return Run(parameters, options.Customers, options.Seed, (ref Xoshiro256StarStar rng, int _) => 1 + Poisson(ref rng, extra));
    }

    /// <summary>
    /// Mean values for customers with the given repeat frequencies, e.g. the x of <see cref="BgNbdSimulator"/>'s output.
    /// A customer with x = 0 gets z̄ = 0, as <see cref="Customers.CustomerSummary.MeanRepeatValue"/> does.
    /// </summary>
    /// <exception cref="ArgumentException">A frequency is negative or not finite.</exception>
    public static (double X, double MeanValue)[] Simulate(GammaGammaParameters parameters, IReadOnlyList<double> frequencies, int seed)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(frequencies);
        if (frequencies.Any(x => !(x >= 0) || !double.IsFinite(x)))
        {
            throw new ArgumentException("Frequencies must be finite and ≥ 0.", nameof(frequencies));
        }

        return Run(parameters, frequencies.Count, seed, (ref Xoshiro256StarStar _, int i) => frequencies[i]);
    }

    private static (double X, double MeanValue)[] Run(GammaGammaParameters parameters, int customers, int seed, SeededBlocks.Draw<double> frequency)
    {
        var lnV = Math.Log(parameters.V);
        return SeededBlocks.Run(customers, seed, StreamOffset, (ref Xoshiro256StarStar rng, int i) =>
        {
            var x = frequency(ref rng, i);
            var lnNu = RandomVariates.GammaLn(ref rng, parameters.Q) - lnV;
            var mean = x > 0 ? Math.Exp(RandomVariates.GammaLn(ref rng, parameters.P * x) - lnNu - Math.Log(x)) : 0;
            return (x, mean);
        });
    }

    /// <summary>Poisson(λ) as the number of unit-rate exponential gaps that fit in λ; time linear in λ (λ ≤ 999 here).</summary>
    private static int Poisson(ref Xoshiro256StarStar rng, double lambda)
    {
        var count = 0;
        var t = -Math.Log(rng.NextOpenDouble());
        while (t <= lambda)
        {
            count++;
            t -= Math.Log(rng.NextOpenDouble());
        }

        return count;
    }
}
