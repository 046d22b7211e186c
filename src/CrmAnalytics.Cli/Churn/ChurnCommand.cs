using System.CommandLine;
using System.Globalization;
using System.Text;
using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Models;
using CrmAnalytics.Cli.Clv;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Cli.Score;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Attributes;
using CrmAnalytics.Stages;
using CrmAnalytics.Stages.Churn;
using CrmAnalytics.Stages.Input;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Cli.Churn;

/// <summary><c>crm churn train|evaluate|score</c>: churn models as files, their time-split evaluation, scoring with a saved model.</summary>
internal static class ChurnCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("churn", "Train, evaluate and score churn models (ML.NET LightGBM, FastTree or logistic regression).");
        command.Subcommands.Add(CreateTrainOrEvaluate(context, train: true));
        command.Subcommands.Add(CreateTrainOrEvaluate(context, train: false));
        command.Subcommands.Add(ContactPlanCommand.Create(context));
        command.Subcommands.Add(ScoreCommand.Create(context, "score",
            "Score with a saved model (--churn-model): the same outputs as 'crm score', refusing a model whose feature schema does not match.",
            churnModelRequired: true));
        return command;
    }

    private static Command CreateTrainOrEvaluate(CliContext context, bool train)
    {
        var input = new TransactionInputOptions();
        var clv = new ClvCommandOptions();
        var churn = new ChurnCommandOptions();
        var modelOut = new Option<FileInfo>("--model-out") { Description = "Model file to write (ML.NET zip); its JSON sidecar is written beside it.", Required = true };
        var surveys = new Option<FileInfo?>("--surveys") { Description = "NPS survey export: each customer's latest dated score before the cut-off becomes the nps_score feature; read with the --survey-* options." };
        var survey = new SurveyInputOptions("survey-");
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Folder for evaluation.json, calibration.csv and deciles.csv (published atomically)." };
        var command = train
            ? new Command("train", "Train the churn model at as-of − horizon (labels observed up to the as-of date), evaluate the recipe one horizon earlier, and save the model with its sidecar.")
            : new Command("evaluate", "Time-split evaluation: train at as-of − 2 × horizon, test at as-of − horizon; AUC, PR-AUC, log-loss, Brier, calibration and lift against the recency and BG/NBD baselines.");
        input.AddTo(command);
        clv.AddTo(command, includeNone: true);
        churn.AddTo(command, includeNone: false, includeModel: false, includeBands: false);
        command.Options.Add(train ? modelOut : outDir);
        command.Options.Add(surveys);
        survey.AddTo(command);
        command.SetAction((parse, ct) => context.RunAsync(parse, async log =>
        {
            var errors = new List<string>();
            var read = input.Build(parse, context.Clock);
            var clvOptions = clv.Build(parse, 1.0, errors);
            var options = churn.Build(parse, errors)!;
            if (train)
            {
                errors.AddRange(ChurnModelFile.CheckModelPath(parse.GetValue(modelOut)!.FullName));
            }

            if (errors.Count > 0)
            {
                throw new ConfigurationException(string.Join(Environment.NewLine, errors));
            }

            string[] inputFiles = [parse.GetValue(input.Transactions)!.FullName, .. new[] { options.AttributesPath, parse.GetValue(surveys)?.FullName }.OfType<string>()];
            if (!train && parse.GetValue(outDir) is { } target)
            {
                OutputOwnership.ThrowIfNotReplaceable(target.FullName, inputFiles);
            }

            var (result, _) = await TransactionIngest.ReadAsync(parse.GetValue(input.Transactions)!.FullName, read, NullRejectSink.Instance, log, ct).ConfigureAwait(false);
            var asOf = input.Check(parse, result, read, log);
            var attributes = options.AttributesPath is { } a ? CustomerAttributesReader.Read(a, NullRejectSink.Instance).Attributes : null;
            IReadOnlyList<Core.Nps.SurveyResponse>? responses = null;
            if (parse.GetValue(surveys) is { } surveyFile)
            {
                var surveyErrors = new List<string>();
                var surveyOptions = survey.Build(parse, asOf, surveyErrors);
                if (surveyErrors.Count > 0)
                {
                    throw new ConfigurationException(string.Join(Environment.NewLine, surveyErrors));
                }

                var (surveyResult, _) = await Stages.Nps.NpsStage.ReadAsync(surveyFile.FullName, surveyOptions, NullRejectSink.Instance, log, ct).ConfigureAwait(false);
                Stages.Nps.NpsStage.Check(surveyResult, parse.GetValue(input.MaxRejectRate), log);
                responses = surveyResult.Responses;
            }

            var inputs = new ChurnInputs { Scoring = new CustomerScoringOptions(), Clv = clvOptions, Surveys = responses, Attributes = attributes };
            var output = context.Output;
            var horizon = ChurnWorkflow.ChooseHorizon(result.Builder, asOf, options.HorizonDays);
            ChurnStage.LogHorizon(horizon, log);
            // Training cannot check the token (native LightGBM): stop waiting on cancel, as the library's stages do.
            if (train)
            {
                var trained = await Task.Run(() => ChurnWorkflow.Train(result.Builder, asOf, horizon.Days, inputs, options.Training), ct).WaitAsync(ct).ConfigureAwait(false);
                var info = ChurnModelFile.Describe(trained, options.Training, horizon, ToolInfo.Version, clvOptions?.Model);
                var path = parse.GetValue(modelOut)!.FullName;
                ChurnModelFile.Save(path, trained.Model, info);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"trained {info.Trainer} as of {asOf:yyyy-MM-dd}: features from before {trained.TrainingCutoff:yyyy-MM-dd}, {trained.Rows:N0} active customers, {trained.Churned:N0} churned in the next {horizon.Days} days"));
                Print(output, trained.Evaluation);
                output.WriteLine($"model: {path}");
                output.WriteLine($"sidecar: {ChurnModelFile.SidecarPath(path)}");
            }
            else
            {
                var evaluation = await Task.Run(() => ChurnWorkflow.Evaluate(result.Builder, asOf, horizon.Days, inputs, options.Training), ct).WaitAsync(ct).ConfigureAwait(false);
                Print(output, evaluation);
                if (parse.GetValue(outDir) is { } dir)
                {
                    Publish(dir.FullName, inputFiles, evaluation, log);
                }
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static void Print(TextWriter output, ChurnEvaluationResult e)
    {
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv,
            $"evaluation: trained at {e.TrainCutoff:yyyy-MM-dd} ({e.TrainRows:N0} active customers, {e.TrainChurned:N0} churned{(e.TrainRowsUsed < e.TrainRows ? $"; classifier on a stratified sample of {e.TrainRowsUsed:N0}" : "")}), calibrated at {e.CalibrationCutoff:yyyy-MM-dd}, tested at {e.TestCutoff:yyyy-MM-dd} over the next {e.HorizonDays} days; active = a purchase in the {e.ActiveDays} days before the cut-off"));
        foreach (var (population, model, baselines) in new[] { ("active base", e.Model, e.Baselines), ("all customers", e.All.Model, e.All.Baselines) })
        {
            output.WriteLine($"  {population}:");
            output.WriteLine("  score                     customers  churned     AUC  PR-AUC  log-loss   Brier  top-10% lift  top-10% capture");
            foreach (var m in new[] { model }.Concat(baselines))
            {
                output.WriteLine(string.Create(inv,
                    $"  {m.Name,-24} {m.Count,10:N0} {m.Churned,8:N0}  {m.Auc,6:F4}  {m.PrAuc,6:F4}  {Format(m.LogLoss),8}  {Format(m.Brier),6}  {m.TopDecileLift,12:F3}  {m.TopDecileCapture,15:P1}"));
            }
        }

        output.WriteLine("  calibration (model):  active base: predicted  observed  customers    gap  | all customers: predicted  observed  customers    gap");
        var active = e.Model.Calibration ?? [];
        var all = e.All.Model.Calibration ?? [];
        for (var i = 0; i < Math.Min(active.Count, all.Count); i++)
        {
            var (b, c) = (active[i], all[i]);
            output.WriteLine(string.Create(inv,
                $"    [{b.Lower:F1}, {b.Upper:F1})  {b.MeanPredicted,23:F3}  {b.ObservedRate,8:F3}  {b.Count,9:N0}  {Gap(b)}  | {c.MeanPredicted,24:F3}  {c.ObservedRate,8:F3}  {c.Count,9:N0}  {Gap(c)}"));
        }

        foreach (var (population, m) in new[] { ("active base", e.Model), ("all customers", e.All.Model) })
        {
            if (m.LargestCalibrationGap is { } g)
            {
                output.WriteLine(string.Create(inv,
                    $"  largest calibration gap, {population} (bins with at least {g.MinShare:P0} of the customers): {g.Gap * 100:+0.0;-0.0;0.0} points in [{g.Lower:F1}, {g.Upper:F1}) ({g.Count:N0} customers)"));
            }
        }

        string Format(double? value) => value is { } v ? v.ToString("F4", inv) : "n/a";
        string Gap(CalibrationBin b) => b.Count > 0 ? ((b.MeanPredicted - b.ObservedRate) * 100).ToString("+0.0;-0.0;0.0", inv).PadLeft(5) : "    –";
    }

    private static void Publish(string target, string[] inputs, ChurnEvaluationResult evaluation, RunLog log)
    {
        using var publisher = OutputPublisher.Begin(target, inputs);
        var inv = CultureInfo.InvariantCulture;
        var calibration = new StringBuilder("bin,lower,upper,customers,mean_predicted,observed_rate\n");
        foreach (var b in evaluation.Model.Calibration ?? [])
        {
            calibration.Append(string.Create(inv, $"{b.Bin},{b.Lower:R},{b.Upper:R},{b.Count},{b.MeanPredicted:R},{b.ObservedRate:R}\n"));
        }

        File.WriteAllText(publisher.PathOf("calibration.csv"), calibration.ToString());
        var deciles = new StringBuilder("score,decile,customers,churned,churn_rate,lift,cumulative_capture,mean_score\n");
        foreach (var m in new[] { evaluation.Model }.Concat(evaluation.Baselines))
        {
            foreach (var d in m.Deciles)
            {
                deciles.Append(string.Create(inv, $"{m.Name},{d.Decile},{d.Count},{d.Churned},{d.Rate:R},{d.Lift:R},{d.CumulativeCapture:R},{d.MeanScore:R}\n"));
            }
        }

        File.WriteAllText(publisher.PathOf("deciles.csv"), deciles.ToString());
        File.WriteAllText(publisher.PathOf("evaluation.json"), System.Text.Json.JsonSerializer.Serialize(evaluation, EvaluationJson.Options) + "\n");
        publisher.Commit();
        log.Info("churn", $"published the evaluation to {target}");
    }
}
