using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Pipeline;

/// <summary>
/// The customers as of one date, computed once: the summary, the RFM quintile scores among those customers, and the
/// purchase model fitted on their (x, t_x, T) patterns when CLV is on. Every stage after summarizing reads it instead
/// of rebuilding it.
/// </summary>
/// <param name="Rfm">Aligned with <see cref="CustomerSummaryResult.Customers"/>.</param>
/// <param name="PurchaseModel">Fitted on these customers; null when no purchase model was fitted at this date.</param>
public sealed record CustomerSnapshot(CustomerSummaryResult Summary, IReadOnlyList<RfmScore> Rfm, IPurchaseModel? PurchaseModel = null)
{
    public DateOnly AsOf => Summary.AsOf;

    /// <summary>Customers with a purchase before <see cref="AsOf"/>, ordered by id.</summary>
    public IReadOnlyList<CustomerSummary> Customers => Summary.Customers;

    /// <summary>The summary and RFM scores at <paramref name="asOf"/>, without a purchase model.</summary>
    public static CustomerSnapshot At(CustomerSummaryBuilder builder, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var summary = builder.Build(asOf);
        return new CustomerSnapshot(summary, RfmScorer.Score(summary.Customers));
    }
}
