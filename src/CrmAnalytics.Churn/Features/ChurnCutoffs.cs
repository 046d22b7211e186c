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

    /// <summary>The feature rows at the <paramref name="k"/>-th cut-off: the same as <see cref="ChurnFeatureBuilder.Build(CustomerSummaryBuilder, DateOnly, ChurnFeatureSchema, ChurnInputs, int?, int?)"/> with its request.</summary>
    /// <exception cref="InvalidOperationException">The cut-off was built already (its customers are released).</exception>
    public ChurnDataset Build(int k)
    {
        var at = _cutoffs[k] ?? throw new InvalidOperationException("Each cut-off is built once.");
        _cutoffs[k] = null;
        return ChurnFeatureBuilder.Build(at, _schema, _inputs);
    }
}
