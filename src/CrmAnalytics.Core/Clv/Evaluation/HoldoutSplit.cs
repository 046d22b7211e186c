using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv.Evaluation;

/// <summary>A window cut at a calibration end: the customers as of then, and each one's occasions from then to the holdout end.</summary>
/// <param name="Calibration">Summaries as of <paramref name="CalibrationEnd"/> (customers who bought before it).</param>
/// <param name="HoldoutActual">Occasions in [calibration end, holdout end) per calibration customer, aligned with <paramref name="Calibration"/>.</param>
public sealed record HoldoutSplit(IReadOnlyList<CustomerSummary> Calibration, IReadOnlyList<int> HoldoutActual, DateOnly CalibrationEnd, DateOnly HoldoutEnd)
{
    /// <summary>The holdout's length in model time units of <paramref name="unitDays"/> days.</summary>
    public double HoldoutLength(double unitDays) => (HoldoutEnd.DayNumber - CalibrationEnd.DayNumber) / unitDays;
}
