using CrmAnalytics.Core.Internals;
using CrmAnalytics.Core.Parallelism;

namespace CrmAnalytics.Core.Customers;

/// <summary>
/// Builds one <see cref="CustomerSummary"/> per customer in one pass over accepted transactions, in any order.
/// Parallel readers each fill a builder and <see cref="Merge"/> them.
/// </summary>
public sealed partial class CustomerSummaryBuilder
{
    private readonly CustomerIndex _customers = new();
    private readonly DayLedgers _purchases = new();
    private readonly DayLedgers _returns = new();
    private int _minDay = int.MaxValue;
    private int _maxDay = int.MinValue;
    private (string[] Ids, int[] Indexes) _sorted = ([], []);
    private (int Before, int Customers, int Entries, long[] Counts)? _repeatGaps;

    /// <summary>Customers seen so far, including those with only returns.</summary>
    public int CustomerCount => _customers.Count;

    /// <summary>The latest date of any accepted row (purchase or return), or null before the first.</summary>
    public DateOnly? LastDate => _maxDay == int.MinValue ? null : DateOnly.FromDayNumber(_maxDay);

    public DateOnly? FirstDate => _minDay == int.MaxValue ? null : DateOnly.FromDayNumber(_minDay);

    /// <summary>Adds a purchase line; lines on the same customer-day form one occasion.</summary>
    /// <param name="amount">A positive amount.</param>
    public void AddPurchase(ReadOnlySpan<char> customerId, DateOnly date, double amount) =>
        AddPurchase(Customer(customerId), date, amount);

    /// <summary>Adds a return or cancellation line: it reduces money but is not an occasion.</summary>
    /// <param name="amount">The line's amount; its magnitude is subtracted from the monetary total.</param>
    public void AddReturn(ReadOnlySpan<char> customerId, DateOnly date, double amount) =>
        AddReturn(Customer(customerId), date, amount);

    /// <summary>The customer's number, given on first sight (0, 1, 2, ...), for the <c>Add</c> overloads that take one.</summary>
    /// <remarks>
    /// Numbering and adding touch separate tables, so a reader may number customers on one thread while another adds
    /// the rows, as long as each side is used by one thread at a time and rows are added in input order. Public with the
    /// numbered <c>Add</c> overloads for the readers (IO project), which number a customer once per id instead of per row.
    /// </remarks>
    public int Customer(ReadOnlySpan<char> customerId) => _customers.GetOrAdd(customerId);

    /// <summary>
    /// Numbers the customer ids of a batch of rows, in order: <c>customers[i] = Customer(id i)</c>. Id i is
    /// <c>ids[ends[i - 1]..ends[i]]</c> (from 0 for the first).
    /// </summary>
    /// <remarks>
    /// The same numbers as <see cref="Customer"/> row by row, faster: at a million customers every lookup misses the
    /// cache, and the batch loads the slots of the ids <see cref="LookAhead"/> rows ahead while it numbers the current one.
    /// </remarks>
    public void NumberCustomers(ReadOnlySpan<char> ids, ReadOnlySpan<int> ends, Span<int> customers)
    {
        if (customers.Length != ends.Length)
        {
            throw new ArgumentException("One customer number per id.", nameof(customers));
        }

        for (var i = 0; i < ends.Length; i++)
        {
            if (i + LookAhead < ends.Length)
            {
                _customers.Prefetch(ids[ends[i + LookAhead - 1]..ends[i + LookAhead]]);
            }

            customers[i] = _customers.GetOrAdd(ids[(i == 0 ? 0 : ends[i - 1])..ends[i]]);
        }
    }

    /// <summary>
    /// Adds a batch of rows of numbered customers in order, as <see cref="AddReturn(int, DateOnly, double)"/> (where
    /// <paramref name="isReturn"/>) or <see cref="AddPurchase(int, DateOnly, double)"/> would one by one; the same sums.
    /// </summary>
    /// <remarks>
    /// Each row reads its customer's ledger and then the ledger's last day, two cache misses at a million customers: the
    /// batch loads the ledgers <see cref="LookAhead"/> rows ahead and their last days half as far ahead.
    /// </remarks>
    public void AddRows(ReadOnlySpan<bool> isReturn, ReadOnlySpan<int> customers, ReadOnlySpan<int> dayNumbers, ReadOnlySpan<double> amounts)
    {
        var n = customers.Length;
        if (isReturn.Length != n || dayNumbers.Length != n || amounts.Length != n)
        {
            throw new ArgumentException("The row columns differ in length.", nameof(customers));
        }

        for (var i = 0; i < n; i++)
        {
            if (i + LookAhead < n)
            {
                (isReturn[i + LookAhead] ? _returns : _purchases).Prefetch(customers[i + LookAhead], tail: false);
            }

            if (i + (LookAhead / 2) < n)
            {
                (isReturn[i + (LookAhead / 2)] ? _returns : _purchases).Prefetch(customers[i + (LookAhead / 2)], tail: true);
            }

            AddLine(customers[i], dayNumbers[i], amounts[i], isReturn[i]);
        }
    }

