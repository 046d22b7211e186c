using CrmAnalytics.Churn.Features;

namespace CrmAnalytics.Churn.Training;

/// <summary>
/// The classifier's rows when the fit set is larger than <see cref="ChurnTrainingOptions.TrainMaxRows"/>: a seeded
/// sample stratified by the churn label, so each class keeps its share (within one row) and the same seed picks the
/// same rows. The calibration rows are never sampled.
/// </summary>
internal static class ChurnTrainingSample
{
    /// <summary>How many of <paramref name="rows"/> rows the classifier trains on with a cap of <paramref name="maxRows"/> (0 = no cap).</summary>
    public static int Size(int rows, int maxRows) => maxRows > 0 && rows > maxRows ? maxRows : rows;

    /// <summary>
    /// The sampled row indices of <paramref name="data"/>, ascending; null when no sampling applies (no cap, or no more
    /// rows than the cap). Churned rows get round(cap × churn share) places, retained rows the rest.
    /// </summary>
    public static int[]? Rows(ChurnDataset data, int maxRows, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Rows(data.Labels ?? throw new ArgumentException("Sampling needs labelled rows.", nameof(data)), maxRows, seed);
    }

    /// <summary>The same rows from the labels alone, so a cut-off can build features only for the sampled rows.</summary>
    public static int[]? Rows(bool[] labels, int maxRows, int seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var count = labels.Length;
        if (Size(count, maxRows) == count)
        {
            return null;
        }

        var churned = labels.Count(l => l);
        var takeChurned = (int)Math.Round((double)maxRows * churned / count, MidpointRounding.AwayFromZero);
        var need = new[] { maxRows - takeChurned, takeChurned };
        var left = new[] { count - churned, churned };
        var random = new Random(seed);
        var rows = new int[maxRows];
        var k = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            // Selection sampling (Knuth's algorithm S) within each class: every subset of the class is equally likely.
            var c = labels[i] ? 1 : 0;
            if (need[c] > 0 && random.NextDouble() * left[c] < need[c])
            {
                rows[k++] = i;
                need[c]--;
            }

            left[c]--;
        }

        return rows;
    }
}
