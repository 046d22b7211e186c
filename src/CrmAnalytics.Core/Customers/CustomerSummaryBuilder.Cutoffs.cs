using System.Runtime.InteropServices;
using CrmAnalytics.Core.Parallelism;

namespace CrmAnalytics.Core.Customers;

/// <summary>What one cut-off of <see cref="CustomerSummaryBuilder.Cutoffs"/> keeps. Public for the churn features (Churn project).</summary>
/// <param name="Cutoff">The exclusive end of the data, as the as-of date of <see cref="CustomerSummaryBuilder.Build"/>.</param>
/// <param name="ActiveDays">Full rows only for the customers with an occasion in the N days before the cut-off; null for all.</param>
/// <param name="LabelHorizonDays">Counts each kept customer's occasions in [cut-off, cut-off + H); null for none.</param>
/// <param name="Sample">
/// Given the label of every kept customer (true = no occasion in the label horizon), the ascending indexes of the ones
/// whose full rows are built; null from it builds them all. For a classifier that learns from a sample: the other
/// rows are never built (at 1.35M customers, 1.1M rows of 120 bytes at the training cut-off). Needs a label horizon.
/// </param>
public readonly record struct CutoffRequest(DateOnly Cutoff, int? ActiveDays = null, int? LabelHorizonDays = null, Func<bool[], int[]?>? Sample = null);

/// <summary>
/// The RFM keys and the BTYD pattern of one customer at a cut-off: what the whole base is ranked and fitted on. Public
/// because <see cref="CutoffCustomers"/> carries it to the churn features (Churn project).
/// </summary>
public readonly record struct CustomerKeys(int Orders, int TxDays, int AgeDays, int RecencyDays, double MonetaryTotal)
{
    public int Frequency => Orders - 1;

    /// <summary>As <see cref="CustomerSummary.MeanGapDays"/>: t_x over the repeat occasions, 0 for a one-time buyer.</summary>
    public double MeanGapDays => Orders > 1 ? (double)TxDays / (Orders - 1) : 0.0;
}

/// <summary>
/// One customer's summary at a cut-off as a value: the fields of <see cref="CustomerSummary"/>, computed the same way,
/// with the id as an index into a shared id table instead of a string and an object per customer and cut-off. Public
/// because the churn features (Churn project) are computed from it.
/// </summary>
/// <param name="Id">The index of the customer's id in the table the rows come with.</param>
/// <param name="FutureOccasions">Occasions in [cut-off, cut-off + H) when a label horizon was asked for; else 0.</param>
[StructLayout(LayoutKind.Auto)] // lets the runtime pack the doubles first: 120 bytes instead of 192 in declaration order
public readonly record struct CustomerAtCutoff(
    int Id, int Orders, int TxDays, int AgeDays, int RecencyDays, double GrossSpend, double ReturnsValue, int ReturnLines,
    double MeanRepeatValue, double GapStdDays, WindowCounts Windows, int FutureOccasions = 0)
{
    public int Frequency => Orders - 1;

    public double MonetaryTotal => GrossSpend - ReturnsValue;

    public double AverageOrderValue => GrossSpend / Orders;

    public double MeanGapDays => Keys.MeanGapDays;

    /// <summary>The customer's RFM keys and BTYD pattern, as the walk keeps them for every customer.</summary>
    public CustomerKeys Keys => new(Orders, TxDays, AgeDays, RecencyDays, MonetaryTotal);

    public static CustomerAtCutoff Of(CustomerSummary c, int id) => new(
        id, c.Orders, c.TxDays, c.AgeDays, c.RecencyDays, c.GrossSpend, c.ReturnsValue, c.ReturnLines, c.MeanRepeatValue, c.GapStdDays, c.Windows);

    /// <param name="end">The last observed day of the cut-off (cut-off − 1), to which ages are measured.</param>
    public CustomerSummary ToSummary(string id, int end) => new()
    {
        CustomerId = id,
        FirstPurchase = DateOnly.FromDayNumber(end - AgeDays),
        LastPurchase = DateOnly.FromDayNumber(end - RecencyDays),
        Orders = Orders,
        TxDays = TxDays,
        AgeDays = AgeDays,
        RecencyDays = RecencyDays,
        GrossSpend = GrossSpend,
        ReturnsValue = ReturnsValue,
        ReturnLines = ReturnLines,
        MeanRepeatValue = MeanRepeatValue,
        GapStdDays = GapStdDays,
        Windows = Windows,
    };
}

