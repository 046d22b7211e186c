using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>
/// Distinct (x, z̄) pairs of repeat transactions and their mean value, with the number of customers showing each: the
/// input of the Gamma-Gamma spend model. Likelihoods are sums over patterns weighted by count, as in
/// <see cref="RepeatPatterns"/>.
/// </summary>
/// <remarks>
/// Only customers the model describes are kept (<see cref="IsModelled"/>): at least one repeat transaction and a
/// positive, finite mean value. Fader, Hardie &amp; Lee (2005, "RFM and CLV") and lifetimes fit on repeat buyers only;
/// a mean of zero or below (returns exceeding purchases) has no density under the Gamma model. The others are counted
/// in <see cref="Excluded"/> and are valued at the population mean by the scorer.
/// </remarks>
public sealed class SpendPatterns
{
    private SpendPatterns(double[] x, double[] meanValue, double[] weight, int excluded)
    {
        X = x;
        MeanValue = meanValue;
        Weight = weight;
        Excluded = excluded;
        var customers = 0.0;
        foreach (var w in weight)
        {
            customers += w;
        }

        Customers = customers;
    }

    /// <summary>Repeat transactions x (≥ 1 here).</summary>
    public double[] X { get; }

    /// <summary>Mean value z̄ of the x repeat transactions, in the input currency (&gt; 0 here).</summary>
    public double[] MeanValue { get; }

    /// <summary>Customers per pattern.</summary>
    public double[] Weight { get; }

    /// <summary>Distinct patterns.</summary>
    public int Count => X.Length;

    /// <summary>Customers kept (Σ <see cref="Weight"/>).</summary>
    public double Customers { get; }

    /// <summary>Input customers left out: no repeat transaction (x = 0), or a mean value that is ≤ 0 or not finite.</summary>
    public int Excluded { get; }

    /// <summary>
    /// True when Gamma-Gamma describes a customer with <paramref name="x"/> repeat transactions of mean
    /// <paramref name="meanValue"/>: x &gt; 0 and 0 &lt; z̄, with x, z̄ and x·z̄ finite.
    /// </summary>
    public static bool IsModelled(double x, double meanValue) =>
        x > 0 && double.IsFinite(x) && meanValue > 0 && double.IsFinite(meanValue) && double.IsFinite(x * meanValue);

    /// <summary>Groups the modelled rows by exact (x, z̄); order of first appearance is kept.</summary>
    /// <exception cref="ArgumentException">A row has a negative or non-finite x.</exception>
    public static SpendPatterns From(IEnumerable<(double X, double MeanValue)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new Builder(rows.TryGetNonEnumeratedCount(out var count) ? count : 0);
        foreach (var (x, meanValue) in rows)
        {
            builder.Add(x, meanValue, nameof(rows));
        }

        return builder.Build();
    }

    /// <summary>The patterns of customer summaries: x = <see cref="CustomerSummary.Frequency"/>, z̄ = <see cref="CustomerSummary.MeanRepeatValue"/>.</summary>
    public static SpendPatterns From(IEnumerable<CustomerSummary> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var builder = new Builder(customers.TryGetNonEnumeratedCount(out var count) ? count : 0);
        foreach (var customer in customers)
        {
            builder.Add(customer.Frequency, customer.MeanRepeatValue, nameof(customers));
        }

        return builder.Build();
    }

    /// <summary>
    /// Groups exact (x, z̄) pairs with an open-addressing (linear probing) table of pattern indices at load ≤ 1/2.
    /// Continuous spend makes nearly every customer a new pattern, so memory is the cost: against a
    /// <see cref="Dictionary{TKey, TValue}"/> of value tuples (buckets plus 24-byte entries holding a second copy of the
    /// keys) this adds 8 bytes or less per pattern to the output arrays, and fresh memory is slow to touch.
    /// </summary>
    private sealed class Builder
    {
        private double[] _x;
        private double[] _mean;
        private double[] _weight;
        private int[] _table;
        private int _count;
        private int _excluded;

        public Builder(int capacity)
        {
            capacity = Math.Max(capacity, 16);
            _x = new double[capacity];
            _mean = new double[capacity];
            _weight = new double[capacity];
            _table = new int[TableSize(capacity)];
        }

        public void Add(double x, double meanValue, string parameterName)
        {
            if (!(x >= 0) || !double.IsFinite(x))
            {
                throw new ArgumentException($"Invalid repeat frequency x = {x}: need a finite x ≥ 0.", parameterName);
            }

            if (!IsModelled(x, meanValue))
            {
                _excluded++;
                return;
            }

            var mask = _table.Length - 1;
            var slot = (int)(Hash(x, meanValue) & (uint)mask);
            while (true)
            {
                var i = _table[slot] - 1;
                if (i < 0)
                {
                    break;
                }

                if (_x[i] == x && _mean[i] == meanValue)
                {
                    _weight[i]++;
                    return;
                }

                slot = (slot + 1) & mask;
            }

            if (_count == _x.Length)
            {
                Grow();
                Add(x, meanValue, parameterName);
                return;
            }

            _x[_count] = x;
            _mean[_count] = meanValue;
            _weight[_count] = 1;
            _count++;
            _table[slot] = _count;
        }

        public SpendPatterns Build()
        {
            if (_count < _x.Length)
            {
                Array.Resize(ref _x, _count);
                Array.Resize(ref _mean, _count);
                Array.Resize(ref _weight, _count);
            }

            return new SpendPatterns(_x, _mean, _weight, _excluded);
        }

        private static int TableSize(int capacity) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity * 2);

        /// <summary>Doubles the storage and rebuilds the table for it.</summary>
        private void Grow()
        {
            var capacity = checked(_x.Length * 2);
            Array.Resize(ref _x, capacity);
            Array.Resize(ref _mean, capacity);
            Array.Resize(ref _weight, capacity);
            _table = new int[TableSize(capacity)];
            var mask = _table.Length - 1;
            for (var i = 0; i < _count; i++)
            {
                var slot = (int)(Hash(_x[i], _mean[i]) & (uint)mask);
                while (_table[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _table[slot] = i + 1;
            }
        }

        /// <summary>
        /// A 32-bit mix of the two values' bits (SplitMix64's finalizer). Modelled pairs are positive and finite, so
        /// equal bits are equal values (no −0 or NaN).
        /// </summary>
        private static uint Hash(double x, double meanValue)
        {
            var h = ((ulong)BitConverter.DoubleToInt64Bits(x) * 0x9E3779B97F4A7C15UL)
                ^ ulong.RotateLeft((ulong)BitConverter.DoubleToInt64Bits(meanValue) * 0xC2B2AE3D27D4EB4FUL, 31);
            h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
            h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
            return (uint)(h ^ (h >> 31));
        }
    }
}
