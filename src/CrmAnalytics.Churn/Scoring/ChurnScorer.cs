using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Churn.Scoring;

/// <summary>Scores every customer at the as-of date with a trained model.</summary>
public static class ChurnScorer
{
    /// <summary>
    /// The churn columns of every customer of <c>builder.Build(asOf)</c>, in that order (ordered by customer id).
    /// </summary>
    /// <exception cref="Core.InputException">The model's schema needs inputs this run lacks (exit code 3).</exception>
    public static CustomerChurn[] Score(ChurnModel model, CustomerSummaryBuilder builder, DateOnly asOf, ChurnInputs inputs, ChurnRiskThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(thresholds);
        var data = ChurnFeatureBuilder.Build(builder, asOf, model.Schema, inputs);
        if (data.Count == 0)
        {
            return [];
        }

        var predictions = model.Predict(data);
        var rows = new CustomerChurn[data.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var p = predictions.Probability[i];
            rows[i] = new CustomerChurn(p, thresholds.Classify(p), predictions.Reasons[i]);
        }

        return rows;
    }
}
