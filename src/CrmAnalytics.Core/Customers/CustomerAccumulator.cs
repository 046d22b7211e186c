namespace CrmAnalytics.Core.Customers;

/// <summary>
/// One customer's history: purchase value per purchase day and return value per return day (not per row), so memory
/// grows with occasions, not with transaction lines. Keeping days lets one read be summarized at several cut-offs
/// (calibration/holdout splits, churn training cut-offs) without leakage.
/// </summary>
internal sealed class CustomerAccumulator
{
    public DayLedger Purchases { get; } = new();

    public DayLedger Returns { get; } = new();

    public void Merge(CustomerAccumulator other)
    {
        Purchases.Merge(other.Purchases);
        Returns.Merge(other.Returns);
    }

    public void Normalize()
    {
        Purchases.Normalize();
        Returns.Normalize();
    }
}

/// <summary>Values summed per day, with the number of rows per day; kept sorted by day after <see cref="Normalize"/>.</summary>
internal sealed class DayLedger
{
    private int[] _days = [];
    private double[] _values = [];
    private int[] _rows = [];
    private bool _sorted = true;

    public int Count { get; private set; }

    public ReadOnlySpan<int> Days => _days.AsSpan(0, Count);

    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);

    public void Add(int dayNumber, double amount, int rows = 1)
    {
        if (Count > 0)
        {
            var last = _days[Count - 1];
            if (last == dayNumber)
            {
                _values[Count - 1] += amount;
                _rows[Count - 1] += rows;
                return;
            }

            if (dayNumber < last)
            {
                _sorted = false;
            }
        }

        if (Count == _days.Length)
        {
            var size = Math.Max(4, Count * 2);
            Array.Resize(ref _days, size);
            Array.Resize(ref _values, size);
            Array.Resize(ref _rows, size);
        }

        _days[Count] = dayNumber;
        _values[Count] = amount;
        _rows[Count] = rows;
        Count++;
    }

    public void Merge(DayLedger other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            Add(other._days[i], other._values[i], other._rows[i]);
        }
    }

    /// <summary>Sorts by day and folds repeated days into one entry.</summary>
    public void Normalize()
    {
        if (_sorted)
        {
            return;
        }

        var order = new int[Count];
        for (var i = 0; i < Count; i++)
        {
            order[i] = i;
        }

        var keys = _days[..Count];
        Array.Sort(keys, order);
        var values = new double[Count];
        var rows = new int[Count];
        var write = -1;
        for (var read = 0; read < Count; read++)
        {
            if (write >= 0 && keys[read] == _days[write])
            {
                values[write] += _values[order[read]];
                rows[write] += _rows[order[read]];
            }
            else
            {
                write++;
                _days[write] = keys[read];
                values[write] = _values[order[read]];
                rows[write] = _rows[order[read]];
            }
        }

        Count = write + 1;
        Array.Copy(values, _values, Count);
        Array.Copy(rows, _rows, Count);
        _sorted = true;
    }

    /// <summary>How many entries fall on or before <paramref name="lastDay"/> (requires <see cref="Normalize"/>).</summary>
    public int CountThrough(int lastDay)
    {
        var index = Days.BinarySearch(lastDay);
        return index >= 0 ? index + 1 : ~index;
    }
}
