using System.Diagnostics;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.ModifiedBgNbd;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Value;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv.Scoring;

/// <summary>The fitted models and every customer's CLV columns, aligned with the input customers.</summary>
public sealed record ClvScoringResult(
    IPurchaseModel PurchaseModel,
    ISpendModel SpendModel,
    CustomerClv[] Customers,
    int SpendExcluded,
    double TimeUnitDays,
    long PurchaseFitMilliseconds,
    long SpendFitMilliseconds,
    long ScoreMilliseconds)
{
    /// <summary>Whether the customers carry prediction intervals; false when none were asked for or a fit has no covariance.</summary>
    public bool HasIntervals { get; init; }

    public long IntervalMilliseconds { get; init; }

    /// <summary>The check of Gamma-Gamma's independence assumption on the customers it was fitted to.</summary>
    public SpendIndependenceResult? SpendIndependence { get; init; }
}

/// <summary>Fits a purchase model and Gamma-Gamma on customer summaries and values every customer.</summary>
public static class ClvScorer
{
    /// <summary>Fits <paramref name="model"/> ("bgnbd", "paretonbd" or "mbgnbd") on the customers' (x, t_x, T) patterns.</summary>
    /// <exception cref="Fitting.ModelFitException">The fit did not converge.</exception>
    public static IPurchaseModel FitPurchaseModel(string model, IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(options);
        return FitPurchaseModel(model, RepeatPatterns.From(customers, options.TimeUnitDays), options.Fit);
    }

    /// <summary>Fits <paramref name="model"/> on patterns already built, e.g. once for several models.</summary>
    /// <exception cref="Fitting.ModelFitException">The fit did not converge.</exception>
    public static IPurchaseModel FitPurchaseModel(string model, RepeatPatterns patterns, FitOptions options) => model switch
    {
        "bgnbd" => BgNbdModel.Fit(patterns, options),
        "paretonbd" => ParetoNbdModel.Fit(patterns, options),
        "mbgnbd" => ModifiedBgNbdModel.Fit(patterns, options),
        _ => throw new ConfigurationException($"Unknown CLV model '{model}'; use one of {string.Join(", ", ClvScoringOptions.Models)}."),
    };

    /// <summary>Fits the purchase model and Gamma-Gamma, then scores every customer.</summary>
    public static ClvScoringResult Score(IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(options);
        var watch = Stopwatch.StartNew();
        var purchase = FitPurchaseModel(options.Model, customers, options);
        var purchaseMs = watch.ElapsedMilliseconds;

        watch.Restart();
        var spendData = SpendPatterns.From(customers);
        var spend = GammaGammaModel.Fit(spendData, options.Fit);
        var spendMs = watch.ElapsedMilliseconds;

        return Score(purchase, spend, spendData, customers, options, purchaseMs, spendMs);
    }

    /// <summary>
    /// Scores <paramref name="customers"/> under models fitted before (a <c>crm fit</c> bundle, or <see cref="Score(IReadOnlyList{CustomerSummary}, ClvScoringOptions)"/>):
    /// the CLV columns, their intervals at <see cref="ClvScoringOptions.IntervalLevel"/>, and the spend-independence check.
    /// </summary>
    public static ClvScoringResult Score(IPurchaseModel purchase, GammaGammaModel spend, SpendPatterns spendData, IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options, long purchaseMs = 0, long spendMs = 0)
    {
        ArgumentNullException.ThrowIfNull(spendData);
        ArgumentNullException.ThrowIfNull(options);
        var watch = Stopwatch.StartNew();
        var rows = ScoreCustomers(purchase, spend, customers, options);
        var scoreMs = watch.ElapsedMilliseconds;

        watch.Restart();
        var intervals = options.IntervalLevel > 0 ? Uncertainty.ClvIntervals.Compute(purchase, spend, customers, rows, options, options.IntervalLevel) : null;
        if (intervals is not null)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = rows[i] with { Interval = intervals[i] };
            }
        }

        return new ClvScoringResult(purchase, spend, rows, spendData.Excluded, options.TimeUnitDays, purchaseMs, spendMs, scoreMs)
        {
            HasIntervals = intervals is not null,
            SpendIndependence = GammaGamma.SpendIndependence.Check(spendData),
            IntervalMilliseconds = intervals is null ? 0 : watch.ElapsedMilliseconds,
        };
    }

    /// <summary>
    /// The CLV columns of every customer under fitted models. The expensive part, expected purchases of an alive
    /// customer over each month of the horizon, depends on (x, T) only and is computed once per distinct pair; each
    /// customer then costs one P(alive) and one expected spend.
    /// </summary>
    /// <remarks>
    /// Equal to <see cref="ClvCalculator.Compute"/> per customer (tested), because E[Y(t) | x, t_x, T] =
    /// P(alive | x, t_x, T) · E[Y(t) | alive, x, T]. Customers outside the spend model (x = 0, or a mean repeat value ≤ 0
    /// after returns) are valued at the population mean spend.
    /// </remarks>
    public static CustomerClv[] ScoreCustomers(IPurchaseModel purchase, ISpendModel spend, IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(options);
        var unit = options.TimeUnitDays;
        var n = customers.Count;

        // Distinct (x, T in days) pairs.
        var keyIndex = new Dictionary<long, int>();
        var keyOf = new int[n];
        var keys = new List<(int X, int AgeDays)>();
        for (var i = 0; i < n; i++)
        {
            var c = customers[i];
            var key = ((long)c.Frequency << 32) | (uint)c.AgeDays;
            if (!keyIndex.TryGetValue(key, out var k))
            {
                k = keys.Count;
                keyIndex.Add(key, k);
                keys.Add((c.Frequency, c.AgeDays));
            }

            keyOf[i] = k;
        }

        var ifAlive90 = new double[keys.Count];
        var ifAlive365 = new double[keys.Count];
        var discounted = new double[keys.Count];
        Parallel.For(0, keys.Count, k =>
        {
            var (x, ageDays) = keys[k];
            var T = ageDays / unit;
            ifAlive90[k] = purchase.ExpectedPurchasesIfAlive(90 / unit, x, T);
            ifAlive365[k] = purchase.ExpectedPurchasesIfAlive(365 / unit, x, T);
            discounted[k] = ClvCalculator.DiscountedPurchasesIfAlive(purchase, x, T, options.Value, unit);
        });

        var rows = new CustomerClv[n];
        var populationSpend = spend.PopulationMeanSpend;
        var margin = options.Value.Margin;
        Parallel.For(0, n, i =>
        {
            var c = customers[i];
            var k = keyOf[i];
            var alive = purchase.ProbabilityAlive(c.Frequency, c.TxDays / unit, c.AgeDays / unit);
            var avgSpend = SpendPatterns.IsModelled(c.Frequency, c.MeanRepeatValue)
                ? spend.ConditionalExpectedAverageSpend(c.Frequency, c.MeanRepeatValue)
                : populationSpend;
            rows[i] = new CustomerClv(alive, alive * ifAlive90[k], alive * ifAlive365[k], avgSpend, margin * avgSpend * alive * discounted[k]);
        });

        return rows;
    }
}
