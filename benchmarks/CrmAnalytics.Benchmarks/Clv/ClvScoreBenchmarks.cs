using BenchmarkDotNet.Attributes;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Value;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Benchmarks.Clv;

/// <summary>
/// Scoring 1,000,000 customers under fitted models: P(alive), expected purchases in 90 and 365 days, expected spend
/// and a 12-month discounted CLV. Baseline: the definition applied per customer (14 conditional expectations each),
/// on all cores like ours.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ClvScoreBenchmarks
{
    private readonly BgNbdModel _purchase = new(SimulatedPopulation.PurchaseParameters);
    private readonly GammaGammaModel _spend = new(SimulatedPopulation.SpendParameters);
    private readonly ClvScoringOptions _options = new();
    private CustomerSummary[] _customers = [];

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup() => _customers = new SimulatedPopulation(Customers, dayGrid: true).Summaries();

    [Benchmark(Baseline = true, Description = "score, per-customer definition")]
    public double Naive()
    {
        var unit = _options.TimeUnitDays;
        var rows = new CustomerClv[_customers.Length];
        Parallel.For(0, _customers.Length, i =>
        {
            var c = _customers[i];
            double x = c.Frequency, tx = c.TxDays / unit, T = c.AgeDays / unit;
            var spend = SpendPatterns.IsModelled(x, c.MeanRepeatValue) ? _spend.ConditionalExpectedAverageSpend(x, c.MeanRepeatValue) : _spend.PopulationMeanSpend;
            rows[i] = new CustomerClv(
                _purchase.ProbabilityAlive(x, tx, T),
                _purchase.ConditionalExpectedPurchases(90 / unit, x, tx, T),
                _purchase.ConditionalExpectedPurchases(365 / unit, x, tx, T),
                spend,
                ClvCalculator.Compute(_purchase, spend, x, tx, T, _options.Value, unit));
        });
        return rows[^1].Clv;
    }

    [Benchmark(Description = "score, shared (x, T) expectations")]
    public double Ours() => ClvScorer.ScoreCustomers(_purchase, _spend, _customers, _options)[^1].Clv;
}
