using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Churn.Features;

/// <summary>
/// Feature rows at one cut-off (row-major, <see cref="Width"/> floats per customer), aligned with
/// <see cref="Customers"/>, with churn labels when the period after the cut-off is observed.
/// </summary>
public sealed class ChurnDataset
{
    internal ChurnDataset(ChurnFeatureSchema schema, DateOnly cutoff, IReadOnlyList<CustomerSummary> customers, float[] values, bool[]? labels, double[]? probabilityAlive)
    {
        Schema = schema;
        Cutoff = cutoff;
        Customers = customers;
        Values = values;
        Labels = labels;
        ProbabilityAlive = probabilityAlive;
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

    public int Count => Customers.Count;

    public int Width => Schema.Count;

    public ReadOnlySpan<float> Row(int i) => Values.AsSpan(i * Width, Width);

    public int Churned => Labels?.Count(l => l) ?? 0;

    /// <summary>The rows of the customers active at the cut-off (<see cref="ChurnActiveBase"/>).</summary>
    public ChurnDataset ActiveBase(int activeDays) =>
        Subset(ChurnFeatureBuilder.ActiveRows(Customers, activeDays));

    internal ChurnDataset Subset(IReadOnlyList<int> rows)
    {
        var values = new float[rows.Count * Width];
        for (var k = 0; k < rows.Count; k++)
        {
            Row(rows[k]).CopyTo(values.AsSpan(k * Width, Width));
        }

        return new ChurnDataset(Schema, Cutoff, rows.Select(i => Customers[i]).ToArray(), values,
            Labels is null ? null : rows.Select(i => Labels[i]).ToArray(),
            ProbabilityAlive is null ? null : rows.Select(i => ProbabilityAlive[i]).ToArray());
    }
}
