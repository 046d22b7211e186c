namespace CrmAnalytics.Churn.Features;

/// <summary>Where a feature's value comes from.</summary>
public enum ChurnFeatureKind
{
    /// <summary>Computed from the customer summary at the cut-off (recency, windows, RFM scores, …).</summary>
    Summary,

    /// <summary>From the BG/NBD-family purchase model fitted at the cut-off.</summary>
    Clv,

    /// <summary>From survey responses dated before the cut-off (latest NPS score).</summary>
    Nps,

    /// <summary>A numeric column of the customer attributes file.</summary>
    Attribute,

    /// <summary>One category of a categorical attributes column, one-hot encoded (1 or 0).</summary>
    AttributeCategory,
}

/// <summary>One input of the churn model.</summary>
/// <param name="Name">The feature name, as shown in the model sidecar and the churn_reason columns.</param>
/// <param name="Source">For attributes: the attributes file column.</param>
/// <param name="Category">For one-hot attributes: the category this feature is 1 for.</param>
public sealed record ChurnFeature(string Name, ChurnFeatureKind Kind, string? Source = null, string? Category = null)
{
    /// <summary>The storage type of every feature in the model input vector.</summary>
    public const string Type = "float32";
}