    /// <summary>How many rows ahead the batch methods prefetch: enough rows of work to cover a memory access.</summary>
    private const int LookAhead = 16;

    /// <summary>Adds a purchase line of a customer numbered by <see cref="Customer"/> (the readers' hot path).</summary>
    /// <param name="customer">A number from <see cref="Customer"/>.</param>
    public void AddPurchase(int customer, DateOnly date, double amount) => AddLine(customer, date.DayNumber, amount, isReturn: false);

    /// <summary>Adds a return line of a customer numbered by <see cref="Customer"/> (the readers' hot path).</summary>
    /// <param name="customer">A number from <see cref="Customer"/>.</param>
    public void AddReturn(int customer, DateOnly date, double amount) => AddLine(customer, date.DayNumber, amount, isReturn: true);

    /// <summary>One purchase or return line: a return is added as its magnitude, to the returns' ledger.</summary>
    private void AddLine(int customer, int day, double amount, bool isReturn)
    {
        Track(day);
        if (isReturn)
        {
            _returns.Add(customer, day, Math.Abs(amount));
        }
        else
        {
            _purchases.Add(customer, day, amount);
        }
    }

    /// <summary>
    /// Adds one customer-day that an engine already folded: the day's purchase and return totals with their line counts,
    /// as if its lines had been added one by one (<see cref="AddPurchase(int, DateOnly, double)"/>, <see cref="AddReturn(int, DateOnly, double)"/>).
    /// Public for the SQL engines (IO project), which fold the lines of a customer-day in the database.
    /// </summary>
    /// <param name="customer">A number from <see cref="Customer"/>.</param>
    /// <param name="returns">The sum of the return lines' magnitudes.</param>
    public void AddDay(int customer, DateOnly date, double purchases, int purchaseLines, double returns, int returnLines)
    {
        var day = date.DayNumber;
        Track(day);
        if (purchaseLines > 0)
        {
            _purchases.Add(customer, day, purchases, purchaseLines);
        }

        if (returnLines > 0)
        {
            _returns.Add(customer, day, returns, returnLines);
        }
    }

