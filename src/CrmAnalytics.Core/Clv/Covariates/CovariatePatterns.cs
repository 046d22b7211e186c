namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>
/// Distinct (x, t_x, T, purchase covariates, dropout covariates) with the number of customers showing each: the input
/// of the covariate fits. With categorical covariates the count stays close to that of <see cref="RepeatPatterns"/>.
/// </summary>
internal sealed class CovariatePatterns
{
    private CovariatePatterns(double[] x, double[] tx, double[] t, double[] weight, double[] purchase, int purchaseCount, double[] dropout, int dropoutCount)
    {
        X = x;
        Tx = tx;
        T = t;
        Weight = weight;
        Purchase = purchase;
        PurchaseCount = purchaseCount;
        Dropout = dropout;
        DropoutCount = dropoutCount;
        Customers = weight.Sum();
    }

    public double[] X { get; }

    public double[] Tx { get; }

    public double[] T { get; }

    public double[] Weight { get; }

    /// <summary>Purchase covariates, row-major (patterns × <see cref="PurchaseCount"/>).</summary>
    internal double[] Purchase { get; }

    public int PurchaseCount { get; }

    /// <summary>Dropout covariates, row-major (patterns × <see cref="DropoutCount"/>).</summary>
    internal double[] Dropout { get; }

    public int DropoutCount { get; }

    public int Count => X.Length;

    public double Customers { get; }

    /// <summary>Groups customers (histories in model time units, and the rows of both designs) by equal values; the order of first appearance is kept.</summary>
    public static CovariatePatterns From(IReadOnlyList<(double X, double Tx, double T)> histories, CovariateDesign purchase, CovariateDesign dropout)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(dropout);
        if (purchase.Customers != histories.Count || dropout.Customers != histories.Count)
        {
            throw new ArgumentException("Both designs need one row per customer.", nameof(histories));
        }

        var width = 3 + purchase.Count + dropout.Count;
        var index = new Dictionary<double[], int>(CovariateRowComparer.Instance);
        var keys = new List<double[]>();
        var weight = new List<double>();
        for (var i = 0; i < histories.Count; i++)
        {
            var (x, tx, t) = histories[i];
            if (x < 0 || tx < 0 || t < tx || !double.IsFinite(t))
            {
                throw new ArgumentException($"Invalid history (x={x}, t_x={tx}, T={t}): need x ≥ 0 and 0 ≤ t_x ≤ T.", nameof(histories));
            }

            var key = new double[width];
            key[0] = x;
            key[1] = tx;
            key[2] = t;
            purchase.Row(i).CopyTo(key.AsSpan(3));
            dropout.Row(i).CopyTo(key.AsSpan(3 + purchase.Count));
            if (index.TryGetValue(key, out var p))
            {
                weight[p]++;
            }
            else
            {
                index[key] = keys.Count;
                keys.Add(key);
                weight.Add(1);
            }
        }

        var n = keys.Count;
        var purchaseValues = new double[n * purchase.Count];
        var dropoutValues = new double[n * dropout.Count];
        for (var p = 0; p < n; p++)
        {
            keys[p].AsSpan(3, purchase.Count).CopyTo(purchaseValues.AsSpan(p * purchase.Count));
            keys[p].AsSpan(3 + purchase.Count).CopyTo(dropoutValues.AsSpan(p * dropout.Count));
        }

        return new CovariatePatterns(keys.Select(k => k[0]).ToArray(), keys.Select(k => k[1]).ToArray(), keys.Select(k => k[2]).ToArray(), weight.ToArray(),
            purchaseValues, purchase.Count, dropoutValues, dropout.Count);
    }
}
