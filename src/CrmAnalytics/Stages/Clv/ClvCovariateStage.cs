using System.Diagnostics;
using System.Globalization;
using CrmAnalytics.Core.Clv.Covariates;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Logging;

namespace CrmAnalytics.Stages.Clv;

/// <summary>
/// The purchase model with static covariates from the customer attributes, fitted and tested beside the run's fit; the
/// customers' CLV columns are then those of the covariate model, at each customer's own parameters.
/// </summary>
internal static class ClvCovariateStage
{
    /// <remarks>Only called when <see cref="ClvScoringOptions.Covariates"/> names a column (the caller times the stage only then).</remarks>
    /// <exception cref="Core.InputException">A covariate column is missing, or values are missing for some customers.</exception>
    /// <exception cref="Core.ConfigurationException">A covariate is constant or collinear.</exception>
    /// <exception cref="Core.ModelFitException">The fit did not converge.</exception>
    /// <param name="plain">The run's scoring without covariates; its Gamma-Gamma model values the spend.</param>
    public static (ClvCovariateSummary Summary, ClvScoringResult Scores) Run(IReadOnlyList<CustomerSummary> customers, ClvScoringResult plain, CustomerAttributes? attributes,
        string? attributesPath, ClvScoringOptions options, RunLog log)
    {
        var covariates = options.Covariates;
        var source = Path.GetFileName(attributesPath) ?? "--customers";
        if (attributes is null)
        {
            throw new Core.ConfigurationException("--clv-covariates needs --customers.");
        }

        var watch = Stopwatch.StartNew();
        var ids = customers.Select(c => c.CustomerId).ToArray();
        var purchase = CovariateDesign.Build(ids, attributes, covariates.Purchase, "purchase", source);
        var dropout = CovariateDesign.Build(ids, attributes, covariates.Dropout, "dropout", source);
        var unit = options.TimeUnitDays;
        var histories = customers.Select(c => ((double)c.Frequency, c.TxDays / unit, c.AgeDays / unit)).ToArray();
        var result = CovariateFit.Run(options.Model, histories, purchase, dropout, covariates.Penalizer, options.Fit);
        var fitMs = watch.ElapsedMilliseconds;
        var scored = CovariateScoring.Score(result, plain, customers, options);
        var summary = ClvCovariateSummary.From(result, covariates.Penalizer, fitMs) with { CustomerGroups = scored.Groups };
        var test = result.LikelihoodRatio!;
        log.Info("clv", string.Create(CultureInfo.InvariantCulture,
            $"{options.Model} with {result.Coefficients.Count} covariate coefficients: LL {result.Fit.LogLikelihood:F2} against {result.WithoutCovariates.LogLikelihood:F2} without, likelihood ratio {test.Statistic:F2} on {test.DegreesOfFreedom} df, p = {test.PValue:G3}"));
        log.Info("clv", string.Create(CultureInfo.InvariantCulture,
            $"customer CLV columns{(scored.Scores.HasIntervals ? " and intervals" : string.Empty)} from the model with covariates, in {scored.Groups} covariate groups ({scored.Scores.ScoreMilliseconds + scored.Scores.IntervalMilliseconds} ms)"));
        return (summary, scored.Scores);
    }
}
