using System.Text.Json;
using System.Text.Json.Serialization;
using CrmAnalytics.Churn.Evaluation;
using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Churn;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace CrmAnalytics.Churn.Models;

/// <summary>A model read back from disk with its sidecar.</summary>
public sealed record LoadedChurnModel(ChurnModel Model, ChurnModelInfo Info);

/// <summary>
/// Saves and loads churn models: the ML.NET pipeline as a zip (<c>model.zip</c>) and the sidecar beside it with the
/// same name and a <c>.json</c> extension. Both are written to temporary files first and renamed into place.
/// </summary>
public static class ChurnModelFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string SidecarPath(string modelPath) => Path.ChangeExtension(modelPath, ".json");

    /// <param name="clvModel">The purchase model of the training inputs' CLV features; null when trained without CLV.</param>
    public static ChurnModelInfo Describe(ChurnTrainingResult result, ChurnTrainingOptions options, ChurnHorizonChoice horizon, string toolVersion, string? clvModel)
    {
        ArgumentNullException.ThrowIfNull(horizon);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        return new ChurnModelInfo
        {
            ToolVersion = toolVersion,
            Trainer = options.Trainer.ToString().ToLowerInvariant(),
            Seed = options.Seed,
            HorizonDays = result.HorizonDays,
            Horizon = horizon,
            AsOf = result.AsOf,
            TrainingCutoff = result.TrainingCutoff,
            CalibrationCutoff = result.CalibrationCutoff,
            TrainingRows = result.Rows,
            TrainingRowsUsed = result.RowsUsed,
            TrainingChurned = result.Churned,
            Features = ChurnModelInfo.Describe(result.Model.Schema),
            ClvModel = clvModel,
            Calibration = ChurnCalibrationInfo.From(result.Model.Calibration),
            Options = options,
            Evaluation = result.Evaluation,
        };
    }

    /// <summary>
    /// Every reason <paramref name="modelPath"/> cannot take a model: it must name a file (not a folder or a root), and the
    /// sidecar (the same name with .json) must be another file, so a model path ending in .json is refused.
    /// </summary>
    public static IEnumerable<string> CheckModelPath(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var full = Path.GetFullPath(modelPath);
        if (Directory.Exists(full) || string.IsNullOrEmpty(Path.GetFileName(full)) || Path.GetDirectoryName(full) is null)
        {
            yield return $"--model-out {modelPath} is a folder; name the model file, e.g. {Path.Combine(modelPath, "churn.zip")}.";
        }
        else if (string.Equals(Path.GetFullPath(SidecarPath(full)), full, StringComparison.Ordinal))
        {
            yield return $"--model-out {modelPath} would be overwritten by its own JSON sidecar ({Path.GetFileName(SidecarPath(full))}); use a .zip name, e.g. {Path.ChangeExtension(modelPath, ".zip")}.";
        }
    }

    /// <exception cref="OutputException">The files cannot be written.</exception>
    public static void Save(string modelPath, ChurnModel model, ChurnModelInfo info)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(info);
        var sidecar = SidecarPath(modelPath);
        var tempModel = modelPath + ".tmp";
        var tempSidecar = sidecar + ".tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(modelPath))!);
            model.Context.Model.Save(model.Transformer, model.InputSchema, tempModel);
            File.WriteAllText(tempSidecar, ToJson(info) + "\n");
            File.Move(tempModel, modelPath, overwrite: true);
            File.Move(tempSidecar, sidecar, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(tempModel);
            File.Delete(tempSidecar);
            throw new OutputException($"The churn model cannot be written to {modelPath}: {ex.Message}", ex);
        }
    }

    public static string ToJson(ChurnModelInfo info) => JsonSerializer.Serialize(info, Json);

    /// <summary>Loads a model and checks that its sidecar and pipeline agree.</summary>
    /// <exception cref="InputException">A file is missing or unreadable, or the sidecar does not describe the pipeline (exit code 3).</exception>
    public static LoadedChurnModel Load(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var sidecar = SidecarPath(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new InputException($"The churn model {modelPath} does not exist.");
        }

        if (!File.Exists(sidecar))
        {
            throw new InputException($"The churn model's sidecar {sidecar} does not exist; a model file is only usable with its sidecar.");
        }

        ChurnModelInfo info;
        try
        {
            info = JsonSerializer.Deserialize<ChurnModelInfo>(File.ReadAllText(sidecar), Json)
                ?? throw new JsonException("The sidecar holds null.");
        }
        catch (JsonException ex)
        {
            throw new InputException($"{sidecar}: not a churn model sidecar ({ex.Message}).", ex);
        }

        if (info.Format != ChurnModelInfo.CurrentFormat)
        {
            throw new InputException($"{sidecar}: format '{info.Format}' is not '{ChurnModelInfo.CurrentFormat}'; retrain the model with this version.");
        }

        var schema = info.ToSchema();
        var problems = schema.Problems();
        if (problems.Count > 0)
        {
            throw new InputException($"{sidecar}: the feature schema does not match this version: {string.Join("; ", problems)}.");
        }

        var ml = new MLContext(info.Seed);
        ITransformer transformer;
        DataViewSchema inputSchema;
        try
        {
            transformer = ml.Model.Load(modelPath, out inputSchema);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or IOException or InvalidDataException or ArgumentException)
        {
            throw new InputException($"{modelPath}: not an ML.NET model ({ex.Message}).", ex);
        }

        var features = inputSchema.GetColumnOrNull(Training.ChurnRows.FeaturesColumn);
        if (features is not { Type: VectorDataViewType vector } || vector.Size != schema.Count)
        {
            throw new InputException($"{modelPath}: its input vector does not have the {schema.Count} features its sidecar lists; the files do not belong together.");
        }

        if (!Enum.TryParse<ChurnTrainer>(info.Trainer, ignoreCase: true, out var trainer))
        {
            throw new InputException($"{sidecar}: unknown trainer '{info.Trainer}'.");
        }

        var calibration = info.Calibration.ToCalibration()
            ?? throw new InputException($"{sidecar}: the calibration '{info.Calibration.Method}' is incomplete or unknown.");
        var model = new ChurnModel(ml, transformer, inputSchema, schema, calibration, trainer);
        return new LoadedChurnModel(model, info);
    }
}
