using CrmAnalytics.Core.Clv.Covariates;

namespace CrmAnalytics.IO.Summary;

/// <summary>
/// <c>clv.covariates</c> in summary.json: the purchase model refitted with static covariates, its coefficients and the
/// likelihood-ratio test against the model without them. The customer columns come from the model with covariates.
/// </summary>
/// <param name="Columns">How each attribute column was coded: numeric, or categorical with its reference level and levels.</param>
/// <param name="Fit">The fit with covariates (parameters named <c>purchase:&lt;column&gt;</c>, <c>dropout:&lt;column&gt;</c> beside r, α, …).</param>
/// <param name="LogLikelihoodWithout">The log-likelihood of the model without covariates (the run's fit).</param>
public sealed record ClvCovariateSummary(
    string Model,
    IReadOnlyList<string> PurchaseColumns,
    IReadOnlyList<string> DropoutColumns,
    IReadOnlyList<ClvCovariateColumn> Columns,
    double Penalizer,
    ModelFitSummary Fit,
    IReadOnlyList<ClvCovariateCoefficient> Coefficients,
    double LogLikelihoodWithout,
    LikelihoodRatioTest LikelihoodRatio)
{
    /// <summary>Distinct covariate rows among the customers: the customer columns were computed under one model per row.</summary>
    public int CustomerGroups { get; init; }

    public static ClvCovariateSummary From(CovariateFitResult result, double penalizer, long milliseconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        var columns = result.PurchaseDesign.Columns.Select(c => ClvCovariateColumn.From("purchase", c))
            .Concat(result.DropoutDesign.Columns.Select(c => ClvCovariateColumn.From("dropout", c)))
            .ToArray();
        return new ClvCovariateSummary(
            result.Model,
            result.PurchaseDesign.Columns.Select(c => c.Column).ToArray(),
            result.DropoutDesign.Columns.Select(c => c.Column).ToArray(),
            columns,
            penalizer,
            ModelFitSummary.From(result.Model, result.Fit, milliseconds),
            result.Coefficients.Select(c => new ClvCovariateCoefficient(c.Process, c.Name, c.Estimate, double.IsFinite(c.StandardError) ? c.StandardError : null, c.Multiplier)).ToArray(),
            result.WithoutCovariates.LogLikelihood,
            result.LikelihoodRatio!);
    }
}

/// <summary>One attribute column of the covariates: <c>numeric</c>, or <c>categorical</c> dummy-coded against <see cref="Reference"/>.</summary>
public sealed record ClvCovariateColumn(string Process, string Column, string Kind, string? Reference, IReadOnlyList<string> Levels)
{
    public static ClvCovariateColumn From(string process, CovariateColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return new(process, column.Column, column.Kind == CovariateKind.Numeric ? "numeric" : "categorical", column.Reference, column.Levels);
    }
}

/// <summary>One coefficient γ: <see cref="CovariateCoefficient"/>, with a standard error that could not be computed as null.</summary>
public sealed record ClvCovariateCoefficient(string Process, string Name, double Estimate, double? StandardError, double Multiplier);
