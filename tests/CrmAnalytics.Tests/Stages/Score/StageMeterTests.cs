using CrmAnalytics.Core.Internals;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Tests.Stages.Score;

[TestFixture]
[NonParallelizable] // measures this process's working set
public sealed class StageMeterTests
{
    private const long MiB = 1 << 20;

    /// <summary>
    /// Each stage reports the largest working set during it, not the process's high-water mark so far: a stage that
    /// holds 256 MiB for a while and frees them before it ends reports them (only the sampler saw them), and the next
    /// stage reports less. The run's peak still covers both.
    /// </summary>
    [Test]
    public void Record_StageAfterABigOne_ReportsItsOwnPeakNotTheRunsHighWaterMark()
    {
        using var meter = new StageMeter();
        var before = Environment.WorkingSet;

        meter.Time("big", () =>
        {
            HoldAndFree(256 * MiB);
            return 0;
        });
        meter.Time("small", () =>
        {
            Thread.Sleep(10 * StageMeter.SampleMilliseconds);
            return 0;
        });

        var peaks = meter.PeakWorkingSetBytes;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(peaks["big"], Is.GreaterThanOrEqualTo(before + (200 * MiB)), "the 256 MiB block was resident during the stage");
            Assert.That(peaks["small"], Is.LessThan(peaks["big"] - (128 * MiB)), "freed before the next stage, which does not inherit the mark");
            Assert.That(meter.RunPeak, Is.GreaterThanOrEqualTo(peaks["big"]).And.GreaterThanOrEqualTo(StageMeter.PeakWorkingSet()), "the run's peak covers every stage's");
        }
    }

    /// <summary>Resident for ten sampling intervals, then given back to the system.</summary>
    private static void HoldAndFree(long bytes)
    {
        Hold(bytes);
        HeapRelease.ToSystem();
    }

    /// <summary>Not inlined, so that no frame of the caller still refers to the block when it collects.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Hold(long bytes)
    {
        var block = GC.AllocateUninitializedArray<byte>((int)bytes);
        Array.Fill(block, (byte)1); // touched, so resident
        Thread.Sleep(10 * StageMeter.SampleMilliseconds);
        GC.KeepAlive(block);
    }
}
