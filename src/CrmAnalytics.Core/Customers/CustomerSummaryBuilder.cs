using System.Runtime.InteropServices;

namespace CrmAnalytics.Core.Customers;

/// <summary>
/// Builds one <see cref="CustomerSummary"/> per customer in one pass over accepted transactions, in any order.
/// Parallel readers each fill a builder and <see cref="Merge"/> them.
/// </summary>
public sealed class CustomerSummaryBuilder
{
    private readonly Dictionary<string, int> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly DayLedgers _purchases = new();
    private readonly DayLedgers _returns = new();
    private int _minDay = int.MaxValue;
    private int _maxDay = int.MinValue;
    private int[] _days = [];
    private double[] _values = [];

    public CustomerSummaryBuilder()
    {
        _lookup = _customers.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Customers seen so far, including those with only returns.</summary>
    public int CustomerCount => _customers.Count;

    /// <summary>The latest date of any accepted row (purchase or return), or null before the first.</summary>
    public DateOnly? LastDate => _maxDay == int.MinValue ? null : DateOnly.FromDayNumber(_maxDay);

    public DateOnly? FirstDate => _minDay == int.MaxValue ? null : DateOnly.FromDayNumber(_minDay);

    /// <summary>Adds a purchase line; lines on the same customer-day form one occasion.</summary>
    /// <param name="amount">A positive amount.</param>
    public void AddPurchase(ReadOnlySpan<char> customerId, DateOnly date, double amount)
    {
        var day = date.DayNumber;
        Track(day);
        _purchases.Add(Get(customerId), day, amount);
    }

    /// <summary>Adds a return or cancellation line: it reduces money but is not an occasion.</summary>
    /// <param name="amount">The line's amount; its magnitude is subtracted from the monetary total.</param>
    public void AddReturn(ReadOnlySpan<char> customerId, DateOnly date, double amount)
    {
        var day = date.DayNumber;
        Track(day);
        _returns.Add(Get(customerId), day, Math.Abs(amount));
    }

    public void Merge(CustomerSummaryBuilder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (id, theirs) in other._customers)
        {
            var mine = Get(id);
            foreach (ref readonly var day in other._purchases.Entries(theirs))
            {
                _purchases.Add(mine, day.Day, day.Value, day.Rows);
            }

            foreach (ref readonly var day in other._returns.Entries(theirs))
            {
                _returns.Add(mine, day.Day, day.Value, day.Rows);
            }
        }

        _minDay = Math.Min(_minDay, other._minDay);
        _maxDay = Math.Max(_maxDay, other._maxDay);
    }

    /// <summary>The as-of date used when none is given: the day after the last accepted row.</summary>
    public DateOnly DefaultAsOf() =>
        LastDate?.AddDays(1) ?? throw new InvalidOperationException("No accepted rows: the as-of date cannot be derived.");

    /// <summary>
    /// Computes every customer's summary as of <paramref name="asOf"/>, the exclusive end of the window: purchases and
    /// returns on or after it are left out, and customers whose first purchase is on or after it have no row. One read
    /// can therefore be summarized at several cut-offs without leaking later data.
    /// </summary>
    public CustomerSummaryResult Build(DateOnly asOf)
    {
        var end = asOf.DayNumber - 1;
        var (ids, indexes) = SortedIds();
        var result = new List<CustomerSummary>(ids.Length);
        var returnsOnly = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            var customer = indexes[i];
            Normalize(customer);
            var occasions = _purchases.CountThrough(customer, end);
            if (occasions == 0)
            {
                if (_returns.CountThrough(customer, end) > 0)
                {
                    returnsOnly++;
                }

                continue;
            }

            result.Add(Summarize(ids[i], customer, occasions, end));
        }

