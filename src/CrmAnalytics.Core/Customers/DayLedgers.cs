namespace CrmAnalytics.Core.Customers;

/// <summary>One day of a customer's ledger: the value summed over the day's rows, and how many rows there were.</summary>
internal struct DayEntry
{
    public int Day;
    public int Rows;
    public double Value;
    public int Next;
}

/// <summary>
/// Every customer's value per day (purchases or returns), not per row, so memory grows with occasions, not with
/// transaction lines. Keeping days lets one read be summarized at several cut-offs (calibration/holdout splits, churn
/// training cut-offs) without leakage.
/// </summary>
/// <remarks>
/// Each customer's days are a linked list in one shared arena of fixed-size chunks, instead of a ledger object with
/// arrays per customer: a million customers cost a few large arrays, not millions of small objects for the GC to trace.
/// A customer's list is in arrival order, adjacent rows on the same day folded, until <see cref="Normalize"/> sorts it.
/// </remarks>
internal sealed class DayLedgers
{
    private const int ChunkBits = 16;
    private const int ChunkMask = (1 << ChunkBits) - 1;

    private DayEntry[][] _chunks = [];
    private int _used;
    private Ledger[] _ledgers = [];
    private int[] _sortKeys = [];
    private int[] _sortOrder = [];
    private DayEntry[] _folded = [];
    private bool _released;

    /// <summary>Entries added so far: it changes whenever a customer's days do (a row on a day already listed last folds into it).</summary>
    public int EntryCount => _used;

    public int Count(int customer) => ThrowIfReleased() || customer >= _ledgers.Length ? 0 : _ledgers[customer].Count;

    public void Add(int customer, int dayNumber, double amount, int rows = 1)
    {
        ThrowIfReleased();
        if (customer >= _ledgers.Length)
        {
            Array.Resize(ref _ledgers, Math.Max(Math.Max(1024, customer + 1), _ledgers.Length * 2));
        }

        ref var ledger = ref _ledgers[customer];
        if (ledger.Count > 0)
        {
            ref var tail = ref At(ledger.Tail);
            if (tail.Day == dayNumber)
            {
                tail.Value += amount;
                tail.Rows += rows;
                return;
            }

            if (dayNumber < tail.Day)
            {
                ledger.Unsorted = true;
            }
        }

        var index = NewEntry();
        ref var entry = ref At(index);
        entry.Day = dayNumber;
        entry.Value = amount;
        entry.Rows = rows;
        entry.Next = -1;
        if (ledger.Count == 0)
        {
            ledger.Head = index;
        }
        else
        {
            At(ledger.Tail).Next = index;
        }

        ledger.Tail = index;
        ledger.Count++;
    }

    /// <summary>
    /// Starts loading what <see cref="Add"/> for <paramref name="customer"/> reads: the customer's ledger, or with
    /// <paramref name="tail"/> its last day, whose ledger should be loaded by then (<see cref="CacheHint"/>).
    /// </summary>
    public void Prefetch(int customer, bool tail)
    {
        if (_released || customer >= _ledgers.Length)
        {
            return;
        }

        if (!tail)
        {
            Internals.CacheHint.Prefetch(ref _ledgers[customer]);
        }
        else if (_ledgers[customer].Count > 0)
        {
            var index = _ledgers[customer].Tail;
            Internals.CacheHint.Prefetch(ref _chunks[index >> ChunkBits][index & ChunkMask]);
        }
    }

    /// <summary>The customer's days in list order (by day after <see cref="Normalize"/>).</summary>
    public Enumerator Entries(int customer) =>
        new(this, !ThrowIfReleased() && customer < _ledgers.Length && _ledgers[customer].Count > 0 ? _ledgers[customer].Head : -1);

    /// <summary>How many entries fall on or before <paramref name="lastDay"/> (requires <see cref="Normalize"/>).</summary>
    public int CountThrough(int customer, int lastDay)
    {
        var count = 0;
        foreach (ref readonly var entry in Entries(customer))
        {
            if (entry.Day > lastDay)
            {
                break;
            }

            count++;
        }

        return count;
    }

