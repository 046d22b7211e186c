using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Simulation;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Benchmarks.Clv;

/// <summary>
/// The synthetic population: BG/NBD r=0.25, α=4, a=0.8, b=2.5 (weeks) and Gamma-Gamma p=6, q=4, v=15,
/// ages uniform on 1–78 weeks, seeded.
/// </summary>
internal sealed class SimulatedPopulation
{
    public static readonly BgNbdParameters PurchaseParameters = new(0.25, 4, 0.8, 2.5);
    public static readonly GammaGammaParameters SpendParameters = new(6, 4, 15);

    public SimulatedPopulation(int customers, bool dayGrid, int seed = 42)
    {
        Histories = BgNbdSimulator.Simulate(PurchaseParameters, new BgNbdSimulationOptions
        {
            Customers = customers,
            MinAge = 1,
            MaxAge = 78,
            Seed = seed,
            TimeGrid = dayGrid ? 1 / 7.0 : 0,
        });
        Spend = GammaGammaSimulator.Simulate(SpendParameters, Histories.Select(h => h.X).ToArray(), seed);
    }

    /// <summary>(x, t_x, T) in weeks.</summary>
    public (double X, double Tx, double T)[] Histories { get; }

    /// <summary>(x, z̄); z̄ = 0 when x = 0.</summary>
    public (double X, double MeanValue)[] Spend { get; }

    /// <summary>The population as customer summaries on whole days (what <c>crm score</c> sees).</summary>
    public CustomerSummary[] Summaries() => SimulatedSummaries.From(Histories, Spend, new DateOnly(2025, 1, 1));
}
