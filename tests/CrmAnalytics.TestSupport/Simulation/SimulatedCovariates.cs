namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>Seeded designs with three covariates, two on the purchase process and one on dropout, shared by tests and benchmarks.</summary>
public static class SimulatedCovariates
{
    /// <summary>
    /// Purchase: <c>channel=referral</c> (every third customer) and <c>age_band</c> ∈ {−1, 0, 1} (cycling); dropout:
    /// <c>channel=referral</c> (six groups in all). Deterministic in the customer's index, so groups are balanced.
    /// </summary>
    public static (CovariateDesign Purchase, CovariateDesign Dropout) Designs(int customers)
    {
        var purchase = new double[customers * 2];
        var dropout = new double[customers];
        for (var i = 0; i < customers; i++)
        {
            var referral = i % 3 == 0 ? 1.0 : 0.0;
            purchase[2 * i] = referral;
            purchase[(2 * i) + 1] = ((i / 3) % 3) - 1;
            dropout[i] = referral;
        }

        return (CovariateDesign.FromValues(["channel=referral", "age_band"], purchase), CovariateDesign.FromValues(["channel=referral"], dropout));
    }
}
