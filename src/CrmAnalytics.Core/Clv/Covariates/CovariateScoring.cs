using System.Diagnostics;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Uncertainty;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>The CLV columns under a covariate fit, and the number of distinct covariate rows they were computed in.</summary>
/// <param name="Scores">The scoring without covariates with its customers (and their intervals) replaced.</param>
/// <param name="Groups">Distinct (purchase, dropout) covariate rows: each is one purchase model.</param>
public sealed record CovariateScoringResult(ClvScoringResult Scores, int Groups);

/// <summary>
/// Every customer's CLV columns under the purchase model with static covariates, at the customer's own parameters
/// (r, α_i, third_i, fourth_i) (<see cref="CovariateFitResult.ModelFor"/>), as CLVTools' <c>predict</c> does on a
/// static-covariate model; Gamma-Gamma is the run's, without covariates.
/// </summary>
/// <remarks>
/// Customers with the same covariate row share one model, so each group is scored as the columns without covariates
/// are (<see cref="ClvScorer"/>): once per distinct (x, T) and (x, t_x, T) within the group. Categorical covariates
/// give few groups, and the cost stays near that of the plain columns times the groups; a numeric covariate with a
/// value per customer gives up to one group per customer. The intervals use the delta-method covariance of each
/// group's parameters from the full fit, so they carry the uncertainty of the coefficients as well.
/// </remarks>
public static class CovariateScoring
{
    /// <param name="fit">The covariate fit; its designs' rows are aligned with <paramref name="customers"/>.</param>
    /// <param name="plain">The run's scoring without covariates, whose Gamma-Gamma model values the spend.</param>
    public static CovariateScoringResult Score(CovariateFitResult fit, ClvScoringResult plain, IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(fit);
        ArgumentNullException.ThrowIfNull(plain);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(options);
        if (plain.SpendModel is not GammaGammaModel spend)
        {
            throw new ArgumentException("The scoring needs a Gamma-Gamma spend model.", nameof(plain));
        }

        if (fit.PurchaseDesign.Customers != customers.Count || fit.DropoutDesign.Customers != customers.Count)
        {
            throw new ArgumentException("The covariate designs need one row per customer.", nameof(customers));
        }

        var watch = Stopwatch.StartNew();
        var groups = Group(fit, customers.Count);
        var scored = new (IPurchaseModel Model, CustomerSummary[] Customers, CustomerPatterns Patterns, CustomerClv[] Rows)[groups.Count];
        Parallel.For(0, groups.Count, g =>
        {
            var (purchase, dropout, members) = groups[g];
            var model = fit.ModelFor(purchase, dropout);
            var subset = members.Select(i => customers[i]).ToArray();
            var patterns = CustomerPatterns.Group(subset);
            scored[g] = (model, subset, patterns, ClvScorer.ScoreCustomers(model, spend, subset, options, patterns));
        });
        var scoreMs = watch.ElapsedMilliseconds;

        watch.Restart();
        var computed = new bool[groups.Count];
        if (options.IntervalLevel > 0)
        {
            Parallel.For(0, groups.Count, g =>
            {
                var (model, subset, patterns, rows) = scored[g];
                computed[g] = ClvIntervals.Compute(model, spend, subset, patterns, rows, options, options.IntervalLevel,
                    (j, interval) => rows[j] = rows[j] with { Interval = interval });
            });
        }

        // Every group's covariance comes from the same full fit, so the groups have intervals all or none.
        var hasIntervals = options.IntervalLevel > 0 && computed.All(c => c);
        var customerRows = new CustomerClv[customers.Count];
        for (var g = 0; g < groups.Count; g++)
        {
            var (members, rows) = (groups[g].Members, scored[g].Rows);
            for (var j = 0; j < members.Count; j++)
            {
                customerRows[members[j]] = hasIntervals ? rows[j] : rows[j] with { Interval = null };
            }
        }

        return new CovariateScoringResult(
            plain with { Customers = customerRows, ScoreMilliseconds = scoreMs, HasIntervals = hasIntervals, IntervalMilliseconds = hasIntervals ? watch.ElapsedMilliseconds : 0 },
            groups.Count);
    }

    /// <summary>The customers by distinct (purchase row, dropout row), in order of first appearance.</summary>
    private static List<(double[] Purchase, double[] Dropout, List<int> Members)> Group(CovariateFitResult fit, int customers)
    {
        var (purchase, dropout) = (fit.PurchaseDesign, fit.DropoutDesign);
        var index = new Dictionary<double[], int>(CovariateRowComparer.Instance);
        var groups = new List<(double[] Purchase, double[] Dropout, List<int> Members)>();
        var key = new double[purchase.Count + dropout.Count];
        for (var i = 0; i < customers; i++)
        {
            purchase.Row(i).CopyTo(key);
            dropout.Row(i).CopyTo(key.AsSpan(purchase.Count));
            if (!index.TryGetValue(key, out var g))
            {
                g = groups.Count;
                index.Add((double[])key.Clone(), g);
                groups.Add((key[..purchase.Count], key[purchase.Count..], []));
            }

            groups[g].Members.Add(i);
        }

        return groups;
    }
}
