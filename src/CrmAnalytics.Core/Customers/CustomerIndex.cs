using System.Runtime.InteropServices;
using CrmAnalytics.Core.Internals;
using CrmAnalytics.Core.Parallelism;

namespace CrmAnalytics.Core.Customers;

/// <summary>Numbers customer ids densely (0, 1, 2, ...) in order of first appearance; ids compare ordinally.</summary>
/// <remarks>
/// Most exports use short ASCII ids (CDNOW's and Online Retail's five digits), which are packed into a 64-bit key:
/// the lookup then touches one slot of a flat table instead of a bucket, an entry and a string, and no string is made
/// while reading.
/// The hash lookups' cache misses dominate the cost of a row once there are a million customers. Other ids use a
/// string table.
/// </remarks>
internal sealed class CustomerIndex
{
    private const int PackedChars = sizeof(ulong);

    /// <summary>2^64 / φ, odd, so multiplying by it is a bijection (Knuth's multiplicative hashing).</summary>
    private const ulong Golden = 0x9E3779B97F4A7C15;


    private PackedIdTable _packed = new();
    private bool _compact;
    private readonly Dictionary<string, int> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _stringLookup;
    /// <summary>Each customer's packed id (0 for ids in the string table), by index.</summary>
    private ulong[] _packedById = [];
    private string[] _names = [];
    private char[] _lastId = new char[32];
    private int _lastIdLength;
    private int _last = -1;

    public CustomerIndex()
    {
        _stringLookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count { get; private set; }

    /// <summary>The index of <paramref name="customerId"/>, numbering it when it is new.</summary>
    /// <remarks>Exports list an order's lines together, so most rows repeat the previous row's customer: that is checked first.</remarks>
    public int GetOrAdd(ReadOnlySpan<char> customerId)
    {
        if (_last >= 0 && customerId.SequenceEqual(_lastId.AsSpan(0, _lastIdLength)))
        {
            return _last;
        }

        Expand();

        if (customerId.Length > _lastId.Length)
        {
            _lastId = new char[Math.Max(customerId.Length, 2 * _lastId.Length)];
        }

        customerId.CopyTo(_lastId);
        _lastIdLength = customerId.Length;
        bool added;
        if (TryPack(customerId, out var packed))
        {
            _last = _packed.GetOrAdd(Scramble(packed), Count, out added);
        }
        else
        {
            ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_stringLookup, customerId, out var exists);
            if (!exists)
            {
                index = Count;
            }

            (_last, added) = (index, !exists);
        }

        if (added)
        {
            if (Count == _packedById.Length)
            {
                Array.Resize(ref _packedById, Math.Max(1024, 2 * Count));
            }

            _packedById[Count++] = packed;
        }

        return _last;
    }

    /// <summary>Starts loading the table slot of <paramref name="customerId"/> into the cache (<see cref="PackedIdTable.Prefetch"/>).</summary>
    public void Prefetch(ReadOnlySpan<char> customerId)
    {
        if (!_compact && TryPack(customerId, out var packed))
        {
            _packed.Prefetch(Scramble(packed));
        }
    }

    public bool TryGet(ReadOnlySpan<char> customerId, out int index)
    {
        Expand();
        return TryPack(customerId, out var packed) ? _packed.TryGet(Scramble(packed), out index) : _stringLookup.TryGetValue(customerId, out index);
    }

    /// <summary>
    /// Frees the packed ids' lookup table and keys (at 1.35M customers 50 MB, sized for the next doubling) once every id
    /// has its string: only reading looks ids up. The next lookup or new id rebuilds them from the strings.
    /// </summary>
    public void Compact()
    {
        Names();
        (_packed, _packedById, _compact) = (new PackedIdTable(), [], true);
    }

    /// <summary>Rebuilds what <see cref="Compact"/> freed.</summary>
    private void Expand()
    {
        if (!_compact)
        {
            return;
        }

        var packedById = new ulong[Math.Max(1024, Count)];
        for (var index = 0; index < Count; index++)
        {
            if (TryPack(_names[index], out var packed))
            {
                packedById[index] = packed;
                _packed.GetOrAdd(Scramble(packed), index, out _);
            }
        }

        (_packedById, _compact) = (packedById, false);
    }

    /// <summary>Every id in ordinal order, with its index.</summary>
    /// <remarks>
    /// Packed ids hold their characters first-in-high-byte with NUL padding, so their numeric order is the ordinal order
    /// of the strings (a prefix sorts first): when every id is packed, sorting integers replaces comparing strings.
    /// </remarks>
    public (string[] Ids, int[] Indexes) SortedByOrdinal()
    {
        Expand();
        var names = Names();
        var indexes = new int[Count];
        for (var i = 0; i < indexes.Length; i++)
        {
            indexes[i] = i;
        }

        if (_strings.Count == 0)
        {
            // Packed ids are unique, so the radix sort gives Array.Sort's order (0.1 s less at 1.35M customers).
            DoubleKeySort.Sort(_packedById.AsSpan(0, Count).ToArray(), indexes);
        }
        else
        {
            Array.Sort((string[])names.Clone(), indexes, StringComparer.Ordinal);
        }

        var ids = new string[Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = names[indexes[i]];
        }

        return (ids, indexes);
    }

    /// <summary>Every id, by index; made once and extended as customers are added.</summary>
    public string[] Names()
    {
        if (_names.Length == Count)
        {
            return _names;
        }

        var names = new string[Count];
        _names.CopyTo(names, 0);
        var known = _names.Length;
        // Every packed id becomes its string on all cores: at 1.35M customers this was a one-core step of 0.3 s.
        Ranges.For(names.Length - known, (start, end) =>
        {
            for (var index = known + start; index < known + end; index++)
            {
                names[index] = Unpack(_packedById[index]);
            }
        });

        foreach (var (id, index) in _strings)
        {
            if (index >= known)
            {
                names[index] = id;
            }
        }

        _names = names;
        return names;
    }

    /// <summary>Packs up to eight ASCII characters other than NUL, first character in the high byte.</summary>
    private static bool TryPack(ReadOnlySpan<char> id, out ulong key)
    {
        key = 0;
        if (id.Length > PackedChars)
        {
            return false;
        }

        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            if (c is '\0' or > '\x7f')
            {
                key = 0;
                return false;
            }

            key |= (ulong)c << (8 * (PackedChars - 1 - i));
        }

        return true;
    }

    /// <summary>
    /// Mixes every character into the top bits, which pick the table slot; similar ids (consecutive numbers) would
    /// otherwise crowd into neighbouring slots.
    /// </summary>
    private static ulong Scramble(ulong packed) => (packed ^ (packed >> 32)) * Golden;

    private static string Unpack(ulong key)
    {
        Span<char> chars = stackalloc char[PackedChars];
        var length = 0;
        while (length < PackedChars && (key >> (8 * (PackedChars - 1 - length)) & 0xff) is var c and not 0)
        {
            chars[length++] = (char)c;
        }

        return new string(chars[..length]);
    }
}
