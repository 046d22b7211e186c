using System.Diagnostics;

namespace CrmAnalytics.Stages.Score;

/// <summary>
/// The wall time of each stage of a run and the process's peak working set at its end, for summary.json's
/// <c>timings_ms</c> and <c>peak_working_set_bytes_by_stage</c>.
/// </summary>
internal sealed class StageMeter
{
    private readonly Stopwatch _total = Stopwatch.StartNew();
    private readonly Dictionary<string, long> _milliseconds = [];
    private readonly Dictionary<string, long> _peakWorkingSetBytes = [];

    public IReadOnlyDictionary<string, long> Milliseconds => _milliseconds;

    /// <summary>The peak working set (RSS high-water mark) when each stage ended, in bytes.</summary>
    public IReadOnlyDictionary<string, long> PeakWorkingSetBytes => _peakWorkingSetBytes;

    public long TotalMilliseconds => _total.ElapsedMilliseconds;

    /// <summary>Records a stage that timed itself (reading measures its own time).</summary>
    public void Record(string stage, long milliseconds)
    {
        _milliseconds[stage] = milliseconds;
        _peakWorkingSetBytes[stage] = PeakWorkingSet();
    }

    /// <summary>The process's peak working set so far, in bytes.</summary>
    public static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    public T Time<T>(string stage, Func<T> run)
    {
        var watch = Stopwatch.StartNew();
        var result = run();
        Record(stage, watch.ElapsedMilliseconds);
        return result;
    }

    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> run)
    {
        var watch = Stopwatch.StartNew();
        var result = await run().ConfigureAwait(false);
        Record(stage, watch.ElapsedMilliseconds);
        return result;
    }

    /// <summary>The timings with <c>total</c>, the run's time so far, last.</summary>
    public Dictionary<string, long> WithTotal() => new(_milliseconds) { ["total"] = TotalMilliseconds };
}
