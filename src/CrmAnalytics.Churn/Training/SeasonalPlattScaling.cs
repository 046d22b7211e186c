using CrmAnalytics.Core.Clv.Numerics;

namespace CrmAnalytics.Churn.Training;

/// <summary>
/// Platt scaling on the most recent labelled period, with its intercept moved by how the intercept changed a year
/// earlier between the same two points of the season: B = B(latest) + B(target − 1 year) − B(latest − 1 year), all
/// three at the latest period's slope A. A business whose churn rate rises and falls with the season (a wholesaler's
/// holiday orders) is calibrated on a summer period and scored for the autumn; last year's summer-to-autumn change is
/// the best guess of this year's. The same classifier scores all three periods.
/// </summary>
internal sealed record SeasonalPlattScaling(double A, double B) : ChurnCalibration
{
    /// <summary>The season's length: 52 weeks, so the year-earlier cut-off falls on the same weekday.</summary>
    public const int YearDays = 364;

    public override ChurnCalibrationMethod Method => ChurnCalibrationMethod.Seasonal;

    public override double Probability(double score) => StableMath.Logistic(A * score + B);

    /// <param name="latest">Raw scores and labels of the most recent labelled period.</param>
    /// <param name="latestYearEarlier">The same a year earlier.</param>
    /// <param name="targetYearEarlier">The period to be predicted, a year earlier.</param>
    /// <exception cref="ArgumentException">A period with only one class.</exception>
    public static SeasonalPlattScaling Fit(
        (IReadOnlyList<double> Scores, IReadOnlyList<bool> Labels) latest,
        (IReadOnlyList<double> Scores, IReadOnlyList<bool> Labels) latestYearEarlier,
        (IReadOnlyList<double> Scores, IReadOnlyList<bool> Labels) targetYearEarlier)
    {
        var platt = PlattScaling.Fit(latest.Scores, latest.Labels);
        var shift = PlattScaling.FitIntercept(platt.A, targetYearEarlier.Scores, targetYearEarlier.Labels)
            - PlattScaling.FitIntercept(platt.A, latestYearEarlier.Scores, latestYearEarlier.Labels);
        return new SeasonalPlattScaling(platt.A, platt.B + shift);
    }
}
