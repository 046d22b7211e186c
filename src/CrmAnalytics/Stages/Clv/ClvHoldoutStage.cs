using System.Globalization;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.Evaluation;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.IO.Output;

namespace CrmAnalytics.Stages.Clv;

/// <summary>
/// The holdout check <c>crm score</c> runs beside its CLV fit, for report.html's tracking chart: the purchase model is
/// refitted on the window before a calibration end and predicts the repeat purchases from there to the as-of date
/// (Fader, Hardie &amp; Lee 2005, figure 2). The published CLV columns always come from the fit on the whole window.
/// </summary>
internal static class ClvHoldoutStage
{
    /// <summary>
    /// The holdout is the last third of the window in whole weeks, 4 to 52 weeks; null (no check) for a window shorter
    /// than 12 weeks.
    /// </summary>
    public static DateOnly? CalibrationEnd(DateOnly firstDate, DateOnly asOf)
    {
        var days = asOf.DayNumber - firstDate.DayNumber;
        if (days < 84)
        {
            return null;
        }

        return asOf.AddDays(-7 * Math.Clamp(days / 21, 4, 52));
    }

    /// <summary>The check's summary, or null (logged) when the window is too short or the calibration data cannot be fitted.</summary>
    public static ClvHoldoutSummary? Run(CustomerSummaryBuilder builder, DateOnly asOf, ClvScoringOptions options, RunLog log)
    {
        if (builder.FirstDate is not { } first || CalibrationEnd(first, asOf) is not { } calibrationEnd)
        {
            log.Info("clv", "holdout check skipped: the window is shorter than 12 weeks");
            return null;
        }

        if (builder.LastDate < calibrationEnd)
        {
            // An as-of far past the data: the holdout has nothing to compare with, and tracking week by week over the
            // empty years would cost time in proportion to the calendar, not to the data.
            log.Info("clv", "holdout check skipped: no transactions after the calibration end");
            return null;
        }

        var calibration = builder.Build(calibrationEnd).Customers;
        if (calibration.Count == 0)
        {
            log.Info("clv", "holdout check skipped: no customers before the calibration end");
            return null;
        }

        try
        {
            var holdout = builder.CountOccasions(calibration, calibrationEnd, asOf);
            var cohortStart = calibration.Min(c => c.FirstPurchase);
            var repeatPerDay = builder.RepeatOccasionsPerDay(cohortStart, asOf, calibrationEnd);
            var fitted = ClvScorer.FitPurchaseModel(options.Model, RepeatPatterns.From(calibration, options.TimeUnitDays), options.Fit);
            var evaluation = HoldoutEvaluation.Evaluate(fitted, calibration, holdout, calibrationEnd, asOf, cohortStart, repeatPerDay, options.TimeUnitDays);
            log.Info("clv", string.Create(CultureInfo.InvariantCulture,
                $"holdout check from {calibrationEnd:yyyy-MM-dd}: predicted {evaluation.TotalPredicted:N1} vs actual {evaluation.TotalActual:N0} repeat purchases (bias {evaluation.Bias:P1})"));
            return ClvHoldoutSummary.From(calibrationEnd, asOf, evaluation);
        }
        catch (ModelFitException ex)
        {
            // A diagnostic that cannot be fitted leaves the chart out; the published CLV fit on the whole window stands.
            log.Warn("clv", $"holdout check skipped: {ex.Message}");
            return null;
        }
    }
}
