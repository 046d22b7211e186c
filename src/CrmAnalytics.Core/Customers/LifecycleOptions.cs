using System.Globalization;

namespace CrmAnalytics.Core.Customers;

/// <summary>Thresholds of the seed lifecycle stages (DESIGN.md, "Seed segments"); see <see cref="Lifecycle.Classify"/>.</summary>
public sealed record LifecycleOptions
{
    /// <summary>Inactive when <see cref="CustomerSummary.RecencyDays"/> is greater than this: no purchase for more than N days. ≥ 0.</summary>
    public int InactiveAfterDays { get; init; } = 180;

    /// <summary>New when <see cref="CustomerSummary.AgeDays"/> is less than this: the first purchase is within the last N days
    /// of the window, the same "within" as the N-day window counts. ≥ 0; 0 makes nobody new.</summary>
    public int NewWithinDays { get; init; } = 180;

    /// <summary>The trailing window whose occasions decide Active; one of <see cref="CustomerWindows.Days"/> (30, 90, 180, 365).</summary>
    public int ActiveWindowDays { get; init; } = 365;

    /// <summary>Active when the customer has at least this many occasions in the active window. ≥ 1.</summary>
    public int ActiveMinOrders { get; init; } = 2;

    /// <summary>Every problem with these options, or an empty list when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var inv = CultureInfo.InvariantCulture;
        if (InactiveAfterDays < 0)
        {
            errors.Add(string.Create(inv, $"{nameof(InactiveAfterDays)} must be 0 or more (got {InactiveAfterDays})"));
        }

        if (NewWithinDays < 0)
        {
            errors.Add(string.Create(inv, $"{nameof(NewWithinDays)} must be 0 or more (got {NewWithinDays})"));
        }

        if (!CustomerWindows.Days.Contains(ActiveWindowDays))
        {
            errors.Add(string.Create(inv, $"{nameof(ActiveWindowDays)} must be one of {string.Join(", ", CustomerWindows.Days)} (got {ActiveWindowDays})"));
        }

        if (ActiveMinOrders < 1)
        {
            errors.Add(string.Create(inv, $"{nameof(ActiveMinOrders)} must be 1 or more (got {ActiveMinOrders})"));
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
            throw new ConfigurationException("Invalid lifecycle options:\n  - " + string.Join("\n  - ", errors));
        }
    }
}
