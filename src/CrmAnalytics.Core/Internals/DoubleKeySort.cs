using System.Runtime.InteropServices;

namespace CrmAnalytics.Core.Internals;

/// <summary>
/// <c>Array.Sort(keys, items)</c> for double keys, by an LSD radix sort: the same result up to the order of keys that
/// <see cref="double.CompareTo(double)"/> calls equal. Unsigned 64-bit keys (packed customer ids) sort by the same passes.
/// </summary>
/// <remarks>
/// <para>
/// Each key maps to an unsigned 64-bit integer whose order is the keys' order (Knuth, TAOCP vol. 3, 5.2.5; the
/// "float flip" of Herf, "Radix Tricks", 2001): a non-negative double gets its sign bit set, a negative one has every
/// bit flipped. −0 is mapped as +0 first, because <see cref="double.CompareTo(double)"/> calls them equal, and so
/// after the sort every zero reads +0. Six stable counting passes of 11 bits each then sort the integers, least
/// significant digit first; a pass whose digit is the same in every key is skipped. 11-bit digits take six passes
/// where bytes take eight, and their 2,048 buckets per pass still fit in the L2 cache.
/// </para>
/// <para>
/// NaN has no place in that order (<see cref="double.CompareTo(double)"/> puts it below −∞, tied with NaN), so keys
/// holding a NaN are sorted by <see cref="Array.Sort{TKey, TValue}(TKey[], TValue[])"/> instead.
/// </para>
/// <para>O(n) time, and 12n bytes of scratch besides the arrays.</para>
/// </remarks>
internal static class DoubleKeySort
{
    private const int DigitBits = 11;
    private const int Digits = 1 << DigitBits;
    private const int Passes = (64 + DigitBits - 1) / DigitBits;
    private const ulong SignBit = 1UL << 63;

    /// <summary>Sorts <paramref name="keys"/> ascending and moves <paramref name="items"/> with them.</summary>
    public static void Sort(double[] keys, int[] items)
    {
        RequireAligned(keys, items);
        if (keys.Length < 2)
        {
            return;
        }

        if (HasNaN(keys))
        {
            Array.Sort(keys, items);
            return;
        }

        var bits = MemoryMarshal.Cast<double, ulong>(keys.AsSpan());
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = ToOrdered(keys[i]);
        }

        Sort(bits, items);
        for (var i = 0; i < bits.Length; i++)
        {
            keys[i] = FromOrdered(bits[i]);
        }
    }

    /// <summary>
    /// Sorts unsigned 64-bit <paramref name="keys"/> ascending and moves <paramref name="items"/> with them, by the same
    /// radix passes: <c>Array.Sort(keys, items)</c> up to the order of equal keys (customer ids packed in 64 bits are
    /// unique, so their order is the same).
    /// </summary>
    public static void Sort(ulong[] keys, int[] items)
    {
        RequireAligned(keys, items);
        Sort(keys.AsSpan(), items);
    }

    private static void RequireAligned(Array keys, int[] items)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Length != keys.Length)
        {
            throw new ArgumentException("Keys and items must have the same length.", nameof(items));
        }
    }

    private static void Sort(Span<ulong> bits, int[] items)
    {
        if (bits.Length < 2)
        {
            return;
        }

        var counts = new int[Passes * Digits];
        foreach (var u in bits)
        {
            for (var p = 0; p < Passes; p++)
            {
                counts[(p * Digits) + (int)((u >> (DigitBits * p)) & (Digits - 1))]++;
            }
        }

        Span<ulong> from = bits, to = GC.AllocateUninitializedArray<ulong>(bits.Length);
        Span<int> fromItems = items, toItems = GC.AllocateUninitializedArray<int>(items.Length);
        for (var p = 0; p < Passes; p++)
        {
            var shift = DigitBits * p;
            var offsets = counts.AsSpan(p * Digits, Digits);
            if (offsets[(int)((from[0] >> shift) & (Digits - 1))] == from.Length)
            {
                continue;
            }

            var next = 0;
            for (var d = 0; d < Digits; d++)
            {
                var count = offsets[d];
                offsets[d] = next;
                next += count;
            }

            for (var i = 0; i < from.Length; i++)
            {
                var u = from[i];
                var at = offsets[(int)((u >> shift) & (Digits - 1))]++;
                to[at] = u;
                toItems[at] = fromItems[i];
            }

            Swap(ref from, ref to);
            Swap(ref fromItems, ref toItems);
        }

        if (from != bits)
        {
            from.CopyTo(bits);
            fromItems.CopyTo(items);
        }
    }

    /// <summary>The key's place in double order as an unsigned integer; −0 and +0 share one.</summary>
    private static ulong ToOrdered(double key)
    {
        var u = BitConverter.DoubleToUInt64Bits(key == 0 ? 0.0 : key);
        return (u & SignBit) != 0 ? ~u : u | SignBit;
    }

    private static double FromOrdered(ulong u) => BitConverter.UInt64BitsToDouble((u & SignBit) != 0 ? u & ~SignBit : ~u);

    private static bool HasNaN(double[] keys)
    {
        foreach (var k in keys)
        {
            if (double.IsNaN(k))
            {
                return true;
            }
        }

        return false;
    }

    private static void Swap<T>(ref Span<T> a, ref Span<T> b)
    {
        var t = a;
        a = b;
        b = t;
    }
}
