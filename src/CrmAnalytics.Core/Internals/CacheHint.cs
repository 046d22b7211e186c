using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace CrmAnalytics.Core.Internals;

/// <summary>Software prefetch: start loading a location into the cache now, for a read a little later.</summary>
/// <remarks>
/// For loops whose next lookups are known ahead (a batch of rows): each lookup into a table of a million customers
/// misses the cache, and a prefetch issued several rows earlier overlaps those misses instead of waiting on each in turn.
/// </remarks>
internal static class CacheHint
{
    /// <summary>A hint only: nothing is read or written, and it never faults.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Prefetch<T>(ref T location)
    {
        if (Sse.IsSupported)
        {
            // The address may be stale by the time the prefetch runs (the collector can move the array): harmless.
            Sse.Prefetch0(Unsafe.AsPointer(ref location));
        }
    }
}
