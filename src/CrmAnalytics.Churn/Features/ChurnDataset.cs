using System.Collections;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Churn.Features;

/// <summary>
/// Feature rows at one cut-off (row-major, <see cref="Width"/> floats per customer), aligned with
/// <see cref="Customers"/>, with churn labels when the period after the cut-off is observed.
/// </summary>
/// <remarks>
/// The customers are held as values with an index into a shared id table (<see cref="CustomerAtCutoff"/>), not as a
/// <see cref="CustomerSummary"/> object each; <see cref="Customers"/> makes a summary when one is read.
/// </remarks>
public sealed class ChurnDataset
{
    private const int SubsetRangeSize = 1 << 14;

    internal ChurnDataset(ChurnFeatureSchema schema, DateOnly cutoff, string[] ids, CustomerAtCutoff[] rows, float[] values, bool[]? labels, double[]? probabilityAlive)
    {
        Schema = schema;
        Cutoff = cutoff;
        Ids = ids;
        Rows = rows;
        Values = values;
        Labels = labels;
        ProbabilityAlive = probabilityAlive;
        Customers = new SummaryView(ids, rows, cutoff.DayNumber - 1);
    }

    public ChurnFeatureSchema Schema { get; }

    /// <summary>The exclusive end of the data the features see.</summary>
    public DateOnly Cutoff { get; }

    /// <summary>Customers with a purchase before the cut-off, ordered by id.</summary>
    public IReadOnlyList<CustomerSummary> Customers { get; }

    public float[] Values { get; }

    /// <summary>Churned at the cut-off (no purchase in the horizon after it); null when not labelled.</summary>
    public bool[]? Labels { get; }

    /// <summary>P(alive) at the cut-off from the purchase model, when fitted: the BG/NBD baseline.</summary>
    public double[]? ProbabilityAlive { get; }

    public int Count => Rows.Length;

    public int Width => Schema.Count;

    /// <summary>The id table of <see cref="Rows"/>.</summary>
    internal string[] Ids { get; }

    /// <summary>The customers' summaries at the cut-off, aligned with <see cref="Values"/>.</summary>
    internal CustomerAtCutoff[] Rows { get; }

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Width, Width);

    public int Churned => Labels?.Count(l => l) ?? 0;

    /// <summary>The rows of the customers active at the cut-off (<see cref="Core.Churn.ChurnActiveBase"/>): this dataset itself when all are.</summary>
    public ChurnDataset ActiveBase(int activeDays)
    {
        var active = ChurnFeatureBuilder.ActiveRows(Rows.Length, i => Rows[i].RecencyDays, activeDays);
        // When everyone is active the rows are this dataset's: no copy (at 1.35M customers a copy was 0.2 GB).
        return active.Length == Count ? this : Subset(active);
    }

    internal ChurnDataset Subset(IReadOnlyList<int> rows)
    {
        var values = new float[rows.Count * Width];
        var kept = new CustomerAtCutoff[rows.Count];
        var labels = Labels is null ? null : new bool[rows.Count];
        var alive = ProbabilityAlive is null ? null : new double[rows.Count];
        // Rows are copied in ranges on all cores: at a million customers this was a one-core step of half a second.
        Parallel.For(0, (rows.Count + SubsetRangeSize - 1) / SubsetRangeSize, range =>
        {
            for (var k = range * SubsetRangeSize; k < Math.Min(rows.Count, (range + 1) * SubsetRangeSize); k++)
            {
                var i = rows[k];
                Row(i).CopyTo(values.AsSpan(k * Width, Width));
                kept[k] = Rows[i];
                labels?[k] = Labels![i];
                alive?[k] = ProbabilityAlive![i];
            }
        });

        return new ChurnDataset(Schema, Cutoff, Ids, kept, values, labels, alive);
    }


    /// <summary>The rows as summaries, each made when it is read and not kept.</summary>
    internal sealed class SummaryView(string[] ids, CustomerAtCutoff[] rows, int end) : IReadOnlyList<CustomerSummary>
    {
        public CustomerSummary this[int index] => rows[index].ToSummary(ids[rows[index].Id], end);

        public int Count => rows.Length;

        public IEnumerator<CustomerSummary> GetEnumerator()
        {
            for (var i = 0; i < rows.Length; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
