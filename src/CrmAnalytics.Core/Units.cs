namespace CrmAnalytics.Core;

/// <summary>Time units used across the engine; stated once here.</summary>
internal static class Units
{
    /// <summary>Days in an average Gregorian month (365.25 / 12), the month of every <c>_12m</c> column.</summary>
    public const double DaysPerMonth = 30.4375;

    public const double DaysPerWeek = 7.0;
}
