using BenchmarkDotNet.Attributes;
using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Uncertainty;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Benchmarks.Clv;

/// <summary>
/// The 90 % prediction intervals of the five CLV columns for 1,000,000 day-grid customers (<see cref="ClvIntervals"/>),
/// under BG/NBD and Gamma-Gamma fitted on the same population (the intervals need the fits' covariance). Baseline: the
/// point scores of the same customers (<see cref="ClvScorer.ScoreCustomers"/>), so the ratio reads as the intervals'
/// cost against what the run already spends; the budget is 1 s extra.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ClvIntervalBenchmarks
{
    private readonly ClvScoringOptions _options = new();
    private CustomerSummary[] _customers = [];
    private BgNbdModel _purchase = null!;
    private GammaGammaModel _spend = null!;
    private CustomerClv[] _points = [];

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _customers = new SimulatedPopulation(Customers, dayGrid: true).Summaries();
        _purchase = BgNbdModel.Fit(RepeatPatterns.From(_customers), _options.Fit);
        _spend = GammaGammaModel.Fit(SpendPatterns.From(_customers), _options.Fit);
        _points = ClvScorer.ScoreCustomers(_purchase, _spend, _customers, _options);
        var bounds = ClvIntervals.Compute(_purchase, _spend, _customers, _points, _options, 0.9)
            ?? throw new InvalidOperationException("The fits have no covariance: no intervals to time.");
        if (bounds.Length != _customers.Length || bounds.Any(b => !(b.ClvLow <= b.ClvHigh)))
        {
            throw new InvalidOperationException("The intervals do not bracket: nothing worth timing.");
        }
    }

    [Benchmark(Baseline = true, Description = "point scores (5 columns)")]
    public double Points() => ClvScorer.ScoreCustomers(_purchase, _spend, _customers, _options)[^1].Clv;

    [Benchmark(Description = "90 % intervals (10 bound columns)")]
    public double Intervals() => ClvIntervals.Compute(_purchase, _spend, _customers, _points, _options, 0.9)![^1].ClvHigh;
}
