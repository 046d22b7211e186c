using System.CommandLine;
using System.Globalization;
using System.Text;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.Evaluation;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Stages.Input;

namespace CrmAnalytics.Cli.Clv;

/// <summary><c>crm clv fit|evaluate</c>: fit the purchase and spend models, or test them on a holdout period.</summary>
internal static class ClvCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("clv", "Fit and evaluate the lifetime-value models (BG/NBD, Pareto/NBD, MBG/NBD, Gamma-Gamma).");
        command.Subcommands.Add(CreateFit(context));
        command.Subcommands.Add(CreateEvaluate(context));
        return command;
    }

    private static Command CreateFit(CliContext context)
    {
        var input = new TransactionInputOptions();
        var clv = new ClvCommandOptions();
        var all = new Option<bool>("--all") { Description = "Fit all three purchase models." };
        var command = new Command("fit", "Fit the purchase model(s) and Gamma-Gamma as of the as-of date and print parameters with standard errors.");
        input.AddTo(command);
        clv.AddTo(command, includeNone: false);
        command.Options.Add(all);
        command.SetAction((parse, ct) => context.RunAsync(parse, async log =>
        {
            var errors = new List<string>();
            var read = input.Build(parse, context.Clock);
            var options = clv.Build(parse, 1.0, errors)!;
            if (errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            var (result, _) = await TransactionIngest.ReadAsync(parse.GetValue(input.Transactions)!.FullName, read, NullRejectSink.Instance, log, ct).ConfigureAwait(false);
            var asOf = input.Check(parse, result, read, log);
            var customers = result.Builder.Build(asOf).Customers;
            var models = parse.GetValue(all) ? ClvScoringOptions.Models : [options.Model];
            var patterns = RepeatPatterns.From(customers, options.TimeUnitDays);
            var output = context.Output;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"as_of: {asOf:yyyy-MM-dd}; customers: {customers.Count}; time unit: {options.TimeUnitDays} days"));
            foreach (var model in models)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var fitted = ClvScorer.FitPurchaseModel(model, patterns, options.Fit);
                Print(output, ModelFitSummary.From(model, fitted.Fit, watch.ElapsedMilliseconds));
            }

            var spendWatch = System.Diagnostics.Stopwatch.StartNew();
            var spendData = SpendPatterns.From(customers);
            ISpendModel spend = GammaGammaModel.Fit(spendData, options.Fit);
            Print(output, ModelFitSummary.From("gammagamma", spend.Fit, spendWatch.ElapsedMilliseconds));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gammagamma excluded (x = 0 or mean value ≤ 0): {spendData.Excluded}"));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CreateEvaluate(CliContext context)
    {
        var input = new TransactionInputOptions();
        var clv = new ClvCommandOptions();
        var calibrationEnd = new Option<string>("--calibration-end") { Description = "Exclusive end of the calibration period (yyyy-MM-dd); the holdout starts on it.", Required = true };
        var all = new Option<bool>("--all") { Description = "Evaluate all three purchase models." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Folder for evaluation.json and per-model tracking and decile CSVs (published atomically)." };
        var command = new Command("evaluate", "Fit on a calibration period and compare predictions with the holdout period that follows (holdout end = --as-of, or the day after the last row).");
        input.AddTo(command);
        clv.AddTo(command, includeNone: false);
        command.Options.Add(calibrationEnd);
        command.Options.Add(all);
        command.Options.Add(output);
        command.SetAction((parse, ct) => context.RunAsync(parse, async log =>
        {
            var errors = new List<string>();
            var read = input.Build(parse, context.Clock);
            var options = clv.Build(parse, 1.0, errors)!;
            if (!DateOnly.TryParseExact(parse.GetValue(calibrationEnd), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var calEnd))
            {
                errors.Add("--calibration-end must be a date in yyyy-MM-dd form.");
            }

            if (errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            string[] inputs = [parse.GetValue(input.Transactions)!.FullName];
            if (parse.GetValue(output) is { } target)
            {
                OutputOwnership.ThrowIfNotReplaceable(target.FullName, inputs);
            }

            var (result, _) = await TransactionIngest.ReadAsync(parse.GetValue(input.Transactions)!.FullName, read, NullRejectSink.Instance, log, ct).ConfigureAwait(false);
            var holdoutEnd = input.Check(parse, result, read, log);
            if (calEnd >= holdoutEnd || result.Builder.FirstDate is not { } firstDate || calEnd <= firstDate)
            {
                throw new ConfigurationException(string.Create(CultureInfo.InvariantCulture,
                    $"--calibration-end {calEnd:yyyy-MM-dd} must fall after the first transaction and before the holdout end {holdoutEnd:yyyy-MM-dd}."));
            }

            var calibration = result.Builder.Build(calEnd).Customers;
            var holdout = result.Builder.CountOccasions(calibration, calEnd, holdoutEnd);
            var cohortStart = calibration.Min(c => c.FirstPurchase);
            var repeatPerDay = result.Builder.RepeatOccasionsPerDay(cohortStart, holdoutEnd, calEnd);
            var models = parse.GetValue(all) ? ClvScoringOptions.Models : [options.Model];
            var patterns = RepeatPatterns.From(calibration, options.TimeUnitDays);
            var evaluations = new List<(ModelFitSummary Fit, HoldoutEvaluationResult Result)>();
            foreach (var model in models)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var fitted = ClvScorer.FitPurchaseModel(model, patterns, options.Fit);
                var fit = ModelFitSummary.From(model, fitted.Fit, watch.ElapsedMilliseconds);
                var evaluation = HoldoutEvaluation.Evaluate(fitted, calibration, holdout, calEnd, holdoutEnd, cohortStart, repeatPerDay, options.TimeUnitDays);
                evaluations.Add((fit, evaluation));
                PrintEvaluation(context.Output, fit, evaluation);
            }

            if (parse.GetValue(output) is { } dir)
            {
                Publish(dir.FullName, inputs, calEnd, holdoutEnd, evaluations, log);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static void Print(TextWriter output, ModelFitSummary fit)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"{fit.Model}: LL {fit.LogLikelihood:F4}; {fit.Optimizer}, {fit.Iterations} iterations, {fit.ExitCondition}; {fit.Customers:N0} customers in {fit.Patterns:N0} patterns; {fit.FitMilliseconds} ms"));
        foreach (var (name, value) in fit.Parameters)
        {
            var se = fit.StandardErrors[name];
            output.WriteLine(string.Create(inv, $"  {name,-6} {value,12:F6}  (se {(se is { } s ? s.ToString("F6", inv) : "n/a")})"));
        }
    }

    private static void PrintEvaluation(TextWriter output, ModelFitSummary fit, HoldoutEvaluationResult e)
    {
        var inv = CultureInfo.InvariantCulture;
        Print(output, fit);
        output.WriteLine(string.Create(inv, $"  holdout ({e.HoldoutLengthUnits:F2} units): customers {e.Customers:N0}, MAE {e.MeanAbsoluteError:F4}, RMSE {e.RootMeanSquaredError:F4}, predicted {e.TotalPredicted:F1} vs actual {e.TotalActual:F0}, bias {e.Bias:P2}"));
        output.WriteLine("  decile  customers  mean_predicted  mean_actual");
        foreach (var d in e.Deciles)
        {
            output.WriteLine(string.Create(inv, $"  {d.Decile,6}  {d.Customers,9}  {d.MeanPredicted,14:F4}  {d.MeanActual,11:F4}"));
        }
    }

    private static void Publish(string target, string[] inputs, DateOnly calEnd, DateOnly holdoutEnd, List<(ModelFitSummary Fit, HoldoutEvaluationResult Result)> evaluations, RunLog log)
    {
        using var publisher = OutputPublisher.Begin(target, inputs);
        var inv = CultureInfo.InvariantCulture;
        foreach (var (_, e) in evaluations)
        {
            var tracking = new StringBuilder("week,week_end,holdout,actual_repeat,predicted_repeat,actual_cumulative,predicted_cumulative\n");
            foreach (var r in e.Tracking)
            {
                tracking.Append(string.Create(inv, $"{r.Week},{r.WeekEnd:yyyy-MM-dd},{(r.Holdout ? "true" : "false")},{r.Actual},{r.Predicted:R},{r.ActualCumulative},{r.PredictedCumulative:R}\n"));
            }

            File.WriteAllText(publisher.PathOf($"tracking-{e.Model}.csv"), tracking.ToString());
            var deciles = new StringBuilder("decile,customers,mean_predicted,mean_actual\n");
            foreach (var d in e.Deciles)
            {
                deciles.Append(string.Create(inv, $"{d.Decile},{d.Customers},{d.MeanPredicted:R},{d.MeanActual:R}\n"));
            }

            File.WriteAllText(publisher.PathOf($"deciles-{e.Model}.csv"), deciles.ToString());
        }

        var json = System.Text.Json.JsonSerializer.Serialize(new
        {
            calibration_end = calEnd.ToString("yyyy-MM-dd", inv),
            holdout_end = holdoutEnd.ToString("yyyy-MM-dd", inv),
            models = evaluations.Select(e => new
            {
                model = e.Result.Model,
                fit = e.Fit,
                customers = e.Result.Customers,
                holdout_length_units = e.Result.HoldoutLengthUnits,
                mae = e.Result.MeanAbsoluteError,
                rmse = e.Result.RootMeanSquaredError,
                total_predicted = e.Result.TotalPredicted,
                total_actual = e.Result.TotalActual,
                bias = e.Result.Bias,
            }),
        }, EvaluationJson.Options);
        File.WriteAllText(publisher.PathOf("evaluation.json"), json + "\n");
        publisher.Commit();
        log.Info("clv", $"published the evaluation to {target}");
    }
}

internal static class EvaluationJson
{
    public static System.Text.Json.JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
    };
}
