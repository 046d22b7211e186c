using System.Diagnostics;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.ModifiedBgNbd;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Clv.Value;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Parallelism;

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

/// <summary>The purchase model and Gamma-Gamma fitted on the customers at the as-of date (<see cref="ClvScorer.FitModels"/>), before any customer's columns.</summary>
public sealed class ClvFits
{
    internal ClvFits(IPurchaseModel purchase, GammaGammaModel spend, SpendPatterns spendData, CustomerPatterns groups, int customers, long purchaseMilliseconds, long spendMilliseconds) =>
        (Purchase, Spend, SpendData, Groups, Customers, PurchaseMilliseconds, SpendMilliseconds) = (purchase, spend, spendData, groups, customers, purchaseMilliseconds, spendMilliseconds);

    public IPurchaseModel Purchase { get; }

    public GammaGammaModel Spend { get; }

    /// <summary>What Gamma-Gamma was fitted on, for the spend checks.</summary>
    public SpendPatterns SpendData { get; }

    /// <summary>How many customers were fitted.</summary>
    public int Customers { get; }

    public long PurchaseMilliseconds { get; }

    public long SpendMilliseconds { get; }

    /// <summary>The customers' distinct patterns, which the columns are computed once per.</summary>
    internal CustomerPatterns Groups { get; }
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
    public static ClvScoringResult Score(IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options) =>
        Score(FitModels(customers, options), customers, options);

    /// <summary>
    /// The purchase and spend fits of <see cref="Score(IReadOnlyList{CustomerSummary}, ClvScoringOptions)"/>, without
    /// any customer's columns (<see cref="ClvScoringResult.Customers"/> is empty): for a run whose columns come from
    /// another model, the covariate model, which needs these fits and the spend checks but would discard the columns.
    /// </summary>
    public static ClvScoringResult Fit(IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options) => Fit(FitModels(customers, options), options);

    /// <summary>The fits of <see cref="FitModels"/> as a result without any customer's columns, as <see cref="Fit(IReadOnlyList{CustomerSummary}, ClvScoringOptions)"/>.</summary>
    public static ClvScoringResult Fit(ClvFits fits, ClvScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(fits);
        ArgumentNullException.ThrowIfNull(options);
        return new ClvScoringResult(fits.Purchase, fits.Spend, [], fits.SpendData.Excluded, options.TimeUnitDays, fits.PurchaseMilliseconds, fits.SpendMilliseconds, 0)
        {
            SpendIndependence = GammaGamma.SpendIndependence.Check(fits.SpendData),
        };
    }

    /// <summary>
    /// The purchase model and Gamma-Gamma fitted on <paramref name="customers"/>, whose columns
    /// <see cref="Score(ClvFits, IReadOnlyList{CustomerSummary}, ClvScoringOptions)"/> computes later: <c>crm score</c>
    /// fits before churn training, which needs to know the model, and values every customer after it.
    /// </summary>
    /// <exception cref="Fitting.ModelFitException">A fit did not converge, or the data cannot be fitted.</exception>
    public static ClvFits FitModels(IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(options);
        // The two fits are independent and each has steps on one core (grouping the patterns), so they run side by side.
        (CustomerPatterns Groups, IPurchaseModel Model, long Ms) purchase = default;
        (SpendPatterns Data, GammaGammaModel Model, long Ms) spend = default;
        SideBySide.Run(
            () =>
            {
                var watch = Stopwatch.StartNew();
                var groups = CustomerPatterns.Group(customers);
                purchase = (groups, FitPurchaseModel(options.Model, groups.RepeatPatterns(options.TimeUnitDays), options.Fit), watch.ElapsedMilliseconds);
            },
            () =>
            {
                var watch = Stopwatch.StartNew();
                var data = SpendPatterns.From(customers);
                spend = (data, GammaGammaModel.Fit(data, options.Fit), watch.ElapsedMilliseconds);
            });
        return new ClvFits(purchase.Model!, spend.Model!, spend.Data!, purchase.Groups!, customers.Count, purchase.Ms, spend.Ms);
    }

    /// <summary>Models fitted before (a <c>crm fit</c> bundle) ready to value <paramref name="customers"/> with <see cref="Score(ClvFits, IReadOnlyList{CustomerSummary}, ClvScoringOptions)"/>.</summary>
    public static ClvFits Fitted(IPurchaseModel purchase, GammaGammaModel spend, IReadOnlyList<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(customers);
        return new ClvFits(purchase, spend, SpendPatterns.From(customers), CustomerPatterns.Group(customers), customers.Count, 0, 0);
    }

    /// <summary>Every customer's CLV columns under <paramref name="fits"/>, fitted on the same <paramref name="customers"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="customers"/> are not the ones fitted.</exception>
    public static ClvScoringResult Score(ClvFits fits, IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(fits);
        ArgumentNullException.ThrowIfNull(customers);
        if (customers.Count != fits.Customers)
        {
            throw new ArgumentException($"The fits are of {fits.Customers:N0} customers, not {customers.Count:N0}.", nameof(customers));
        }

        return Score(fits.Purchase, fits.Spend, fits.SpendData, customers, options, fits.Groups, fits.PurchaseMilliseconds, fits.SpendMilliseconds);
    }

