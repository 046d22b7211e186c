using BenchmarkDotNet.Attributes;
using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Benchmarks.Clv;

/// <summary>
/// The customer CLV columns and their 90 % intervals on 1,000,000 simulated customers (whole-day grid) under BG/NBD with
/// three static covariates in six covariate groups (<see cref="ClvCovariateFitBenchmarks.Designs"/>), against the same
/// columns without covariates (the baseline, <see cref="ClvScorer"/> under the fitted models). The covariate fit is made
/// from the fit without covariates and γ = (ln 1.3, −0.3, 0.5) with a diagonal covariance for γ: the cost depends on the
/// groups and their distinct patterns, not on the values, and a real fit takes minutes (<see cref="ClvCovariateFitBenchmarks"/>).
/// No job attribute, as there: <c>--job Dry</c> checks that it runs; <c>--launchCount 1 --warmupCount 1 --iterationCount 5</c> times it.
/// </summary>
[MemoryDiagnoser]
public class ClvCovariateScoreBenchmarks
{
    private readonly ClvScoringOptions _options = new() { Model = "bgnbd" };
    private CustomerSummary[] _customers = [];
    private SpendPatterns _spendData = null!;
    private ClvScoringResult _plain = null!;
    private CovariateFitResult _fit = null!;

    [Params(1_000_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _customers = new SimulatedPopulation(Customers, dayGrid: true).Summaries();
        _spendData = SpendPatterns.From(_customers);
        _plain = ClvScorer.Score(_customers, _options);
        var plain = _plain.PurchaseModel.Fit;
        var (purchase, dropout) = SimulatedCovariates.Designs(Customers);
        double[] theta = [.. plain.Estimates, Math.Log(1.3), -0.3, 0.5];
        var k = theta.Length;
        var covariance = new double[k * k];
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                covariance[(i * k) + j] = i < 4 && j < 4 ? plain.Covariance![(i * 4) + j] : i == j ? 0.02 * 0.02 : 0;
            }
        }

        string[] names = [.. plain.Names, "purchase:channel=referral", "purchase:age_band", "dropout:channel=referral"];
        var fit = plain with { Names = names, Estimates = theta, StandardErrors = [.. Enumerable.Range(0, k).Select(i => Math.Sqrt(covariance[(i * k) + i]))], Covariance = covariance };
        _fit = new CovariateFitResult("bgnbd", fit, plain, [], null, purchase, dropout);
        Console.WriteLine($"// {Customers:N0} customers, {_spendData.Count:N0} spend patterns; intervals: {_plain.HasIntervals}");
    }

    [Benchmark(Baseline = true, Description = "columns + intervals, no covariates")]
    public double Plain() => ClvScorer.Score(_plain.PurchaseModel, (GammaGammaModel)_plain.SpendModel, _spendData, _customers, _options).Customers[^1].Clv;

    [Benchmark(Description = "columns + intervals, 3 covariates (6 groups)")]
    public double Covariates() => CovariateScoring.Score(_fit, _plain, _customers, _options).Scores.Customers[^1].Clv;
}
