using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;

namespace CrmAnalytics.Churn.Scoring;

/// <summary>The churn columns of every customer and the bands of the active base.</summary>
/// <param name="Customers">Aligned with the snapshot's customers (ordered by customer id); lapsed customers have no probability.</param>
/// <param name="Active">Customers in the active base, the ones with a probability.</param>
public sealed record ChurnScoringResult(CustomerChurn[] Customers, ChurnBandResult Bands, int Active)
{
    public int Lapsed => Customers.Length - Active;
}

/// <summary>Scores the active base at the as-of date with a trained model.</summary>
public static class ChurnScorer
{
    /// <summary>
    /// Scores the customers active at <paramref name="asOf"/> (an occasion in the <paramref name="activeDays"/> days
    /// before it), bands them, and marks everyone else lapsed.
    /// </summary>
    /// <exception cref="Core.InputException">The model's schema needs inputs this run lacks (exit code 3).</exception>
    public static ChurnScoringResult Score(ChurnModel model, CustomerSummaryBuilder builder, DateOnly asOf, ChurnInputs inputs, int activeDays, ChurnBandOptions bands)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(builder);
        ChurnFeatureBuilder.CheckInputs(model.Schema, inputs);
        return Score(model, CustomerSnapshot.At(builder, asOf), inputs, activeDays, bands);
    }

    /// <summary>
    /// Scores the snapshot's customers that are active at its as-of date, reading its summary, RFM scores and purchase
    /// model instead of rebuilding them; the result is the same as scoring from the transactions at that date.
    /// </summary>
    /// <param name="snapshot">Its purchase model, when present, was fitted with <see cref="ChurnInputs.Clv"/>.</param>
    /// <exception cref="Core.InputException">The model's schema needs inputs this run lacks (exit code 3).</exception>
    public static ChurnScoringResult Score(ChurnModel model, CustomerSnapshot snapshot, ChurnInputs inputs, int activeDays, ChurnBandOptions bands)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(bands);
        var activeRows = ChurnFeatureBuilder.ActiveRows(snapshot.Customers, activeDays);
        var active = ChurnFeatureBuilder.Build(snapshot, activeRows, model.Schema, inputs);
        var predictions = model.Predict(active);
        var banded = ChurnBands.Assign(predictions.Probability, bands);
        var rows = Enumerable.Repeat(CustomerChurn.Lapsed, snapshot.Customers.Count).ToArray();
        var features = model.Schema.Features;
        var index = features.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        Parallel.For(0, activeRows.Length, k =>
        {
            var reasons = predictions.Reasons[k];
            var values = active.Row(k);
            var picked = new (int Feature, float Value)[reasons.Length];
            for (var r = 0; r < reasons.Length; r++)
            {
                var f = index[reasons[r]];
                picked[r] = (f, values[f]);
            }

            rows[activeRows[k]] = new CustomerChurn(predictions.Probability[k], banded.Risks[k], reasons) { ReasonTexts = new ReasonTexts(features, picked) };
        });

        return new ChurnScoringResult(rows, banded, activeRows.Length);
    }

    /// <summary>
    /// A customer's reasons in words, written when read: only the warning list reads them, so the texts of the other
    /// active customers are never formatted (they cost about 2 CPU s for 317,000 customers).
    /// </summary>
    private sealed class ReasonTexts(IReadOnlyList<ChurnFeature> features, (int Feature, float Value)[] reasons) : IReadOnlyList<string>
    {
        public string this[int index] => ChurnReasonText.Describe(features[reasons[index].Feature], reasons[index].Value);

        public int Count => reasons.Length;

        public IEnumerator<string> GetEnumerator()
        {
            for (var i = 0; i < reasons.Length; i++)
            {
                yield return this[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
