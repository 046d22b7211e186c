using System.Globalization;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Simulation;

namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>
/// Seeded simulation of BG/NBD or Pareto/NBD customers with static covariates, for parameter-recovery tests and
/// benchmarks: each group of customers with equal covariate rows is a population of the model without covariates at
/// its individual parameters (<see cref="CovariateModel"/>), simulated with its own seed (seed + group number).
/// </summary>
public static class CovariateSimulator
{
    /// <summary>(x, t_x, T) per customer, in the order of the designs' rows.</summary>
    /// <param name="model">"bgnbd" or "paretonbd".</param>
    /// <param name="parameters">(r, α, a, b) or (r, α, s, β) of the reference customer, then γ_purchase, then γ_dropout.</param>
    /// <param name="options">Ages, time grid and seed; its number of customers is ignored (the designs' rows count).</param>
    public static (double X, double Tx, double T)[] Simulate(string model, double[] parameters, CovariateDesign purchase, CovariateDesign dropout, BgNbdSimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(dropout);
        ArgumentNullException.ThrowIfNull(options);
        var kind = CovariateModel.For(model);
        if (parameters.Length != 4 + purchase.Count + dropout.Count || purchase.Customers != dropout.Customers)
        {
            throw new ArgumentException("Need 4 model parameters and one coefficient per design column, and designs of the same customers.", nameof(parameters));
        }

        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<List<int>>();
        for (var i = 0; i < purchase.Customers; i++)
        {
            var key = string.Join('|', purchase.Row(i).ToArray().Concat([double.NaN]).Concat(dropout.Row(i).ToArray()).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            if (!groups.TryGetValue(key, out var members))
            {
                groups[key] = members = [];
                order.Add(members);
            }

            members.Add(i);
        }

        var result = new (double X, double Tx, double T)[purchase.Customers];
        var individual = new double[4];
        for (var g = 0; g < order.Count; g++)
        {
            var members = order[g];
            kind.Individual(parameters, purchase.Row(members[0]), dropout.Row(members[0]), individual);
            var groupOptions = options with { Customers = members.Count, Seed = unchecked(options.Seed + g) };
            var histories = kind == CovariateModel.ParetoNbd
                ? ParetoNbdSimulator.Simulate(new ParetoNbdParameters(individual[0], individual[1], individual[2], individual[3]), groupOptions)
                : BgNbdSimulator.Simulate(new BgNbdParameters(individual[0], individual[1], individual[2], individual[3]), groupOptions);
            for (var m = 0; m < members.Count; m++)
            {
                result[members[m]] = histories[m];
            }
        }

        return result;
    }
}
