using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Selection;

namespace CrmAnalytics.IO.Summary;

/// <summary>The CLV section of summary.json: both fitted models, the valuation settings and totals.</summary>
public sealed record ClvSummary(
    string Model,
    double TimeUnitDays,
    ModelFitSummary Purchase,
    ModelFitSummary Spend,
    int SpendExcluded,
    int HorizonMonths,
    double MonthlyDiscountRate,
    double Margin,
    double TotalClv,
    double MeanClv,
    double MeanProbabilityAlive,
    [property: System.Text.Json.Serialization.JsonPropertyName("expected_purchases_365d_total")] double ExpectedPurchases365dTotal,
    long ScoreMilliseconds)
{
    /// <summary>The in-run calibration/holdout check; null when the history is too short or the refit failed.</summary>
    public ClvHoldoutSummary? Holdout { get; init; }

    /// <summary>How <c>--clv-model auto</c> chose <see cref="Model"/>; null when the model was named.</summary>
    public ClvSelectionSummary? Selection { get; init; }

    /// <summary>The prediction intervals of the CLV columns; null when none were computed.</summary>
    public ClvIntervalSummary? Intervals { get; init; }

    /// <summary>The purchase model with static covariates (<c>--clv-covariates</c>); null without.</summary>
    public ClvCovariateSummary? Covariates { get; init; }

    /// <summary>Gamma-Gamma's independence check: the correlation of frequency and mean spend among repeat buyers.</summary>
    public SpendIndependenceSummary? SpendIndependence { get; init; }

    public static ClvSummary From(ClvScoringResult result, ClvScoringOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var rows = result.Customers;
        var total = rows.Sum(r => r.Clv);
        return new ClvSummary(
            result.PurchaseModel.Name,
            result.TimeUnitDays,
            ModelFitSummary.From(result.PurchaseModel.Name, result.PurchaseModel.Fit, result.PurchaseFitMilliseconds),
            ModelFitSummary.From("gammagamma", result.SpendModel.Fit, result.SpendFitMilliseconds),
            result.SpendExcluded,
            options.Value.HorizonMonths,
            options.Value.MonthlyDiscountRate,
            options.Value.Margin,
            total,
            rows.Length == 0 ? 0 : total / rows.Length,
            rows.Length == 0 ? 0 : rows.Average(r => r.ProbabilityAlive),
            rows.Sum(r => r.ExpectedPurchases365d),
            result.ScoreMilliseconds)
        {
            Intervals = result.HasIntervals ? new ClvIntervalSummary(options.IntervalLevel, ClvIntervalSummary.DeltaMethod, result.IntervalMilliseconds) : null,
            SpendIndependence = result.SpendIndependence is { } check
                ? new SpendIndependenceSummary(check.RepeatBuyers, check.Correlation, check.Threshold, check.IsLarge)
                : null,
        };
    }
}

/// <summary>One maximum-likelihood fit as reported in summary.json; a standard error that could not be computed is null.</summary>
public sealed record ModelFitSummary(
    string Model,
    IReadOnlyDictionary<string, double> Parameters,
    IReadOnlyDictionary<string, double?> StandardErrors,
    double LogLikelihood,
    int Iterations,
    string Optimizer,
    string ExitCondition,
    double Customers,
    int Patterns,
    double Penalizer,
    long FitMilliseconds)
{
    public static ModelFitSummary From(string model, FitResult? fit, long milliseconds)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var parameters = new Dictionary<string, double>(StringComparer.Ordinal);
        var errors = new Dictionary<string, double?>(StringComparer.Ordinal);
        for (var i = 0; i < fit.Names.Count; i++)
        {
            parameters[fit.Names[i]] = fit.Estimates[i];
            errors[fit.Names[i]] = double.IsFinite(fit.StandardErrors[i]) ? fit.StandardErrors[i] : null;
        }

        return new ModelFitSummary(model, parameters, errors, fit.LogLikelihood, fit.Iterations, fit.Optimizer, fit.ExitCondition,
            fit.Customers, fit.Patterns, fit.Penalizer, milliseconds);
    }
}

