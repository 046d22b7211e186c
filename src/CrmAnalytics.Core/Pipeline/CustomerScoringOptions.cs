using System.Globalization;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Core.Pipeline;

/// <summary>Settings of <see cref="Segmentation.CustomerSegmenter"/>: RFM segments, lifecycle thresholds, value tier and the simple CLV.</summary>
public sealed record CustomerScoringOptions
{
    /// <summary>The ordered segment rule table; the R <c>rfm</c> package's by default.</summary>
    public RfmSegmentRules Segments { get; init; } = RfmSegmentRules.Default;

    public LifecycleOptions Lifecycle { get; init; } = new();

    /// <summary>The fraction of customers in the value tier, 0–1; 0.2 by default (the 80/20 claim).</summary>
    public double TopShare { get; init; } = 0.2;

    /// <summary>The profit margin the simple CLV multiplies revenue by, in (0, 1]; 1 (revenue CLV) by default.</summary>
    public double Margin { get; init; } = 1.0;

    /// <summary>Every problem with these options (including the lifecycle options), or an empty list.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var inv = CultureInfo.InvariantCulture;
        if (Segments is null)
        {
            errors.Add($"{nameof(Segments)} is required");
        }

        if (Lifecycle is null)
        {
            errors.Add($"{nameof(Lifecycle)} is required");
        }
        else
        {
            errors.AddRange(Lifecycle.Validate());
        }

        if (!(TopShare is >= 0 and <= 1))
        {
            errors.Add(string.Create(inv, $"{nameof(TopShare)} must be between 0 and 1 (got {TopShare})"));
        }

        if (!(Margin is > 0 and <= 1))
        {
            errors.Add(string.Create(inv, $"{nameof(Margin)} must be greater than 0 and at most 1 (got {Margin})"));
        }

        return errors.AsReadOnly();
    }

    /// <summary>Throws when <see cref="Validate"/> finds any problem.</summary>
    /// <exception cref="ConfigurationException">Lists every problem together.</exception>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ConfigurationException("Invalid scoring options:\n  - " + string.Join("\n  - ", errors));
        }
    }
}