/// <summary>
/// The customers at one cut-off, in columns: every customer's keys, and full rows for the kept ones. Public as the result
/// of <see cref="CustomerSummaryBuilder.Cutoffs"/>, the churn features' (Churn project) view of the base at each cut-off.
/// </summary>
/// <param name="Ids">The id table of <see cref="CustomerAtCutoff.Id"/>, in ordinal order (shared by every cut-off of a walk).</param>
/// <param name="AllKeys">
/// The keys of every customer with an occasion before the cut-off (<see cref="Count"/>, <see cref="Key"/>), ordered by id
/// like the rows of <see cref="CustomerSummaryBuilder.Build"/>; null when the request keeps every customer
/// (<see cref="KeepsEveryone"/>), whose keys are then those of <paramref name="Kept"/> (at 1.35M customers 32 MB not held twice).
/// </param>
/// <param name="Rows">The indexes of the kept customers among every customer, ascending.</param>
/// <param name="Kept">The kept customers' rows, aligned with <paramref name="Rows"/>: only the sample's when the request drew one.</param>
public sealed record CutoffCustomers(CutoffRequest Request, string[] Ids, CustomerKeys[]? AllKeys, int[] Rows, CustomerAtCutoff[] Kept)
{
    public DateOnly Cutoff => Request.Cutoff;

    /// <summary>Every customer is kept, none sampled: <see cref="Kept"/> holds them all, in order.</summary>
    public bool KeepsEveryone => AllKeys is null;

    /// <summary>The number of customers with an occasion before the cut-off.</summary>
    public int Count => AllKeys?.Length ?? Kept.Length;

    /// <summary>Customer <paramref name="i"/>'s keys, of every customer (0 … <see cref="Count"/> − 1).</summary>
    public CustomerKeys Key(int i) => AllKeys is { } keys ? keys[i] : Kept[i].Keys;

    /// <summary>
    /// When the request drew a sample (<see cref="CutoffRequest.Sample"/>): the label of every kept customer, which it
    /// was drawn from. Null otherwise.
    /// </summary>
    public bool[]? SampledFrom { get; init; }
}

public sealed partial class CustomerSummaryBuilder
{
    /// <summary>
    /// The customers at several cut-offs from one walk over each customer's purchase and return days: the same values as
    /// <see cref="Build"/> at each cut-off (the sums run over the same days in the same order, so they are bit-identical),
    /// without a <see cref="CustomerSummary"/> per customer and cut-off.
    /// </summary>
    /// <param name="requests">Cut-offs in ascending order.</param>
    /// <remarks>Public for the churn features (Churn project), which label and describe the base at several cut-offs.</remarks>
    public CutoffCustomers[] Cutoffs(IReadOnlyList<CutoffRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        for (var c = 1; c < requests.Count; c++)
        {
            if (requests[c].Cutoff < requests[c - 1].Cutoff)
            {
                throw new ArgumentException("The cut-offs must be in ascending order.", nameof(requests));
            }
        }

        var (ids, indexes) = SortedIds();
        _purchases.NormalizeAll();
        _returns.NormalizeAll();
        var lastDay = requests.Count == 0 ? int.MinValue : requests.Max(r => r.Cutoff.DayNumber - 1 + (r.LabelHorizonDays ?? 0));
        var ranges = Ranges.Count(ids.Length);
        // A sampled cut-off's labels are read in the counting walk: 0 = not kept, 1 = kept and bought again, 2 = kept and churned.
        var labelStates = new byte[requests.Count][];
        for (var c = 0; c < requests.Count; c++)
        {
            if (requests[c].Sample is not null)
            {
                labelStates[c] = requests[c].LabelHorizonDays is null
                    ? throw new ArgumentException("A cut-off that draws a sample needs a label horizon.", nameof(requests))
                    : new byte[ids.Length];
            }
        }

        // Two walks: the first counts each range's customers per cut-off, so that the second writes every row straight
        // into arrays of the exact size. Growing lists per range and copying them out cost more than the counting walk,
        // mostly in full garbage collections over the run's live customer table (each list doubling is a large object).
        var counts = new (int All, int Kept)[ranges, requests.Count];
        Ranges.For(ids.Length, (start, end) =>
        {
            for (var i = start; i < end; i++)
            {
                CountCustomer(_purchases, indexes[i], i, requests, start / Ranges.Size, counts, labelStates);
            }
        });

        var result = new CutoffCustomers[requests.Count];
        var starts = new (int All, int Kept, int Built)[ranges, requests.Count];
        var sampled = new bool[]?[requests.Count];
        for (var c = 0; c < result.Length; c++)
        {
            var (all, kept) = (0, 0);
            for (var range = 0; range < ranges; range++)
            {
                starts[range, c] = (all, kept, kept);
                (all, kept) = (all + counts[range, c].All, kept + counts[range, c].Kept);
            }

            var (built, labels) = (kept, (bool[]?)null);
            if (labelStates[c] is { } states)
            {
                labels = new bool[kept];
                var k = 0;
                foreach (var state in states)
                {
                    if (state != 0)
                    {
                        labels[k++] = state == 2;
                    }
                }

                if (requests[c].Sample!(labels) is { } sample)
                {
                    (sampled[c], built) = (new bool[kept], sample.Length);
                    foreach (var row in sample)
                    {
                        sampled[c]![row] = true;
                    }

                    // Each range's sampled rows start after the sampled rows of the ranges before it.
                    var before = 0;
                    for (var range = 0; range < ranges; range++)
                    {
                        starts[range, c].Built = before;
                        for (var row = starts[range, c].Kept; row < starts[range, c].Kept + counts[range, c].Kept; row++)
                        {
                            before += sampled[c]![row] ? 1 : 0;
                        }
                    }
                }
            }

            // A cut-off that keeps everyone unsampled has every customer's keys in its rows.
            var everyone = requests[c].ActiveDays is null && sampled[c] is null;
            result[c] = new CutoffCustomers(requests[c], ids, everyone ? null : new CustomerKeys[all], new int[built], new CustomerAtCutoff[built]) { SampledFrom = labels };
        }

        Ranges.For(ids.Length, (start, end) =>
        {
            var walk = new CutoffWalk(result, start / Ranges.Size, starts, sampled);
            for (var i = start; i < end; i++)
            {
                walk.Customer(i, _purchases, _returns, indexes[i], lastDay);
            }
        });

        return result;
    }

