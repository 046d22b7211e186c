using System.Runtime.CompilerServices;
using CrmAnalytics.Core.Parallelism;

namespace CrmAnalytics.Core.Internals;

/// <summary>
/// Faults in the pages of a new large array before a parallel loop fills it: one write of the default value per page,
/// on all cores.
/// </summary>
/// <remarks>
/// A large array comes from fresh memory, whose pages the system maps on first write. When those first writes happen
/// inside a loop that computes the rows, the loop ran at less than half its speed: summarizing 1.35M customers into a
/// new 173 MB array took 0.58–0.67 s, against 0.04–0.05 s for this pass and 0.23–0.29 s for the same loop after it.
/// </remarks>
public static class PageTouch
{
    /// <summary>Writes the default value to one element of each page of <paramref name="array"/>; returns the array.</summary>
    public static T[] All<T>(T[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var stride = Math.Max(1, Environment.SystemPageSize / Unsafe.SizeOf<T>());
        Ranges.For(array.Length, (start, end) =>
        {
            for (var i = start; i < end; i += stride)
            {
                array[i] = default!;
            }
        });
        return array;
    }
}
