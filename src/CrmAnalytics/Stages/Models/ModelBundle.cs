using System.Text.Json;
using System.Text.Json.Serialization;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Core.Clv.ModifiedBgNbd;
using CrmAnalytics.Core.Clv.ParetoNbd;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Rfm;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Stages.Models;

/// <summary>
/// What <c>crm fit</c> writes and <c>crm score --models</c> reads (<c>bundle.json</c>): every fitted parameter and every
/// cut-off that is relative to the whole population, so that runs over shards of it score each customer alike.
/// </summary>
/// <param name="Schema">Always <see cref="SchemaName"/>.</param>
/// <param name="ToolVersion">The crm version that fitted it; scoring refuses another (exit 3).</param>
/// <param name="AsOf">The as-of date of the fit.</param>
/// <param name="Customers">Customers in the input at the fit's as-of date.</param>
/// <param name="FittedOn">Customers the RFM breakpoints, value tier and CLV were fitted on (the sample, with <c>--fit-sample</c>).</param>
/// <param name="FitSample">The <c>--fit-sample</c> size, or null for all customers.</param>
/// <param name="FitSeed">The seed of the sample (see <see cref="FitSample.Draw"/>).</param>
/// <param name="Rfm">The RFM quintile breakpoints.</param>
/// <param name="TopShare">The value tier's share of customers, for the record; scoring uses <paramref name="ValueTierCut"/>.</param>
/// <param name="ValueTierCut">The last customer of the value tier; null when the tier is empty.</param>
/// <param name="Lifecycle">The lifecycle settings the bundle was fitted with; scoring uses them.</param>
/// <param name="Clv">The purchase and spend models; null when fitted with <c>--clv-model none</c>.</param>
/// <param name="Churn">The churn model and its band cut-offs; null when fitted with <c>--churn-trainer none</c>.</param>
internal sealed record ModelBundle(
    string Schema,
    int SchemaVersion,
    string ToolVersion,
    DateOnly AsOf,
    int Customers,
    int FittedOn,
    int? FitSample,
    int FitSeed,
    RfmBreakpoints Rfm,
    double TopShare,
    ValueTierCut? ValueTierCut,
    LifecycleOptions Lifecycle,
    BundleClv? Clv,
    BundleChurn? Churn)
{
    public const string SchemaName = "crm-model-bundle";

    /// <summary>Raised whenever the bundle's fields change meaning; scoring refuses another.</summary>
    public const int CurrentSchemaVersion = 1;

    public const string FileName = "bundle.json";

    public const string ChurnModelFileName = "churn-model.zip";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Save(string folder) =>
        File.WriteAllBytes(Path.Combine(folder, FileName), JsonSerializer.SerializeToUtf8Bytes(this, Json));

    /// <summary>Loads <c>bundle.json</c> from <paramref name="folder"/> (or the file itself).</summary>
    /// <exception cref="InputException">Missing, unreadable, or from another schema or tool version (exit 3).</exception>
    public static ModelBundle Load(string folder)
    {
        var path = Directory.Exists(folder) ? Path.Combine(folder, FileName) : folder;
        if (!File.Exists(path))
        {
            throw new InputException($"The model bundle {path} does not exist; write one with 'crm fit'.");
        }

        ModelBundle bundle;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            var schema = root.TryGetProperty("schema", out var s) ? s.ToString() : "(none)";
            var version = root.TryGetProperty("schema_version", out var v) ? v.ToString() : "(none)";
            var tool = root.TryGetProperty("tool_version", out var t) ? t.ToString() : "(none)";
            if (schema != SchemaName || version != CurrentSchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new InputException($"{path}: schema '{schema}' version {version} is not a model bundle this crm reads ({SchemaName} version {CurrentSchemaVersion}); refit it with 'crm fit'.");
            }

            if (tool != ToolInfo.Version)
            {
                throw new InputException($"{path}: the bundle was fitted by crm {tool}, and this is crm {ToolInfo.Version}; refit it with this version's 'crm fit' so that every shard scores with the same code.");
            }

            bundle = root.Deserialize<ModelBundle>(Json) ?? throw new JsonException("The bundle holds null.");
        }
        catch (JsonException ex)
        {
            throw new InputException($"{path}: not a model bundle ({ex.Message}).", ex);
        }

        return bundle with { Churn = bundle.Churn is { } churn ? churn with { ModelFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, churn.ModelFile) } : null };
    }

    /// <summary>
    /// The job scoring with this bundle: lifecycle settings from the bundle, the CLV model and time unit it was fitted
    /// in, its churn model, and its churn band cut-offs unless absolute <c>--churn-high/--churn-medium</c> are given.
    /// </summary>
    /// <exception cref="ConfigurationException">The job asks for CLV or churn and the bundle has none (exit 2).</exception>
    public ScoreJobOptions ApplyTo(ScoreJobOptions job)
    {
        var errors = new List<string>();
        if (job.Clv is not null && Clv is null)
        {
            errors.Add("The model bundle has no CLV models: fit it with CLV, or score with --clv-model none.");
        }

        if (job.Churn is not null && Churn is null)
        {
            errors.Add("The model bundle has no churn model: fit it with churn, or score with --churn-trainer none.");
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return job with
        {
            Models = this,
            Scoring = job.Scoring with { Lifecycle = Lifecycle, TopShare = TopShare },
            Clv = job.Clv is { } clv ? clv with { Model = Clv!.Model, TimeUnitDays = Clv.TimeUnitDays } : null,
            Churn = job.Churn is { } churn
                ? churn with
                {
                    ModelPath = Churn!.ModelFile,
                    Bands = churn.Bands.Thresholds is null
                        ? churn.Bands with { Thresholds = new ChurnRiskThresholds(Churn.HighCutoff ?? double.PositiveInfinity, Churn.MediumCutoff ?? Churn.HighCutoff ?? double.PositiveInfinity) }
                        : churn.Bands,
                }
                : null,
        };
    }

    /// <summary>The options with the bundle at <see cref="ScoreJobOptions.ModelsPath"/> applied; the options as they are without one.</summary>
    public static ScoreJobOptions Resolve(ScoreJobOptions job) =>
        job.ModelsPath is { } path && job.Models is null ? Load(path).ApplyTo(job) : job;
}