    /// <summary>How many entries fall in [<paramref name="firstDay"/>, <paramref name="endDay"/>), in one walk (requires <see cref="Normalize"/>).</summary>
    public int CountIn(int customer, int firstDay, int endDay)
    {
        var count = 0;
        foreach (ref readonly var entry in Entries(customer))
        {
            if (entry.Day >= endDay)
            {
                break;
            }

            if (entry.Day >= firstDay)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Normalizes every customer whose days arrived out of order.</summary>
    public void NormalizeAll()
    {
        ThrowIfReleased();
        for (var customer = 0; customer < _ledgers.Length; customer++)
        {
            if (_ledgers[customer].Unsorted)
            {
                Normalize(customer);
            }
        }
    }

    /// <summary>Sorts the customer's days and folds repeated days into one entry, in place.</summary>
    /// <remarks>Sorts with the same key/index sort and folds in the same order as before the arena, so sums are bit-identical.</remarks>
    public void Normalize(int customer)
    {
        if (ThrowIfReleased() || customer >= _ledgers.Length || !_ledgers[customer].Unsorted)
        {
            return;
        }

        ref var ledger = ref _ledgers[customer];
        var n = ledger.Count;
        if (_sortKeys.Length < n)
        {
            _sortKeys = new int[n];
            _sortOrder = new int[n];
            _folded = new DayEntry[n];
        }

        var keys = _sortKeys.AsSpan(0, n);
        var order = _sortOrder.AsSpan(0, n);
        var folded = _folded.AsSpan(0, n);
        var i = 0;
        foreach (ref readonly var entry in Entries(customer))
        {
            keys[i] = entry.Day;
            order[i] = i;
            folded[i] = entry;
            i++;
        }

        keys.Sort(order);
        var write = -1;
        Span<double> values = n <= 256 ? stackalloc double[n] : new double[n];
        Span<int> rows = n <= 256 ? stackalloc int[n] : new int[n];
        Span<int> days = n <= 256 ? stackalloc int[n] : new int[n];
        for (var read = 0; read < n; read++)
        {
            ref readonly var source = ref folded[order[read]];
            if (write >= 0 && keys[read] == days[write])
            {
                values[write] += source.Value;
                rows[write] += source.Rows;
            }
            else
            {
                write++;
                days[write] = keys[read];
                values[write] = source.Value;
                rows[write] = source.Rows;
            }
        }

        var node = ledger.Head;
        for (var k = 0; k <= write; k++)
        {
            ref var entry = ref At(node);
            entry.Day = days[k];
            entry.Value = values[k];
            entry.Rows = rows[k];
            ledger.Tail = node;
            node = entry.Next;
        }

        At(ledger.Tail).Next = -1;
        ledger.Count = write + 1;
        ledger.Unsorted = false;
    }

    /// <summary>Whether <see cref="Release"/> has run.</summary>
    public bool Released => _released;

    /// <summary>Frees every day: the owner reads none of them again. Any later use throws instead of seeing no days.</summary>
    public void Release() => (_chunks, _used, _ledgers, _sortKeys, _sortOrder, _folded, _released) = ([], 0, [], [], [], [], true);

    /// <summary>Throws once the days are released; false otherwise (so it reads as a condition that never holds).</summary>
    private bool ThrowIfReleased() => _released
        ? throw new InvalidOperationException("The transactions' days were released after their last reader and cannot be read again.")
        : false;

    private ref DayEntry At(int index) => ref _chunks[index >> ChunkBits][index & ChunkMask];

    private int NewEntry()
    {
        var chunk = _used >> ChunkBits;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, Math.Max(4, _chunks.Length * 2));
        }

        _chunks[chunk] ??= new DayEntry[1 << ChunkBits];
        return _used++;
    }

    private struct Ledger
    {
        public int Head;
        public int Tail;
        public int Count;
        public bool Unsorted;
    }

    /// <summary>Walks one customer's list; <c>foreach (ref readonly var e in ledgers.Entries(c))</c>.</summary>
    public ref struct Enumerator(DayLedgers owner, int head)
    {
        private int _next = head;
        private int _current = -1;

        public readonly ref readonly DayEntry Current => ref owner.At(_current);

        public readonly Enumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_next < 0)
            {
                return false;
            }

            _current = _next;
            _next = owner.At(_current).Next;
            return true;
        }
    }
}
