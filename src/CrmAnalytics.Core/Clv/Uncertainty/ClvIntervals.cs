using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Value;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv.Uncertainty;

/// <summary>The bounds of one customer's CLV columns at the run's interval level (parameter uncertainty only).</summary>
public readonly record struct CustomerClvInterval(
    double ProbabilityAliveLow,
    double ProbabilityAliveHigh,
    double ExpectedPurchases90dLow,
    double ExpectedPurchases90dHigh,
    double ExpectedPurchases365dLow,
    double ExpectedPurchases365dHigh,
    double ExpectedAverageSpendLow,
    double ExpectedAverageSpendHigh,
    double ClvLow,
    double ClvHigh);

/// <summary>
/// Prediction intervals of every customer's CLV columns from the uncertainty of the fitted parameters
/// (<see cref="ParameterUncertainty"/>): the purchase model's for P(alive) and expected purchases, both models' for the
/// CLV, Gamma-Gamma's for the expected spend. The two fits are treated as independent (separate likelihoods).
/// </summary>
/// <remarks>
/// Costs follow distinct patterns, as the point scores do: the log-gradients of the expectations of an alive customer
/// are computed once per (x, T), those of P(alive) once per (x, t_x, T), each with 2k model evaluations; a customer
/// then costs a few k × k quadratic forms. No random numbers are drawn, so the bounds are the same on every run.
/// </remarks>
internal static class ClvIntervals
{
    /// <summary>The bounds at <paramref name="level"/> aligned with <paramref name="customers"/>; null when a fit has no covariance.</summary>
    /// <param name="points">The customers' point scores under the fitted models (<see cref="ClvScorer.ScoreCustomers(IPurchaseModel, ISpendModel, IReadOnlyList{CustomerSummary}, ClvScoringOptions)"/>).</param>
    /// <param name="level">The two-sided level in (0, 1), e.g. 0.9.</param>
    public static CustomerClvInterval[]? Compute(IPurchaseModel purchase, GammaGammaModel spend, IReadOnlyList<CustomerSummary> customers, IReadOnlyList<CustomerClv> points,
        ClvScoringOptions options, double level)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(customers);
        var rows = new CustomerClvInterval[customers.Count];
        return Compute(purchase, spend, customers, CustomerPatterns.Group(customers), points, options, level, (i, interval) => rows[i] = interval) ? rows : null;
    }

    /// <summary>
    /// Hands each customer's bounds to <paramref name="write"/> (from several threads, each index once, after reading its
    /// point score); false, writing nothing, when a fit has no covariance.
    /// </summary>
    internal static bool Compute(IPurchaseModel purchase, GammaGammaModel spend, IReadOnlyList<CustomerSummary> customers, CustomerPatterns groups,
        IReadOnlyList<CustomerClv> points, ClvScoringOptions options, double level, Action<int, CustomerClvInterval> write)
    {
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(options);
        if (PurchaseUncertainty.From(purchase, level) is not { } uncertainty
            || spend.FitResult is not { } spendFit
            || ParameterUncertainty.From(spendFit.Estimates, spendFit.Covariance, level) is not { } spendUncertainty)
        {
            return false;
        }

        var unit = options.TimeUnitDays;
        var k = uncertainty.Count;
        var n = customers.Count;

        var pairs = groups.Pairs;
        var pairGradients = new double[pairs.Count * 3 * k];
        Parallel.For(0, pairs.Count, p =>
        {
            var (x, ageDays) = pairs[p];
            var T = ageDays / unit;
            var g = pairGradients.AsSpan(p * 3 * k, 3 * k);
            uncertainty.LogGradient(m => m.ExpectedPurchasesIfAlive(CustomerWindows.Days90 / unit, x, T), g[..k]);
            uncertainty.LogGradient(m => m.ExpectedPurchasesIfAlive(CustomerWindows.Days365 / unit, x, T), g.Slice(k, k));
            uncertainty.LogGradient(m => ClvCalculator.DiscountedPurchasesIfAlive(m, x, T, options.Value, unit), g.Slice(2 * k, k));
        });

        var patterns = groups.Patterns;
        var aliveGradients = new double[patterns.Count * 2 * k];
        Parallel.For(0, patterns.Count, p =>
        {
            var (x, txDays, ageDays) = patterns[p];
            var g = aliveGradients.AsSpan(p * 2 * k, 2 * k);
            uncertainty.AliveGradients(x, txDays / unit, ageDays / unit, g[..k], g.Slice(k, k));
        });

        var (patternOf, pairOf) = (groups.PatternOf, groups.PairOfPattern);
        var (pg, qg, vg) = (spend.Parameters.P, spend.Parameters.Q, spend.Parameters.V);
        Parallel.For(0, n, () => new double[k], (i, _, g) =>
        {
            var c = customers[i];
            var pattern = patternOf[i];
            var alive = aliveGradients.AsSpan(pattern * 2 * k, 2 * k);
            var pair = pairGradients.AsSpan(pairOf[pattern] * 3 * k, 3 * k);
            var point = points[i];
            var parameters = uncertainty.Parameters;

            Span<double> spendGradient = stackalloc double[3];
            var modelled = SpendPatterns.IsModelled(c.Frequency, c.MeanRepeatValue);
            GammaGammaMath.ConditionalExpectedAverageSpendLogGradient(pg, qg, vg, modelled ? c.Frequency : 0, modelled ? c.MeanRepeatValue : 0, spendGradient);
            var spendVariance = spendUncertainty.Variance(spendGradient);

            var (aliveLow, aliveHigh) = parameters.ProbabilityBounds(point.ProbabilityAlive, parameters.Variance(alive.Slice(k, k)));
            var (e90Low, e90High) = parameters.PositiveBounds(point.ExpectedPurchases90d, Sum(alive[..k], pair[..k], g, parameters));
            var (e365Low, e365High) = parameters.PositiveBounds(point.ExpectedPurchases365d, Sum(alive[..k], pair.Slice(k, k), g, parameters));
            var (spendLow, spendHigh) = spendUncertainty.PositiveBounds(point.ExpectedAverageSpend, spendVariance);
            var (clvLow, clvHigh) = parameters.PositiveBounds(point.Clv, Sum(alive[..k], pair.Slice(2 * k, k), g, parameters) + spendVariance);
            write(i, new CustomerClvInterval(aliveLow, aliveHigh, e90Low, e90High, e365Low, e365High, spendLow, spendHigh, clvLow, clvHigh));
            return g;
        }, _ => { });
        return true;
    }

    /// <summary>The variance of ln(a·b) from the log-gradients of a and b.</summary>
    private static double Sum(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double[] scratch, ParameterUncertainty parameters)
    {
        for (var j = 0; j < a.Length; j++)
        {
            scratch[j] = a[j] + b[j];
        }

        return parameters.Variance(scratch);
    }
}
