using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Scoring;

namespace CrmAnalytics.IO.Output;

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
            result.ScoreMilliseconds);
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