    /// <summary>
    /// Scores <paramref name="customers"/> under models fitted before (a <c>crm fit</c> bundle, or <see cref="Score(IReadOnlyList{CustomerSummary}, ClvScoringOptions)"/>):
    /// the CLV columns, their intervals at <see cref="ClvScoringOptions.IntervalLevel"/>, and the spend-independence check.
    /// </summary>
    public static ClvScoringResult Score(IPurchaseModel purchase, GammaGammaModel spend, SpendPatterns spendData, IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options, long purchaseMs = 0, long spendMs = 0)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return Score(purchase, spend, spendData, customers, options, CustomerPatterns.Group(customers), purchaseMs, spendMs);
    }

    private static ClvScoringResult Score(IPurchaseModel purchase, GammaGammaModel spend, SpendPatterns spendData, IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options,
        CustomerPatterns groups, long purchaseMs, long spendMs)
    {
        ArgumentNullException.ThrowIfNull(spendData);
        ArgumentNullException.ThrowIfNull(options);
        var watch = Stopwatch.StartNew();
        var rows = ScoreCustomers(purchase, spend, customers, options, groups);
        var scoreMs = watch.ElapsedMilliseconds;

        watch.Restart();
        var hasIntervals = options.IntervalLevel > 0 && Uncertainty.ClvIntervals.Compute(purchase, spend, customers, groups, rows, options, options.IntervalLevel,
            (i, interval) => rows[i] = rows[i] with { Interval = interval });

        return new ClvScoringResult(purchase, spend, rows, spendData.Excluded, options.TimeUnitDays, purchaseMs, spendMs, scoreMs)
        {
            HasIntervals = hasIntervals,
            SpendIndependence = GammaGamma.SpendIndependence.Check(spendData),
            IntervalMilliseconds = hasIntervals ? watch.ElapsedMilliseconds : 0,
        };
    }

    /// <summary>
    /// The CLV columns of every customer under fitted models. The expensive part, expected purchases of an alive
    /// customer over each month of the horizon, depends on (x, T) only and is computed once per distinct pair, and
    /// P(alive) once per distinct (x, t_x, T); each customer then costs one expected spend.
    /// </summary>
    /// <remarks>
    /// Equal to <see cref="ClvCalculator.Compute"/> per customer (tested), because E[Y(t) | x, t_x, T] =
    /// P(alive | x, t_x, T) · E[Y(t) | alive, x, T]. Customers outside the spend model (x = 0, or a mean repeat value ≤ 0
    /// after returns) are valued at the population mean spend.
    /// </remarks>
    public static CustomerClv[] ScoreCustomers(IPurchaseModel purchase, ISpendModel spend, IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return ScoreCustomers(purchase, spend, customers, options, CustomerPatterns.Group(customers));
    }

    internal static CustomerClv[] ScoreCustomers(IPurchaseModel purchase, ISpendModel spend, IReadOnlyList<CustomerSummary> customers, ClvScoringOptions options, CustomerPatterns groups)
    {
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(options);
        var unit = options.TimeUnitDays;
        var (pairs, patterns) = (groups.Pairs, groups.Patterns);
        var ifAlive90 = new double[pairs.Count];
        var ifAlive365 = new double[pairs.Count];
        var discounted = new double[pairs.Count];
        Parallel.For(0, pairs.Count, k =>
        {
            var (x, ageDays) = pairs[k];
            var T = ageDays / unit;
            ifAlive90[k] = purchase.ExpectedPurchasesIfAlive(CustomerWindows.Days90 / unit, x, T);
            ifAlive365[k] = purchase.ExpectedPurchasesIfAlive(CustomerWindows.Days365 / unit, x, T);
            discounted[k] = ClvCalculator.DiscountedPurchasesIfAlive(purchase, x, T, options.Value, unit);
        });

        var alive = new double[patterns.Count];
        Parallel.For(0, patterns.Count, k =>
        {
            var (x, txDays, ageDays) = patterns[k];
            alive[k] = purchase.ProbabilityAlive(x, txDays / unit, ageDays / unit);
        });

        var rows = new CustomerClv[customers.Count];
        var (patternOf, pairOf) = (groups.PatternOf, groups.PairOfPattern);
        var populationSpend = spend.PopulationMeanSpend;
        var margin = options.Value.Margin;
        Parallel.For(0, rows.Length, i =>
        {
            var c = customers[i];
            var p = patternOf[i];
            var k = pairOf[p];
            var a = alive[p];
            var avgSpend = SpendPatterns.IsModelled(c.Frequency, c.MeanRepeatValue)
                ? spend.ConditionalExpectedAverageSpend(c.Frequency, c.MeanRepeatValue)
                : populationSpend;
            rows[i] = new CustomerClv(a, a * ifAlive90[k], a * ifAlive365[k], avgSpend, margin * avgSpend * a * discounted[k]);
        });

        return rows;
    }
}
