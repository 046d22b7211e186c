using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace CrmAnalytics.Benchmarks.Ingest;

/// <summary>
/// Ingest of the seeded sample export plus the per-customer summary, against DuckDB doing the same work on the same file.
/// </summary>
/// <remarks>
/// Each operation takes seconds at 10M lines, so the Monitoring strategy runs one invocation per iteration, with no
/// pilot stage. Both sides use every core; DuckDB's allocations are native, so its Allocated column is near zero;
/// peak working set is measured by the <c>peak</c> mode instead.
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class IngestSummaryBenchmarks
{
    private SampleExportFile _file = null!;

    public static IEnumerable<int> CustomerCounts => [SampleExport.CustomersFromEnvironment()];

    /// <summary>Customers simulated (about 7.46 lines each); set by <c>CRM_BENCH_CUSTOMERS</c>.</summary>
    [ParamsSource(nameof(CustomerCounts))]
    public int Customers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _file = SampleExport.EnsureAsync(Customers, Console.Out).GetAwaiter().GetResult();
        var ours = OursSide.SummarizeAsync(_file.Path).GetAwaiter().GetResult();
        if (ours.AsOf != _file.AsOf)
        {
            throw new InvalidOperationException($"As-of {ours.AsOf:yyyy-MM-dd} differs from the cached {_file.AsOf:yyyy-MM-dd}; delete {_file.Path}.meta.");
        }

        var duck = DuckDbSide.Totals(_file.Path, _file.AsOf);
        var differences = OursSide.Totals(ours).Differences(duck);
        if (differences.Count > 0)
        {
            throw new InvalidOperationException("CrmAnalytics and DuckDB disagree (ours vs DuckDB): " + string.Join("; ", differences));
        }

        var (version, threads) = DuckDbSide.Settings();
        Console.WriteLine($"// {_file.Lines:N0} lines, {_file.Bytes:N0} bytes, as-of {_file.AsOf:yyyy-MM-dd}; {duck.Customers:N0} customers on both sides; DuckDB {version}, threads={threads}; cores={Environment.ProcessorCount}");
    }

    [Benchmark(Baseline = true)]
    public int DuckDb() => DuckDbSide.CountCustomers(_file.Path, _file.AsOf);

    [Benchmark]
    public Task<int> CrmAnalytics() => OursSide.CountCustomersAsync(_file.Path);
}
