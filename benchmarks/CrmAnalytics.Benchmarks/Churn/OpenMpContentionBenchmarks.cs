using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Clv.Scoring;

namespace CrmAnalytics.Benchmarks.Churn;

/// <summary>
/// LightGBM training while a neighbour process keeps every core busy (issue 11, "CPU contention"): libgomp's spinning
/// waits (<c>OMP_WAIT_POLICY=ACTIVE</c>, how every run behaved before <see cref="OpenMpWaitPolicy"/>) as the baseline,
/// against <c>crm</c>'s default, which sets the passive policy itself. Each job is its own process, because libgomp reads
/// the policy once when it loads. Linux only: the neighbour is one <c>sh</c> busy loop per core. Run it on an otherwise
/// quiet machine, with no <c>OMP_WAIT_POLICY</c> in the shell's environment.
/// </summary>
[Config(typeof(WaitPolicyJobs))]
[MemoryDiagnoser]
public class OpenMpContentionBenchmarks
{
    private static readonly ChurnInputs Inputs = new() { Clv = new ClvScoringOptions() };
    private readonly List<Process> _neighbours = [];
    private ChurnDataset _training = null!;

    [Params(100_000)]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = ChurnPopulation.Build(Customers);
        _training = ChurnFeatureBuilder.Build(builder, ChurnPopulation.AsOf.AddDays(-90), ChurnFeatureBuilder.DeriveSchema(Inputs), Inputs, 90);
        for (var i = 0; i < Environment.ProcessorCount; i++)
        {
            var busy = new ProcessStartInfo("sh") { UseShellExecute = false };
            busy.ArgumentList.Add("-c");
            busy.ArgumentList.Add("while :; do :; done");
            _neighbours.Add(Process.Start(busy)!);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var neighbour in _neighbours)
        {
            neighbour.Kill();
            neighbour.WaitForExit();
            neighbour.Dispose();
        }

        _neighbours.Clear();
    }

    [Benchmark(Description = "train LightGBM beside a busy neighbour")]
    public double TrainLightGbm() => ChurnModelTrainer.Train(_training, _training, new ChurnTrainingOptions()).Calibration.Probability(0);

    /// <summary>The same benchmark in two processes: spinning waits (the old behaviour, baseline) and crm's default.</summary>
    private sealed class WaitPolicyJobs : ManualConfig
    {
        public WaitPolicyJobs()
        {
            var job = Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1);
            AddJob(job.WithEnvironmentVariables(new EnvironmentVariable(OpenMpWaitPolicy.Variable, "ACTIVE")).WithId("spin (OMP_WAIT_POLICY=ACTIVE)").AsBaseline());
            AddJob(job.WithId("crm default (passive)"));
        }
    }
}
