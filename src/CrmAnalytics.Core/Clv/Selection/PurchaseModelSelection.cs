using System.Globalization;
using CrmAnalytics.Core.Clv.Evaluation;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Parallelism;

namespace CrmAnalytics.Core.Clv.Selection;

/// <summary>One purchase model's showing on the holdout: its calibration fit's log-likelihood and holdout MAE, or why it could not be fitted.</summary>
/// <param name="MeanAbsoluteError">Mean over calibration customers of |E[Y(holdout)] − actual holdout occasions|; null when the fit failed.</param>
/// <param name="LogLikelihood">The calibration fit's log-likelihood; null when the fit failed.</param>
/// <param name="Error">The fit's error message when it failed.</param>
public sealed record PurchaseModelCandidate(string Model, double? MeanAbsoluteError, double? LogLikelihood, string? Error);

/// <summary>The purchase model <c>--clv-model auto</c> chose, why, and every candidate.</summary>
/// <param name="Model">The chosen model, one of <see cref="ClvScoringOptions.Models"/>.</param>
/// <param name="Reason">Why, in words, with the numbers.</param>
/// <param name="CalibrationFit">The chosen model fitted on the calibration window; null when nothing could be fitted there.</param>
public sealed record PurchaseModelSelectionResult(string Model, string Reason, IReadOnlyList<PurchaseModelCandidate> Candidates, IPurchaseModel? CalibrationFit);

/// <summary>
/// <c>--clv-model auto</c>: fits every purchase model on the calibration part of a <see cref="HoldoutSplit"/> and picks
/// the one with the lowest holdout MAE of repeat purchases; MAEs within <see cref="TieTolerance"/> are a tie, broken by
/// the higher calibration log-likelihood, then by the order of <see cref="ClvScoringOptions.Models"/>. The fits are
/// deterministic (<see cref="PatternChunks"/>), so the same data give the same pick on every run.
/// </summary>
/// <remarks>
/// The MAE of holdout purchases per customer is the criterion of the published comparisons (Fader, Hardie &amp; Lee 2005,
/// §4; Batislam, Denizel &amp; Filiztekin 2007, table 3). The likelihood alone would favour the model with the most
/// flexible dropout process even when it forecasts worse.
/// </remarks>
public static class PurchaseModelSelection
{
    /// <summary>MAEs closer than this (purchases per customer) are equal: far below any difference a forecast shows, far above rounding.</summary>
    public const double TieTolerance = 1e-6;

    /// <summary>The model a run uses when there is no holdout to choose on.</summary>
    public const string Fallback = "bgnbd";

    /// <summary>Fits each model on the split's calibration customers and picks one.</summary>
    public static PurchaseModelSelectionResult Select(HoldoutSplit split, FitOptions fit, double unitDays)
    {
        ArgumentNullException.ThrowIfNull(split);
        var calibration = split.Calibration;
        var cohortStart = calibration.Count == 0 ? split.CalibrationEnd : calibration.Min(c => c.FirstPurchase);
        return Select(HoldoutPatterns.From(calibration, split.HoldoutActual, split.CalibrationEnd, split.HoldoutEnd, cohortStart, []), fit, unitDays);
    }

    /// <summary>
    /// Fits each model on the split's patterns and picks one; each prediction is computed once per distinct (x, t_x, T).
    /// Public for <c>--clv-model auto</c> in the library's holdout stage.
    /// </summary>
    public static PurchaseModelSelectionResult Select(HoldoutPatterns split, FitOptions fit, double unitDays)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var patterns = split.RepeatPatterns(unitDays);
        // The candidates are fitted side by side: a fit leaves part of a core idle between its likelihood's parallel
        // passes. Each keeps its place in ClvScoringOptions.Models, so the choice is the same as fitting them in turn.
        var names = ClvScoringOptions.Models;
        var outcomes = new (PurchaseModelCandidate Candidate, IPurchaseModel? Model)[names.Count];
        SideBySide.Run([.. names.Select((name, i) => (Action)(() => outcomes[i] = Candidate(name, patterns, split, fit, unitDays)))]);
        var candidates = outcomes.Select(o => o.Candidate).ToList();
        var fitted = outcomes.Where(o => o.Model is not null).ToDictionary(o => o.Candidate.Model, o => o.Model!, StringComparer.Ordinal);
        return Choose(candidates, fitted);
    }

    private static (PurchaseModelCandidate Candidate, IPurchaseModel? Model) Candidate(string name, RepeatPatterns patterns, HoldoutPatterns split, FitOptions fit, double unitDays)
    {
        try
        {
            var model = ClvScorer.FitPurchaseModel(name, patterns, fit);
            var mae = split.MeanAbsoluteError(split.PredictByPattern(model, unitDays));
            return (new PurchaseModelCandidate(name, mae, model.Fit.LogLikelihood, null), model);
        }
        catch (Exception ex) when (ex is ModelFitException or ArgumentException or ArithmeticException or AggregateException)
        {
            // A candidate that cannot be fitted or cannot predict its holdout (e.g. Pareto/NBD on a few customers
            // whose predictions leave the valid range) is out of the choice, with its reason; the others stand.
            return (new PurchaseModelCandidate(name, null, null, ex is AggregateException a ? a.InnerExceptions[0].Message : ex.Message), null);
        }
    }

    /// <summary>The pick among scored candidates (in the order of <see cref="ClvScoringOptions.Models"/>).</summary>
    internal static PurchaseModelSelectionResult Choose(IReadOnlyList<PurchaseModelCandidate> candidates, IReadOnlyDictionary<string, IPurchaseModel> fitted)
    {
        var scored = candidates.Where(c => c.MeanAbsoluteError is not null).ToArray();
        if (scored.Length == 0)
        {
            return new PurchaseModelSelectionResult(Fallback, $"no model could be fitted on the calibration window; {Fallback} by default", candidates, null);
        }

        var best = scored[0];
        var tie = false;
        foreach (var c in scored.Skip(1))
        {
            var difference = c.MeanAbsoluteError!.Value - best.MeanAbsoluteError!.Value;
            if (Math.Abs(difference) <= TieTolerance)
            {
                tie = true;
                if (c.LogLikelihood > best.LogLikelihood)
                {
                    best = c;
                }
            }
            else if (difference < 0)
            {
                (best, tie) = (c, false);
            }
        }

        var others = string.Join(", ", scored.Where(c => c != best).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Model} {c.MeanAbsoluteError:F4}")));
        var failed = candidates.Where(c => c.Error is not null).Select(c => c.Model).ToArray();
        var reason = tie
            ? string.Create(CultureInfo.InvariantCulture, $"holdout MAE {best.MeanAbsoluteError:F4} tied (within {TieTolerance:G}); the higher calibration log-likelihood {best.LogLikelihood:F2} decided")
            : string.Create(CultureInfo.InvariantCulture, $"lowest holdout MAE {best.MeanAbsoluteError:F4}");
        if (others.Length > 0)
        {
            reason += $" (others: {others})";
        }

        if (failed.Length > 0)
        {
            reason += $"; not fitted on the calibration window: {string.Join(", ", failed)}";
        }

        return new PurchaseModelSelectionResult(best.Model, reason, candidates, fitted.GetValueOrDefault(best.Model));
    }

    /// <summary>The choice when the window has no holdout to choose on.</summary>
    public static PurchaseModelSelectionResult WithoutHoldout(string why) =>
        new(Fallback, $"{why}; {Fallback} by default", [], null);
}
