using System.Globalization;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.Evaluation;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Selection;
using CrmAnalytics.Core.Customers;

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

    /// <summary>
    /// The check's summary, or null (logged) when the window is too short or the calibration data cannot be fitted; with
    /// <c>--clv-model auto</c>, also the model chosen on the same holdout (<see cref="PurchaseModelSelection"/>).
    /// </summary>
    public static ClvHoldoutOutcome Run(CustomerSummaryBuilder builder, DateOnly asOf, ClvScoringOptions options, RunLog log)
    {
        var auto = options.Model == ClvScoringOptions.Auto;
        if (Split(builder, asOf, log) is not { } split)
        {
            return auto ? Chosen(PurchaseModelSelection.WithoutHoldout("no holdout to choose on"), null, log) : new ClvHoldoutOutcome(options.Model, null, null);
        }

        // The check reads the fits' predictions, never their standard errors.
        var fit = options.Fit with { StandardErrors = false };
        var selection = auto ? PurchaseModelSelection.Select(split, fit, options.TimeUnitDays) : null;
        try
        {
            var fitted = selection is null
                ? ClvScorer.FitPurchaseModel(options.Model, split.RepeatPatterns(options.TimeUnitDays), fit)
                : selection.CalibrationFit ?? throw new ModelFitException(selection.Reason);
            var evaluation = HoldoutEvaluation.Evaluate(fitted, split, options.TimeUnitDays);
            log.Info("clv", string.Create(CultureInfo.InvariantCulture,
                $"holdout check from {split.CalibrationEnd:yyyy-MM-dd}: predicted {evaluation.TotalPredicted:N1} vs actual {evaluation.TotalActual:N0} repeat purchases (bias {evaluation.Bias:P1})"));
            var summary = ClvHoldoutSummary.From(split.CalibrationEnd, asOf, evaluation);
            return selection is null ? new ClvHoldoutOutcome(options.Model, summary, null) : Chosen(selection, summary, log);
        }
        catch (ModelFitException ex)
        {
            // A diagnostic that cannot be fitted leaves the chart out; the published CLV fit on the whole window stands.
            log.Warn("clv", $"holdout check skipped: {ex.Message}");
            return selection is null ? new ClvHoldoutOutcome(options.Model, null, null) : Chosen(selection, null, log);
        }
    }

    private static ClvHoldoutOutcome Chosen(PurchaseModelSelectionResult selection, ClvHoldoutSummary? summary, RunLog log)
    {
        log.Info("clv", $"--clv-model auto chose {selection.Model}: {selection.Reason}");
        return new ClvHoldoutOutcome(selection.Model, summary, ClvSelectionSummary.From(selection));
    }

    /// <summary>
    /// The calibration/holdout split at <see cref="CalibrationEnd"/>, with the tracking chart's daily counts, walked from
    /// the day ledgers (<see cref="HoldoutPatterns"/>): no summary per customer; null (logged) when there is none.
    /// </summary>
    private static HoldoutPatterns? Split(CustomerSummaryBuilder builder, DateOnly asOf, RunLog log)
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

        if (HoldoutPatterns.From(builder, calibrationEnd, asOf) is not { } split)
        {
            log.Info("clv", "holdout check skipped: no customers before the calibration end");
            return null;
        }

        return split;
    }
}

/// <summary>What the holdout stage hands the CLV fit: the purchase model to fit on the whole window, the check, and the auto choice.</summary>
/// <param name="Model">The model to fit: the one asked for, or the auto choice.</param>
/// <param name="Holdout">The holdout check; null when skipped.</param>
/// <param name="Selection">The auto choice; null unless <c>--clv-model auto</c>.</param>
internal sealed record ClvHoldoutOutcome(string Model, ClvHoldoutSummary? Holdout, ClvSelectionSummary? Selection);
