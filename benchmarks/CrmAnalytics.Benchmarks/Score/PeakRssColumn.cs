using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using CrmAnalytics.Benchmarks.Ingest;

namespace CrmAnalytics.Benchmarks.Score;

/// <summary>
/// The largest peak resident set of any child run of a benchmark case, in MiB. The benchmark process records it in a
/// file under the data cache (<see cref="Record"/>); the host reads it when it prints the summary.
/// </summary>
public sealed class PeakRssColumn : IColumn
{
    public string Id => nameof(PeakRssColumn);

    public string ColumnName => "Peak RSS";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Largest peak resident set (MiB) of the child process over every run of the case, native memory included";

    /// <summary>Keeps the largest peak seen for <paramref name="method"/> at <paramref name="customers"/>.</summary>
    public static void Record(string method, int customers, ProcessMeasurement run)
    {
        var path = PathFor(method, customers);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var known = File.Exists(path) ? long.Parse(File.ReadAllText(path), CultureInfo.InvariantCulture) : 0;
        File.WriteAllText(path, Math.Max(known, run.PeakRssKib).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Forgets the peaks of <paramref name="method"/> at <paramref name="customers"/> (each run of the benchmark starts afresh).</summary>
    public static void Reset(string method, int customers)
    {
        var path = PathFor(method, customers);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        var customers = benchmarkCase.Parameters["Customers"] is int n ? n : 0;
        var path = PathFor(benchmarkCase.Descriptor.WorkloadMethod.Name, customers);
        return File.Exists(path)
            ? (long.Parse(File.ReadAllText(path), CultureInfo.InvariantCulture) / 1024.0).ToString("N0", CultureInfo.InvariantCulture) + " MiB"
            : "?";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    private static string PathFor(string method, int customers) =>
        Path.Combine(SampleExport.CacheDirectory, "peak-rss", string.Create(CultureInfo.InvariantCulture, $"{method}-{customers}.kib"));
}
