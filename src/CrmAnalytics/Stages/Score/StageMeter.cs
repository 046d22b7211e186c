using System.Diagnostics;

namespace CrmAnalytics.Stages.Score;

/// <summary>
/// The wall time of each stage of a run and the largest working set during it, for summary.json's <c>timings_ms</c> and
/// <c>peak_working_set_bytes_by_stage</c>.
/// </summary>
/// <remarks>
/// A background thread samples the working set every <see cref="SampleMilliseconds"/> ms; a stage's peak is the largest
/// sample since the previous stage ended, and the working sets at both ends. The kernel keeps only the process's
/// high-water mark, and resetting it (Linux's <c>/proc/self/clear_refs</c>) would also reset what <c>/usr/bin/time</c>,
/// the benchmarks and a scheduler read as the run's peak, so the run's <c>peak_working_set_bytes</c> stays that mark
/// (<see cref="RunPeak"/>).
/// A spike shorter than the interval can escape a stage's figure, never the run's.
/// </remarks>
internal sealed class StageMeter : IDisposable
{
    /// <summary>The interval between two samples of the working set.</summary>
    internal const int SampleMilliseconds = 10;

    private readonly Stopwatch _total = Stopwatch.StartNew();
    private readonly Dictionary<string, long> _milliseconds = [];
    private readonly Dictionary<string, long> _peakWorkingSetBytes = [];
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _sampler;
    private long _stagePeak = Environment.WorkingSet;

    public StageMeter()
    {
        _sampler = new Thread(Sample) { IsBackground = true, Name = "crm working-set sampler" };
        _sampler.Start();
    }

    public IReadOnlyDictionary<string, long> Milliseconds => _milliseconds;

    /// <summary>The largest working set during each stage, in bytes (sampled; see the remarks).</summary>
    public IReadOnlyDictionary<string, long> PeakWorkingSetBytes => _peakWorkingSetBytes;

    public long TotalMilliseconds => _total.ElapsedMilliseconds;

    /// <summary>Records a stage that timed itself (reading measures its own time); its peak is the largest since the previous stage ended.</summary>
    public void Record(string stage, long milliseconds)
    {
        _milliseconds[stage] = milliseconds;
        var now = Environment.WorkingSet;
        Raise(now);
        _peakWorkingSetBytes[stage] = Interlocked.Exchange(ref _stagePeak, now);
    }

    /// <summary>
    /// The run's peak working set so far, in bytes: the kernel's high-water mark, or a stage's sample above it (the kernel
    /// updates the mark lazily, so a sample of the current working set can pass it by a few pages).
    /// </summary>
    public long RunPeak => Math.Max(PeakWorkingSet(), _peakWorkingSetBytes.Values.DefaultIfEmpty(0).Max());

    /// <summary>The process's peak working set so far (the kernel's high-water mark), in bytes.</summary>
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

    /// <summary>Stops sampling.</summary>
    public void Dispose()
    {
        _stop.Set();
        _sampler.Join();
        _stop.Dispose();
    }

    private void Sample()
    {
        while (!_stop.Wait(SampleMilliseconds))
        {
            Raise(Environment.WorkingSet);
        }
    }

    private void Raise(long workingSet)
    {
        var seen = Interlocked.Read(ref _stagePeak);
        while (workingSet > seen)
        {
            var was = Interlocked.CompareExchange(ref _stagePeak, workingSet, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
