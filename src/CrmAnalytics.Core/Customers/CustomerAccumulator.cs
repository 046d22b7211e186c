namespace CrmAnalytics.Core.Customers;

/// <summary>
/// One customer's running totals: one entry per purchase day (not per row), so memory grows with
/// occasions, not with transaction lines.
/// </summary>
internal sealed class CustomerAccumulator
{
    private int[] _days = new int[4];
    private double[] _values = new double[4];
    private bool _sorted = true;

    public int Count { get; private set; }

    public double ReturnsValue { get; private set; }

    public int ReturnLines { get; private set; }

    public ReadOnlySpan<int> Days => _days.AsSpan(0, Count);

    public ReadOnlySpan<double> Values => _values.AsSpan(0, Count);

    public void AddPurchase(int dayNumber, double amount)
    {
        if (Count > 0)
        {
            var last = _days[Count - 1];
            if (last == dayNumber)
            {
                _values[Count - 1] += amount;
                return;
            }

            if (dayNumber < last)
            {
                _sorted = false;
            }
        }

        Append(dayNumber, amount);
    }

    public void AddReturn(double magnitude)
    {
        ReturnsValue += magnitude;
        ReturnLines++;
    }

    public void Merge(CustomerAccumulator other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            AddPurchase(other._days[i], other._values[i]);
        }

        ReturnsValue += other.ReturnsValue;
        ReturnLines += other.ReturnLines;
    }

    /// <summary>Sorts the days and folds repeated days into one occasion.</summary>
    public void Normalize()
    {
        if (_sorted)
        {
            return;
        }

        Array.Sort(_days, _values, 0, Count);
        var write = 0;
        for (var read = 1; read < Count; read++)
        {
            if (_days[read] == _days[write])
            {
                _values[write] += _values[read];
            }
            else
            {
                write++;
                _days[write] = _days[read];
                _values[write] = _values[read];
            }
        }

        Count = Count == 0 ? 0 : write + 1;
        _sorted = true;
    }

    private void Append(int dayNumber, double amount)
    {
        if (Count == _days.Length)
        {
            Array.Resize(ref _days, Count * 2);
            Array.Resize(ref _values, Count * 2);
        }

        _days[Count] = dayNumber;
        _values[Count] = amount;
        Count++;
    }
}