    public void Merge(CustomerSummaryBuilder other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var names = other._customers.Names();
        for (var theirs = 0; theirs < names.Length; theirs++)
        {
            var mine = _customers.GetOrAdd(names[theirs]);
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

    /// <summary>
    /// Frees the purchase and return days (about 24 bytes per customer and day; 0.2 GB for a 10M-line export) once the
    /// caller reads none of them again: <c>crm score</c> after the churn cut-offs are walked. Ids, dates and counts stay;
    /// every method that reads days throws afterwards instead of answering from none.
    /// </summary>
    public void ReleaseDays()
    {
        _purchases.Release();
        _returns.Release();
    }

    /// <summary>Whether <see cref="ReleaseDays"/> has run.</summary>
    public bool DaysReleased => _purchases.Released;

    /// <summary>The as-of date used when none is given: the day after the last accepted row.</summary>
    public DateOnly DefaultAsOf() =>
        LastDate?.AddDays(1) ?? throw new InvalidOperationException("No accepted rows: the as-of date cannot be derived.");

    /// <summary>
    /// Computes every customer's summary as of <paramref name="asOf"/>, the exclusive end of the window: purchases and
    /// returns on or after it are left out, and customers whose first purchase is on or after it have no row. One read
    /// can therefore be summarized at several cut-offs without leaking later data.
    /// </summary>
    /// <remarks>
    /// Customers are summarized in parallel over ranges of the sorted ids; each row depends only on its own customer, so
    /// the table is the same on any number of cores.
    /// </remarks>
    public CustomerSummaryResult Build(DateOnly asOf)
    {
        var end = asOf.DayNumber - 1;
        var (ids, indexes) = SortedIds();
        _purchases.NormalizeAll();
        _returns.NormalizeAll();
        // Faulted in first: filled straight from fresh memory, the summaries took 0.76–0.97 s instead of 0.39–0.45 s
        // with this pass (10M-line sample, 3 interleaved runs; see PageTouch).
        var rows = PageTouch.All(new CustomerSummary[ids.Length]);
        var present = new bool[ids.Length];
        var returnsOnly = 0;
        // The repeat gaps before the as-of date are counted on the way (RepeatGapHistogram), each range into its own
        // histogram; not over a history of centuries, where a histogram per range would be large.
        var gapDays = GapHistogramLength(asOf);
        var gaps = gapDays <= MaxBuildGapDays ? new long[Ranges.Count(ids.Length)][] : null;
        Ranges.For(ids.Length, (start, stop) =>
        {
            var scratch = new Occasions();
            var rangeReturnsOnly = 0;
            var local = gaps is null ? null : gaps[start / Ranges.Size] = new long[gapDays];
            for (var i = start; i < stop; i++)
            {
                var customer = indexes[i];
                var occasions = scratch.CopyThrough(_purchases, customer, end);
                if (occasions > 0)
                {
                    rows[i] = Summarize(ids[i], customer, occasions, end, scratch);
                    present[i] = true;
                    if (local is not null)
                    {
                        var days = scratch.Days;
                        for (var k = 1; k < occasions; k++)
                        {
                            local[days[k] - days[k - 1]]++;
                        }
                    }
                }
                else if (_returns.CountThrough(customer, end) > 0)
                {
                    rangeReturnsOnly++;
                }
            }

            Interlocked.Add(ref returnsOnly, rangeReturnsOnly);
        });

        // The rows of the customers without a purchase are dropped in place: the table is the rows' array, not a copy of
        // it (at 1.35M customers 173 MB).
        var count = 0;
        var positions = new int[ids.Length - returnsOnly];
        for (var i = 0; i < rows.Length; i++)
        {
            if (present[i])
            {
                rows[count] = rows[i];
                positions[count++] = indexes[i];
            }
        }

        Array.Clear(rows, count, rows.Length - count);
        IReadOnlyList<CustomerSummary> result = count == rows.Length ? rows : new ArraySegment<CustomerSummary>(rows, 0, count);

        _repeatGaps = gaps is null ? null : (asOf.DayNumber, _customers.Count, _purchases.EntryCount, Sum(gaps, gapDays));
        // Reading is over when a summary is asked for: the ids' lookup table (50 MB at 1.35M customers) is freed until
        // the next id is added or looked up.
        _customers.Compact();
        return new CustomerSummaryResult(asOf, result, returnsOnly) { Positions = count == positions.Length ? positions : positions[..count], Source = this };
    }

    /// <summary>
    /// Purchase occasions in [<paramref name="from"/>, <paramref name="to"/>) of the rows <paramref name="rows"/> (all
    /// when null) of a summary this builder made, found by customer position: the same counts as
    /// <see cref="CountOccasions(IReadOnlyList{CustomerSummary}, DateOnly, DateOnly)"/> without an id lookup per customer.
    /// </summary>
    internal int[] CountOccasions(CustomerSummaryResult summary, IReadOnlyList<int>? rows, DateOnly from, DateOnly to)
    {
        if (!ReferenceEquals(summary.Source, this) || summary.Positions is not { } positions || positions.Length != summary.Customers.Count)
        {
            throw new ArgumentException("The summary was not built by this builder.", nameof(summary));
        }

        _purchases.NormalizeAll();
        var (first, end) = (from.DayNumber, to.DayNumber);
        var counts = new int[rows?.Count ?? positions.Length];
        Ranges.For(counts.Length, (start, stop) =>
        {
            for (var k = start; k < stop; k++)
            {
                counts[k] = _purchases.CountIn(positions[rows is null ? k : rows[k]], first, end);
            }
        });

        return counts;
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
            if (_customers.TryGet(customers[i].CustomerId, out var customer))
            {
                Normalize(customer);
                counts[i] = _purchases.CountThrough(customer, to.DayNumber - 1) - _purchases.CountThrough(customer, from.DayNumber - 1);
            }
        }

        return counts;
    }

    /// <summary>
    /// Every customer's number in id order (ordinal), the order of <see cref="Build"/>'s rows, and the sorted purchase
    /// days: for passes over the days that need no summary per customer (the CLV holdout split).
    /// </summary>
    internal (int[] Indexes, DayLedgers Purchases) PurchasesById()
    {
        _purchases.NormalizeAll();
        return (SortedIds().Indexes, _purchases);
    }

    /// <summary>
    /// Repeat occasions (every occasion after a customer's first) per day in [<paramref name="from"/>, <paramref name="to"/>),
    /// over customers whose first purchase is before <paramref name="cohortEnd"/>: the actual series of a tracking plot.
    /// </summary>
    public int[] RepeatOccasionsPerDay(DateOnly from, DateOnly to, DateOnly cohortEnd)
    {
        var days = Math.Max(0, to.DayNumber - from.DayNumber);
        var counts = new int[days];
        for (var customer = 0; customer < _customers.Count; customer++)
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

    /// <summary>
    /// Days between consecutive purchase occasions of the same customer, both before <paramref name="before"/>, as a
    /// histogram: element d counts the gaps of d days. The churn horizon rule reads it.
    /// </summary>
    /// <remarks>Free at the as-of date of the last <see cref="Build"/>, which counts them on its way (unless rows were added since).</remarks>
    public long[] RepeatGapHistogram(DateOnly before)
    {
        _purchases.NormalizeAll();
        if (_repeatGaps is { } built && built.Before == before.DayNumber && built.Customers == _customers.Count && built.Entries == _purchases.EntryCount)
        {
            return (long[])built.Counts.Clone();
        }

        var length = GapHistogramLength(before);
        // Each range counts into its own histogram; they are added up in range order.
        var partial = new long[Ranges.Count(_customers.Count)][];
        Ranges.For(_customers.Count, (start, stop) =>
        {
            var local = new long[length];
            for (var customer = start; customer < stop; customer++)
            {
                var previous = int.MinValue;
                foreach (ref readonly var purchase in _purchases.Entries(customer))
                {
                    if (purchase.Day >= before.DayNumber)
                    {
                        break;
                    }

                    if (previous != int.MinValue)
                    {
                        local[purchase.Day - previous]++;
                    }

                    previous = purchase.Day;
                }
            }

            partial[start / Ranges.Size] = local;
        });

        return Sum(partial, length);
    }

    /// <summary>The longest history (about 270 years) whose repeat gaps <see cref="Build"/> counts on its way.</summary>
    private const int MaxBuildGapDays = 100_000;

    /// <summary>Gaps of 0 … (before − first day − 1) days: no gap between days before <paramref name="before"/> is longer.</summary>
    private int GapHistogramLength(DateOnly before) => Math.Max(1, before.DayNumber - Math.Min(_minDay, before.DayNumber));

    private static long[] Sum(long[][] partial, int length)
    {
        var counts = new long[length];
        foreach (var local in partial)
        {
            for (var d = 0; d < counts.Length; d++)
            {
                counts[d] += local[d];
            }
        }

        return counts;
    }

    /// <summary>Ids in ordinal order with their indexes; kept for the next cut-off until a customer is added.</summary>
    private (string[] Ids, int[] Indexes) SortedIds()
    {
        if (_sorted.Ids.Length == _customers.Count)
        {
            return _sorted;
        }

        _sorted = _customers.SortedByOrdinal();
        return _sorted;
    }

    private void Normalize(int customer)
    {
        _purchases.Normalize(customer);
        _returns.Normalize(customer);
    }

    private CustomerSummary Summarize(string id, int customer, int occasions, int end, Occasions scratch)
    {
        ReadOnlySpan<int> days = scratch.Days.AsSpan(0, occasions);
        ReadOnlySpan<double> values = scratch.Values.AsSpan(0, occasions);
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
            Windows = TrailingWindows(days, values, end),
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

    /// <summary>One worker's copy of a customer's purchase days and values, reused across customers.</summary>
    private sealed class Occasions
    {
        public int[] Days { get; private set; } = new int[64];

        public double[] Values { get; private set; } = new double[64];

        /// <summary>Copies the customer's occasions on or before <paramref name="end"/> in one walk; returns their count.</summary>
        public int CopyThrough(DayLedgers purchases, int customer, int end)
        {
            var n = 0;
            foreach (ref readonly var purchase in purchases.Entries(customer))
            {
                if (purchase.Day > end)
                {
                    break;
                }

                if (n == Days.Length)
                {
                    Days = [.. Days, .. new int[n]];
                    Values = [.. Values, .. new double[n]];
                }

                Days[n] = purchase.Day;
                Values[n] = purchase.Value;
                n++;
            }

            return n;
        }
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
}

/// <summary>The per-customer table and what it was built against.</summary>
/// <param name="AsOf">The exclusive end of the observation window.</param>
/// <param name="Customers">One row per customer with at least one purchase occasion, ordered by customer id (ordinal).</param>
/// <param name="CustomersWithoutPurchases">Customers whose accepted rows are all returns; they have no occasion and no row.</param>
public sealed record CustomerSummaryResult(DateOnly AsOf, IReadOnlyList<CustomerSummary> Customers, int CustomersWithoutPurchases)
{
    /// <summary>The builder's customer number of each row, aligned with <see cref="Customers"/>; null when not built by one.</summary>
    internal int[]? Positions { get; init; }

    /// <summary>The builder that made the rows (whose numbers <see cref="Positions"/> are).</summary>
    internal CustomerSummaryBuilder? Source { get; init; }
}
