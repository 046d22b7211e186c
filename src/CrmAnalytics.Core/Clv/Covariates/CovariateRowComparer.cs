namespace CrmAnalytics.Core.Clv.Covariates;

/// <summary>Equality of rows of numbers by value: the key of the covariate patterns and of the scoring groups.</summary>
internal sealed class CovariateRowComparer : IEqualityComparer<double[]>
{
    public static readonly CovariateRowComparer Instance = new();

    public bool Equals(double[]? x, double[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(double[] obj)
    {
        var hash = default(HashCode);
        foreach (var v in obj)
        {
            hash.Add(v);
        }

        return hash.ToHashCode();
    }
}
