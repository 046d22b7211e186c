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
/// point estimates only, as <c>crm score --clv-interval-level none</c> computes them (<see cref="ClvScorer.Score(IPurchaseModel, GammaGammaModel, SpendPatterns, IReadOnlyList{CustomerSummary}, ClvScoringOptions, long, long)"/>
/// at level 0); the same call at the default level 0.9 is what the run adds for the interval columns (issue 15: at most
/// 1 s extra for 1M customers). The intervals alone, on point scores computed before, show their share.
/// </summary>
/// <remarks>
/// No job attribute: the command line sets the job, so that <c>--job Dry</c> runs alone (an attribute's job would run
/// beside it and time 1M customers). The timing run passes <c>--launchCount 1 --warmupCount 1 --iterationCount 5</c>.
/// </remarks>
[MemoryDiagnoser]
public class ClvIntervalBenchmarks
{
    private readonly ClvScoringOptions _options = new();
    private CustomerSummary[] _customers = [];
    private BgNbdModel _purchase = null!;
    private GammaGammaModel _spend = null!;
    private SpendPatterns _spendData = null!;
    private CustomerClv[] _points = [];

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _customers = new SimulatedPopulation(Customers, dayGrid: true).Summaries();
        _purchase = BgNbdModel.Fit(RepeatPatterns.From(_customers), _options.Fit);
        _spendData = SpendPatterns.From(_customers);
        _spend = GammaGammaModel.Fit(_spendData, _options.Fit);
        _points = ClvScorer.ScoreCustomers(_purchase, _spend, _customers, _options);
        var bounds = ClvIntervals.Compute(_purchase, _spend, _customers, _points, _options, 0.9)
            ?? throw new InvalidOperationException("The fits have no covariance: no intervals to time.");
        if (bounds.Length != _customers.Length || bounds.Any(b => !(b.ClvLow <= b.ClvHigh)))
        {
            throw new InvalidOperationException("The intervals do not bracket: nothing worth timing.");
        }
    }

    [Benchmark(Baseline = true, Description = "point estimates only (5 columns)")]
    public double Points() => ClvScorer.Score(_purchase, _spend, _spendData, _customers, _options with { IntervalLevel = 0 }).Customers[^1].Clv;

    [Benchmark(Description = "point estimates + 90 % intervals (15 columns)")]
    public double PointsAndIntervals() => ClvScorer.Score(_purchase, _spend, _spendData, _customers, _options).Customers[^1].Interval!.Value.ClvHigh;

    [Benchmark(Description = "90 % intervals alone (10 bound columns)")]
    public double Intervals() => ClvIntervals.Compute(_purchase, _spend, _customers, _points, _options, 0.9)![^1].ClvHigh;
}
