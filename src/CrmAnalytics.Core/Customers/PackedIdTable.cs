using CrmAnalytics.Core.Internals;

namespace CrmAnalytics.Core.Customers;

/// <summary>
/// Open-addressing map from a packed id (see <see cref="CustomerIndex"/>) to its customer index: one probe usually
/// touches one 16-byte slot, where a <see cref="Dictionary{TKey, TValue}"/> reads a bucket array and an entry array.
/// </summary>
internal sealed class PackedIdTable
{
    private Slot[] _slots = new Slot[1 << 10];
    private int _shift = 64 - 10;
    private int _count;

    /// <summary>The index stored for <paramref name="key"/>, or <paramref name="next"/> after storing it when absent.</summary>
    /// <param name="key">A packed id whose bits are already scrambled, so its top bits pick the slot.</param>
    public int GetOrAdd(ulong key, int next, out bool added)
    {
        var mask = _slots.Length - 1;
        var i = (int)(key >> _shift);
        while (true)
        {
            ref var slot = ref _slots[i];
            if (slot.IndexPlusOne == 0)
            {
                slot.Key = key;
                slot.IndexPlusOne = next + 1;
                added = true;
                if (++_count > _slots.Length * 3 / 4)
                {
                    Grow();
                }

                return next;
            }

            if (slot.Key == key)
            {
                added = false;
                return slot.IndexPlusOne - 1;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>Starts loading the slot where a lookup of <paramref name="key"/> begins into the cache (<see cref="CacheHint"/>).</summary>
    public void Prefetch(ulong key) => CacheHint.Prefetch(ref _slots[(int)(key >> _shift)]);

    public bool TryGet(ulong key, out int index)
    {
        var mask = _slots.Length - 1;
        var i = (int)(key >> _shift);
        while (true)
        {
            ref readonly var slot = ref _slots[i];
            if (slot.IndexPlusOne == 0)
            {
                index = -1;
                return false;
            }

            if (slot.Key == key)
            {
                index = slot.IndexPlusOne - 1;
                return true;
            }

            i = (i + 1) & mask;
        }
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        _shift--;
        var mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.IndexPlusOne == 0)
            {
                continue;
            }

            var i = (int)(slot.Key >> _shift);
            while (_slots[i].IndexPlusOne != 0)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = slot;
        }
    }

    private struct Slot
    {
        public ulong Key;
        public int IndexPlusOne;
    }
}