    /// <summary>
    /// Counts one customer in each cut-off it has a purchase before, and in its kept rows when active there; for a
    /// cut-off that draws a sample, records whether the kept customer churned (<paramref name="labelStates"/>, at <paramref name="id"/>).
    /// </summary>
    private static void CountCustomer(DayLedgers purchases, int customer, int id, IReadOnlyList<CutoffRequest> requests, int range, (int All, int Kept)[,] counts, byte[]?[] labelStates)
    {
        int? first = null;
        var last = 0;
        var c = 0;
        foreach (ref readonly var day in purchases.Entries(customer))
        {
            for (; c < requests.Count && day.Day > requests[c].Cutoff.DayNumber - 1; c++)
            {
                Count(c);
            }

            if (c == requests.Count)
            {
                return;
            }

            first ??= day.Day;
            last = day.Day;
        }

        for (; c < requests.Count; c++)
        {
            Count(c);
        }

        void Count(int k)
        {
            if (first is null)
            {
                return;
            }

            ref var count = ref counts[range, k];
            count.All++;
            if (requests[k].ActiveDays is not { } active || requests[k].Cutoff.DayNumber - 1 - last < active)
            {
                count.Kept++;
                if (labelStates[k] is { } states)
                {
                    var cutoff = requests[k].Cutoff.DayNumber;
                    states[id] = (byte)(purchases.CountIn(customer, cutoff, cutoff + requests[k].LabelHorizonDays!.Value) > 0 ? 1 : 2);
                }
            }
        }
    }

    /// <summary>One worker's walk over one range of ids: copies a customer's days once, then reads every cut-off off the copy.</summary>
    private sealed class CutoffWalk
    {
        private readonly DayCopy _purchaseCopy = new();
        private readonly DayCopy _returnCopy = new();
        private readonly CutoffCustomers[] _cutoffs;
        private readonly bool[]?[] _sampled;
        private readonly (int All, int Kept, int Built)[] _next;

        /// <param name="starts">Where each range's customers start among each cut-off's customers, kept ones and built rows.</param>
        /// <param name="sampled">For a cut-off that drew a sample, whether each kept customer is in it; null builds every kept row.</param>
        public CutoffWalk(CutoffCustomers[] cutoffs, int range, (int All, int Kept, int Built)[,] starts, bool[]?[] sampled)
        {
            (_cutoffs, _sampled) = (cutoffs, sampled);
            _next = new (int, int, int)[cutoffs.Length];
            for (var c = 0; c < cutoffs.Length; c++)
            {
                _next[c] = starts[range, c];
            }
        }

