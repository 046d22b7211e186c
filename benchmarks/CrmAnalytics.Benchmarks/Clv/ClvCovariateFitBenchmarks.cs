using BenchmarkDotNet.Attributes;
using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.Simulation;

namespace CrmAnalytics.Benchmarks.Clv;

/// <summary>
/// BG/NBD and Pareto/NBD fits with three static covariates (two on the purchase process, one on dropout) on 1,000,000
/// simulated customers with times on a whole-day grid, as from real exports (issue 15). Each fit includes the fit
/// without covariates that the likelihood-ratio test needs and that starts the covariate fit. Seeded: the same
/// customers on every run. No job attribute: each fit takes minutes, so the job is chosen on the command line
/// (<c>--job Dry --inProcess</c> to check that it runs; <c>--launchCount 1 --warmupCount 1 --iterationCount 3</c> to time it).
/// </summary>
[MemoryDiagnoser]
public class ClvCovariateFitBenchmarks
{
    private (double X, double Tx, double T)[] _histories = [];
    private CovariateDesign _purchase = null!;
    private CovariateDesign _dropout = null!;

    [Params(1_000_000)]
    public int Customers { get; set; }

    [Params("bgnbd", "paretonbd")]
    public string Model { get; set; } = "bgnbd";

    [GlobalSetup]
    public void Setup()
    {
        (_purchase, _dropout) = SimulatedCovariates.Designs(Customers);
        double[] truth = Model == "bgnbd" ? [0.25, 4, 0.8, 2.5, Math.Log(1.3), -0.3, 0.5] : [0.55, 10.5, 0.6, 11.5, Math.Log(1.3), -0.3, 0.5];
        _histories = CovariateSimulator.Simulate(Model, truth, _purchase, _dropout,
            new BgNbdSimulationOptions { MinAge = 26, MaxAge = 78, TimeGrid = 1.0 / 7, Seed = 42 });
        var patterns = CovariatePatterns.From(_histories, _purchase, _dropout);
        Console.WriteLine($"// {Customers:N0} customers, {Model}: {patterns.Count:N0} distinct (x, t_x, T, covariates) patterns");
    }

    [Benchmark(Description = "fit with 3 covariates (+ the fit without, for the LR test)")]
    public double Fit() => CovariateFit.Run(Model, _histories, _purchase, _dropout).Fit.LogLikelihood;
}
