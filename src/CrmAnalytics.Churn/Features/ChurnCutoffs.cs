using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Churn.Features;

/// <summary>
/// The cut-offs of a churn training run from one walk over each customer's days
/// (<see cref="CustomerSummaryBuilder.Cutoffs"/>). Each cut-off's feature rows are built when asked for, and its
/// customers are released then, so the caller holds only the matrices it still uses.
/// </summary>
internal sealed class ChurnCutoffs
{
    private readonly CutoffCustomers?[] _cutoffs;
    private readonly ChurnFeatureSchema _schema;
    private readonly ChurnInputs _inputs;

    /// <param name="requests">The cut-offs, ascending, with the rows each keeps and its label horizon.</param>
    /// <exception cref="Core.InputException">The inputs cannot produce a feature of <paramref name="schema"/>.</exception>
    public ChurnCutoffs(CustomerSummaryBuilder builder, IReadOnlyList<CutoffRequest> requests, ChurnFeatureSchema schema, ChurnInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ChurnFeatureBuilder.CheckInputs(schema, inputs);
        (_schema, _inputs) = (schema, inputs);
        _cutoffs = builder.Cutoffs(requests);
    }

    /// <summary>
    /// The labels of the <paramref name="k"/>-th cut-off's kept customers, before its features are built: all of them,
    /// also when the cut-off built only a sample's rows (<see cref="CutoffRequest.Sample"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The cut-off was built already, or has no label horizon.</exception>
    public bool[] Labels(int k)
    {
        var at = _cutoffs[k] ?? throw new InvalidOperationException("Each cut-off is built once.");
        return at.Request.LabelHorizonDays is null ? throw new InvalidOperationException("The cut-off has no label horizon.") : at.SampledFrom ?? ChurnFeatureBuilder.Labels(at.Kept);
    }

    /// <summary>
    /// The feature rows at the <paramref name="k"/>-th cut-off: the same as <see cref="ChurnFeatureBuilder.Build(CustomerSummaryBuilder, DateOnly, ChurnFeatureSchema, ChurnInputs, int?, int?)"/>
    /// with its request, or the rows of its sample when the request drew one.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cut-off was built already (its customers are released).</exception>
    public ChurnDataset Build(int k) => ChurnFeatureBuilder.Build(Take(k), _schema, _inputs);

    /// <summary>
    /// The <paramref name="k"/>-th cut-off's customers ready to become feature rows, for a caller that needs the rows of
    /// all of them only once and a few at a time: RFM ranks and purchase-model columns are computed here, the rows when asked.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cut-off was built already (its customers are released).</exception>
    public ChurnFeatureBuilder.FeatureSource Source(int k) => ChurnFeatureBuilder.Source(Take(k), _schema, _inputs);

    private CutoffCustomers Take(int k)
    {
        var at = _cutoffs[k] ?? throw new InvalidOperationException("Each cut-off is built once.");
        _cutoffs[k] = null;
        return at;
    }
}