/// <summary>The fitted CLV models of a bundle.</summary>
/// <param name="Model">"bgnbd", "paretonbd" or "mbgnbd".</param>
/// <param name="TimeUnitDays">The time unit the purchase model was fitted in.</param>
internal sealed record BundleClv(string Model, double TimeUnitDays, FitResult Purchase, FitResult Spend)
{
    public IPurchaseModel PurchaseModel()
    {
        var e = Purchase.Estimates;
        return Model switch
        {
            "bgnbd" => new BgNbdModel(new BgNbdParameters(e[0], e[1], e[2], e[3]), Purchase),
            "paretonbd" => new ParetoNbdModel(new ParetoNbdParameters(e[0], e[1], e[2], e[3]), Purchase),
            "mbgnbd" => new ModifiedBgNbdModel(new ModifiedBgNbdParameters(e[0], e[1], e[2], e[3]), Purchase),
            _ => throw new InputException($"The model bundle's CLV model '{Model}' is unknown."),
        };
    }

    public GammaGammaModel SpendModel() => new(new GammaGammaParameters(Spend.Estimates[0], Spend.Estimates[1], Spend.Estimates[2]), Spend);
}

/// <summary>The churn model of a bundle (with its sidecar beside it) and the probability cut-offs of its rank bands.</summary>
/// <param name="ModelFile">Relative to the bundle folder in the file; absolute once loaded.</param>
/// <param name="HighCutoff">The lowest probability in <c>high</c> among the fitted customers; null when that band was empty.</param>
/// <param name="MediumCutoff">The lowest probability in <c>medium</c>; null when that band was empty.</param>
internal sealed record BundleChurn(string ModelFile, double? HighCutoff, double? MediumCutoff);
