using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Simulation;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests.Clv.Uncertainty;

/// <summary>A seeded BG/NBD + Gamma-Gamma population on a whole-day grid, as customer summaries (weeks in the model).</summary>
internal static class SimulatedCustomers
{
    /// <summary>Near the CDNOW sample's published fits (Fader, Hardie &amp; Lee 2005): r, α (weeks), a, b.</summary>
    public static readonly BgNbdParameters Purchase = new(0.25, 4, 0.8, 2.5);

    public static readonly GammaGammaParameters Spend = new(6, 4, 15);

    public static CustomerSummary[] Create(int customers, int seed)
    {
        var histories = BgNbdSimulator.Simulate(Purchase, new BgNbdSimulationOptions { Customers = customers, MinAge = 26, MaxAge = 78, Seed = seed, TimeGrid = 1 / 7.0 });
        var spend = GammaGammaSimulator.Simulate(Spend, histories.Select(h => h.X).ToArray(), seed);
        return SimulatedSummaries.From(histories, spend, new DateOnly(2025, 1, 1));
    }
}