        return new CustomerSummaryResult(asOf, result, returnsOnly);
    }

    /// <summary>
    /// Purchase occasions of each customer in [<paramref name="from"/>, <paramref name="to"/>), aligned with
    /// <paramref name="customers"/> (customers unknown to this builder count 0): the holdout counts of a calibration split.
    /// </summary>
    public int[] CountOccasions(IReadOnlyList<CustomerSummary> customers, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var counts = new int[customers.Count];
        for (var i = 0; i < customers.Count; i++)
        {
            if (_customers.TryGetValue(customers[i].CustomerId, out var customer))
            {
                Normalize(customer);
                counts[i] = _purchases.CountThrough(customer, to.DayNumber - 1) - _purchases.CountThrough(customer, from.DayNumber - 1);
            }
        }

        return counts;
    }

    /// <summary>
    /// Repeat occasions (every occasion after a customer's first) per day in [<paramref name="from"/>, <paramref name="to"/>),
    /// over customers whose first purchase is before <paramref name="cohortEnd"/>: the actual series of a tracking plot.
    /// </summary>
    public int[] RepeatOccasionsPerDay(DateOnly from, DateOnly to, DateOnly cohortEnd)
    {
        var days = Math.Max(0, to.DayNumber - from.DayNumber);
        var counts = new int[days];
        foreach (var customer in _customers.Values)
        {
            Normalize(customer);
            if (_purchases.Count(customer) < 2)
            {
                continue;
            }

            var first = true;
            foreach (ref readonly var purchase in _purchases.Entries(customer))
            {
                if (first)
                {
                    if (purchase.Day >= cohortEnd.DayNumber)
                    {
                        break;
                    }

                    first = false;
                    continue;
                }

                var offset = purchase.Day - from.DayNumber;
                if (offset >= 0 && offset < days)
                {
                    counts[offset]++;
                }
            }
        }

        return counts;
    }

    private (string[] Ids, int[] Indexes) SortedIds()
    {
        var ids = new string[_customers.Count];
        var indexes = new int[ids.Length];
        var i = 0;
        foreach (var (id, customer) in _customers)
        {
            ids[i] = id;
            indexes[i] = customer;
            i++;
        }

        Array.Sort(ids, indexes, StringComparer.Ordinal);
        return (ids, indexes);
    }

    private void Normalize(int customer)
    {
        _purchases.Normalize(customer);
        _returns.Normalize(customer);
    }

    private CustomerSummary Summarize(string id, int customer, int occasions, int end)
    {
        if (_days.Length < occasions)
        {
            _days = new int[Math.Max(occasions, _days.Length * 2)];
            _values = new double[_days.Length];
        }

        var n = 0;
        foreach (ref readonly var purchase in _purchases.Entries(customer))
        {
            if (n == occasions)
            {
                break;
            }

            _days[n] = purchase.Day;
            _values[n] = purchase.Value;
            n++;
        }

        ReadOnlySpan<int> days = _days.AsSpan(0, occasions);
        ReadOnlySpan<double> values = _values.AsSpan(0, occasions);
        double returnsValue = 0;
        var returnLines = 0;
        foreach (ref readonly var day in _returns.Entries(customer))
        {
            if (day.Day > end)
            {
                break;
            }

            returnsValue += day.Value;
            returnLines += day.Rows;
        }

        var first = days[0];
        var last = days[^1];

        double gross = 0;
        foreach (var v in values)
        {
            gross += v;
        }

        var repeatMean = days.Length > 1 ? (gross - values[0]) / (days.Length - 1) : 0.0;
        var gapStd = GapStandardDeviation(days);

        Span<int> orders = stackalloc int[4];
        Span<double> spend = stackalloc double[4];
        var windows = CustomerWindows.Days;
        var priorYear = 0;
        for (var i = days.Length - 1; i >= 0; i--)
        {
            var age = end - days[i];
            if (age >= 2 * 365)
            {
                break;
            }

            if (age >= 365)
            {
                priorYear++;
                continue;
            }

            for (var w = 0; w < windows.Count; w++)
            {
                if (age < windows[w])
                {
                    orders[w]++;
                    spend[w] += values[i];
                }
            }
        }

        return new CustomerSummary
        {
            CustomerId = id,
            FirstPurchase = DateOnly.FromDayNumber(first),
            LastPurchase = DateOnly.FromDayNumber(last),
            Orders = days.Length,
            TxDays = last - first,
            AgeDays = end - first,
            RecencyDays = end - last,
            GrossSpend = gross,
            ReturnsValue = returnsValue,
            ReturnLines = returnLines,
            MeanRepeatValue = repeatMean,
            GapStdDays = gapStd,
            Windows = new WindowCounts(orders[0], orders[1], orders[2], orders[3], spend[0], spend[1], spend[2], spend[3], priorYear),
        };
    }

    private static double GapStandardDeviation(ReadOnlySpan<int> days)
    {
        var gaps = days.Length - 1;
        if (gaps < 2)
        {
            return 0.0;
        }

        var mean = (double)(days[^1] - days[0]) / gaps;
        double squares = 0;
        for (var i = 1; i < days.Length; i++)
        {
            var d = days[i] - days[i - 1] - mean;
            squares += d * d;
        }

        return Math.Sqrt(squares / gaps);
    }

    private void Track(int day)
    {
        if (day < _minDay)
        {
            _minDay = day;
        }

        if (day > _maxDay)
        {
            _maxDay = day;
        }
    }

    private int Get(ReadOnlySpan<char> customerId)
    {
        ref var customer = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, customerId, out var exists);
        if (!exists)
        {
            customer = _customers.Count - 1;
        }

        return customer;
    }
}

/// <summary>The per-customer table and what it was built against.</summary>
/// <param name="AsOf">The exclusive end of the observation window.</param>
/// <param name="Customers">One row per customer with at least one purchase occasion, ordered by customer id (ordinal).</param>
/// <param name="CustomersWithoutPurchases">Customers whose accepted rows are all returns; they have no occasion and no row.</param>
public sealed record CustomerSummaryResult(DateOnly AsOf, IReadOnlyList<CustomerSummary> Customers, int CustomersWithoutPurchases);
