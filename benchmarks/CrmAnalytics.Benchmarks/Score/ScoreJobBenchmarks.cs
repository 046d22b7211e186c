using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using CrmAnalytics.Benchmarks.Ingest;

namespace CrmAnalytics.Benchmarks.Score;

/// <summary>
/// The whole nightly job, <c>crm score</c> with every model on, against DuckDB's read + GROUP BY of the same file
/// (issue 11: the job should take at most 3× the baseline). Both sides run as fresh child processes, so that the time
/// includes what a scheduler sees and the <see cref="PeakRssColumn"/> is each process's own peak.
/// </summary>
/// <remarks>
/// No <c>[MemoryDiagnoser]</c>: the work happens in the children, so managed allocations of this process would read as
/// zero. Each operation takes seconds to a minute, so the Monitoring strategy runs one invocation per iteration.
/// </remarks>
[Config(typeof(PeakRssConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class ScoreJobBenchmarks
{
    private SampleExportFile _file = null!;
    private int _duckDbCustomers;
    private string _outRoot = null!;

    public static IEnumerable<int> CustomerCounts => [SampleExport.CustomersFromEnvironment()];

    /// <summary>Customers simulated (about 7.46 lines each); set by <c>CRM_BENCH_CUSTOMERS</c>.</summary>
    [ParamsSource(nameof(CustomerCounts))]
    public int Customers { get; set; }

    /// <summary>Each case forgets only its own earlier peaks: the setup runs again before every case.</summary>
    [GlobalSetup(Target = nameof(DuckDb))]
    public void SetupDuckDb() => Setup(nameof(DuckDb));

    [GlobalSetup(Target = nameof(CrmScore))]
    public void SetupCrmScore() => Setup(nameof(CrmScore));

    private void Setup(string method)
    {
        MeasuredProcess.ThrowIfUnavailable();
        _file = SampleExport.EnsureAsync(Customers, Console.Out).GetAwaiter().GetResult();
        _duckDbCustomers = DuckDbSide.CountCustomers(_file.Path, _file.AsOf);
        _outRoot = Directory.CreateTempSubdirectory("crm-score-bench-").FullName;
        PeakRssColumn.Reset(method, Customers);
        var (version, threads) = DuckDbSide.Settings();
        Console.WriteLine($"// {_file.Lines:N0} lines, {_file.Bytes:N0} bytes, as-of {_file.AsOf:yyyy-MM-dd}; {_duckDbCustomers:N0} customers; DuckDB {version}, threads={threads}; cores={Environment.ProcessorCount}");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_outRoot, recursive: true);

    [Benchmark(Baseline = true)]
    public TimeSpan DuckDb()
    {
        var run = MeasuredProcess.DuckDb(_file);
        PeakRssColumn.Record(nameof(DuckDb), Customers, run);
        return run.Elapsed;
    }

    /// <summary>Scores into a fresh folder and checks that the job found the customers DuckDB found, then deletes the output.</summary>
    [Benchmark]
    public TimeSpan CrmScore()
    {
        var outDir = Path.Combine(_outRoot, Guid.NewGuid().ToString("N"));
        var run = MeasuredProcess.CrmScore(_file, outDir);
        PeakRssColumn.Record(nameof(CrmScore), Customers, run);
        var customers = CustomersIn(outDir);
        Directory.Delete(outDir, recursive: true);
        if (customers != _duckDbCustomers)
        {
            throw new InvalidOperationException($"crm score found {customers:N0} customers, DuckDB {_duckDbCustomers:N0}.");
        }

        return run.Elapsed;
    }

    /// <summary>summary.json's <c>customers.count</c>.</summary>
    internal static int CustomersIn(string outDir)
    {
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        return summary.RootElement.GetProperty("customers").GetProperty("count").GetInt32();
    }

    private sealed class PeakRssConfig : ManualConfig
    {
        public PeakRssConfig() => AddColumn(new PeakRssColumn());
    }
}