        public void Customer(int id, DayLedgers purchases, DayLedgers returns, int customer, int lastDay)
        {
            var n = _purchaseCopy.CopyThrough(purchases, customer, lastDay);
            var r = _returnCopy.CopyThrough(returns, customer, lastDay);
            var (days, values) = (_purchaseCopy.Days, _purchaseCopy.Values);
            var (returnDays, returnValues, returnRows) = (_returnCopy.Days, _returnCopy.Values, _returnCopy.Rows);
            var occasions = 0;
            var returnCount = 0;
            double gross = 0;
            double returnsValue = 0;
            var returnLines = 0;
            for (var c = 0; c < _cutoffs.Length; c++)
            {
                var at = _cutoffs[c];
                var request = at.Request;
                var end = request.Cutoff.DayNumber - 1;
                for (; occasions < n && days[occasions] <= end; occasions++)
                {
                    gross += values[occasions];
                }

                for (; returnCount < r && returnDays[returnCount] <= end; returnCount++)
                {
                    returnsValue += returnValues[returnCount];
                    returnLines += returnRows[returnCount];
                }

                if (occasions == 0)
                {
                    continue;
                }

                var seen = days.AsSpan(0, occasions);
                ref var next = ref _next[c];
                var keys = new CustomerKeys(occasions, seen[^1] - seen[0], end - seen[0], end - seen[^1], gross - returnsValue);
                if ((request.ActiveDays is not { } active || keys.RecencyDays < active) && (_sampled[c] is not { } sample || sample[next.Kept++]))
                {
                    var future = 0;
                    if (request.LabelHorizonDays is { } horizon)
                    {
                        var stop = end + 1 + horizon;
                        for (var k = occasions; k < n && days[k] < stop; k++)
                        {
                            future++;
                        }
                    }

                    at.Rows[next.Built] = next.All;
                    at.Kept[next.Built++] = new CustomerAtCutoff(
                        id, keys.Orders, keys.TxDays, keys.AgeDays, keys.RecencyDays, gross, returnsValue, returnLines,
                        occasions > 1 ? (gross - values[0]) / (occasions - 1) : 0.0,
                        GapStandardDeviation(seen),
                        TrailingWindows(seen, values.AsSpan(0, occasions), end),
                        future);
                }

                at.AllKeys?[next.All] = keys;
                next.All++;
            }
        }
    }

    /// <summary>A worker's copy of one customer's days (day, value, rows), reused across customers.</summary>
    private sealed class DayCopy
    {
        public int[] Days { get; private set; } = new int[64];

        public double[] Values { get; private set; } = new double[64];

        public int[] Rows { get; private set; } = new int[64];

        /// <summary>Copies the customer's days on or before <paramref name="lastDay"/>; returns their count.</summary>
        public int CopyThrough(DayLedgers ledgers, int customer, int lastDay)
        {
            var n = 0;
            foreach (ref readonly var day in ledgers.Entries(customer))
            {
                if (day.Day > lastDay)
                {
                    break;
                }

                if (n == Days.Length)
                {
                    (Days, Values, Rows) = ([.. Days, .. new int[n]], [.. Values, .. new double[n]], [.. Rows, .. new int[n]]);
                }

                (Days[n], Values[n], Rows[n]) = (day.Day, day.Value, day.Rows);
                n++;
            }

            return n;
        }
    }

    /// <summary>Occasions and spend in the trailing windows ending at <paramref name="end"/>, summed newest first as <see cref="Build"/> sums them.</summary>
    private static WindowCounts TrailingWindows(ReadOnlySpan<int> days, ReadOnlySpan<double> values, int end)
    {
        Span<int> orders = stackalloc int[4];
        Span<double> spend = stackalloc double[4];
        var windows = CustomerWindows.Days;
        var priorYear = 0;
        for (var i = days.Length - 1; i >= 0; i--)
        {
            var age = end - days[i];
            if (age >= CustomerWindows.PriorYearEndDays)
            {
                break;
            }

            if (age >= CustomerWindows.Days365)
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

        return new WindowCounts(orders[0], orders[1], orders[2], orders[3], spend[0], spend[1], spend[2], spend[3], priorYear);
    }
}