/// <summary>
/// The in-run holdout check of the purchase model (report.html's tracking chart): the same model refitted on the data
/// before <see cref="CalibrationEnd"/> predicts the repeat purchases from then to the as-of date.
/// </summary>
/// <param name="Bias">(Σ predicted − Σ actual) / Σ actual over the holdout; positive = over-forecast.</param>
/// <param name="Tracking">Weekly cumulative repeat purchases of the calibration cohort, actual and predicted.</param>
public sealed record ClvHoldoutSummary(
    DateOnly CalibrationEnd,
    DateOnly HoldoutEnd,
    string Model,
    int Customers,
    double MeanAbsoluteError,
    double RootMeanSquaredError,
    double TotalPredicted,
    double TotalActual,
    double Bias,
    IReadOnlyList<ClvTrackingPoint> Tracking)
{
    public static ClvHoldoutSummary From(DateOnly calibrationEnd, DateOnly holdoutEnd, Core.Clv.Evaluation.HoldoutEvaluationResult e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new ClvHoldoutSummary(calibrationEnd, holdoutEnd, e.Model, e.Customers, e.MeanAbsoluteError, e.RootMeanSquaredError,
            e.TotalPredicted, e.TotalActual, e.Bias, [.. e.Tracking.Select(t => new ClvTrackingPoint(t.WeekEnd, t.Holdout, t.ActualCumulative, t.PredictedCumulative))]);
    }
}

/// <summary>One week of the tracking series: cumulative repeat purchases to <paramref name="WeekEnd"/> (exclusive).</summary>
public sealed record ClvTrackingPoint(DateOnly WeekEnd, bool Holdout, double ActualCumulative, double PredictedCumulative);

/// <summary>How <c>--clv-model auto</c> chose the purchase model (summary.json <c>clv.selection</c>).</summary>
/// <param name="Chosen">The model fitted on the whole window.</param>
/// <param name="Reason">Why, with the numbers.</param>
/// <param name="Candidates">Every model's holdout MAE and calibration log-likelihood, in the fixed order bgnbd, paretonbd, mbgnbd.</param>
public sealed record ClvSelectionSummary(string Chosen, string Reason, IReadOnlyList<ClvSelectionCandidate> Candidates)
{
    public static ClvSelectionSummary From(PurchaseModelSelectionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ClvSelectionSummary(result.Model, result.Reason,
            [.. result.Candidates.Select(c => new ClvSelectionCandidate(c.Model, c.MeanAbsoluteError, c.LogLikelihood, c.Error))]);
    }
}

/// <param name="HoldoutMae">Mean absolute error of holdout repeat purchases per calibration customer; null when the fit failed.</param>
/// <param name="LogLikelihood">The calibration fit's log-likelihood; null when the fit failed.</param>
/// <param name="Error">Why the fit failed, or null.</param>
public sealed record ClvSelectionCandidate(string Model, double? HoldoutMae, double? LogLikelihood, string? Error);

/// <summary>The CLV columns' prediction intervals (summary.json <c>clv.intervals</c>).</summary>
/// <param name="Level">Two-sided level, e.g. 0.9: the <c>_lo</c> and <c>_hi</c> columns are its 5 % and 95 % bounds.</param>
/// <param name="Method">How they were computed (<see cref="DeltaMethod"/>).</param>
public sealed record ClvIntervalSummary(double Level, string Method, long Milliseconds)
{
    /// <summary>The asymptotic normal of the log-parameters from the inverse observed information, first order (README).</summary>
    public const string DeltaMethod = "parameter_uncertainty_delta_log";
}

/// <summary>Gamma-Gamma's independence check (summary.json <c>clv.spend_independence</c>).</summary>
/// <param name="RepeatBuyers">Customers in the Gamma-Gamma fit.</param>
/// <param name="Correlation">Pearson's correlation of repeat_frequency and mean_repeat_value among them; null when undefined.</param>
/// <param name="Threshold">|correlation| from which the run warns.</param>
/// <param name="Warning">Whether it did.</param>
public sealed record SpendIndependenceSummary(double RepeatBuyers, double? Correlation, double Threshold, bool Warning);
