using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Churn;
using CrmAnalytics.IO.CustomerTable;

namespace CrmAnalytics.Stages.Churn;

/// <summary>The churn warning list (DESIGN.md, "Churn"): capped, ranked by expected value lost, with a contact plan.</summary>
internal static class ChurnWarningList
{
    /// <summary>
    /// Active customers in <c>high</c>, by expected value lost (churn_probability × clv; the probability alone without
    /// CLV), descending, then by id, the first <paramref name="max"/> of them; each with the contact plan's action and
    /// contact_by = <paramref name="asOf"/> + the rule's days.
    /// </summary>
    public static IReadOnlyList<ChurnWarning> Build(IReadOnlyList<ScoredCustomer> customers, int max, ContactPlan plan, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(plan);
        return customers
            .Where(c => c.Churn is { Risk: ChurnRisk.High, Probability: not null })
            .Select(c => (Customer: c, Probability: c.Churn!.Probability!.Value, Lost: c.Clv is { } clv ? c.Churn.Probability.Value * clv.Clv : (double?)null))
            .OrderByDescending(x => x.Lost ?? x.Probability)
            .ThenBy(x => x.Customer.Summary.CustomerId, StringComparer.Ordinal)
            .Take(max)
            .Select((x, i) =>
            {
                var c = x.Customer;
                var tier = CustomerColumns.ValueTierCode(c.TopValueTier);
                var rule = plan.Assign(tier, c.Segment.Name, c.Churn!.Reasons);
                return new ChurnWarning(i + 1, c.Summary.CustomerId, c.Segment.Name, tier, x.Probability, x.Lost, c.Churn.ReasonTexts, rule.Action, asOf.AddDays(rule.ContactWithinDays));
            })
            .ToArray();
    }
}
