using System.CommandLine;
using System.Globalization;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Stages.Churn;

namespace CrmAnalytics.Cli.Churn;

/// <summary>The churn options shared by <c>score</c> and <c>churn train|evaluate|score</c>.</summary>
internal sealed class ChurnCommandOptions
{
    private static readonly ChurnTrainingOptions TrainingDefaults = new();
    private static readonly ChurnBandOptions BandDefaults = new();

    private static readonly ChurnRiskThresholds ThresholdDefaults = new();

    public Option<string> Trainer { get; } = new("--churn-trainer")
    {
        Description = "Churn classifier: lightgbm (default), fasttree or logistic ('none' skips churn in score).",
        DefaultValueFactory = _ => "lightgbm",
    };

    /// <summary>The longest <c>--churn-horizon</c>: ten years.</summary>
    public const int MaxHorizonDays = 3653;

    public Option<string> Horizon { get; } = new("--churn-horizon")
    {
        Description = "Churn horizon: churned = no purchase in this many days after the cut-off; 'auto' (default) takes the 80th percentile of the days between repeat purchases, in whole weeks, clamped to 28 … min(365, a third of the history).",
        DefaultValueFactory = _ => "auto",
    };

    public Option<int> ActiveDays { get; } = new("--churn-active-days")
    {
        Description = "The churn base: customers with a purchase in this many days before the cut-off; the rest are 'lapsed' (default: the lifecycle active window, 365).",
        DefaultValueFactory = _ => TrainingDefaults.ActiveDays,
    };

    public Option<string> Calibration { get; } = new("--churn-calibration")
    {
        Description = "How raw scores become probabilities, fitted on the most recent labelled period: platt (default), isotonic, or seasonal (platt moved by last year's change to the predicted period).",
        DefaultValueFactory = _ => "platt",
    };

    public Option<int> Seed { get; } = new("--churn-seed") { Description = "Seed of the classifier and the calibration split.", DefaultValueFactory = _ => TrainingDefaults.Seed };

    public Option<int> Trees { get; } = new("--churn-trees") { Description = "Boosting rounds of the tree models.", DefaultValueFactory = _ => TrainingDefaults.Trees };

    public Option<int> TrainMaxRows { get; } = new("--churn-train-max-rows")
    {
        Description = "Train the classifier on a seeded sample of at most this many active customers, stratified by the churn label; 0 trains on all (calibration always uses all).",
        DefaultValueFactory = _ => ChurnTrainingOptions.DefaultTrainMaxRows,
    };

    public Option<int> Leaves { get; } = new("--churn-leaves") { Description = "Leaves per tree.", DefaultValueFactory = _ => TrainingDefaults.Leaves };

    public Option<double> LearningRate { get; } = new("--churn-learning-rate") { Description = "Boosting learning rate.", DefaultValueFactory = _ => TrainingDefaults.LearningRate };

    public Option<double> HighShare { get; } = new("--churn-high-share") { Description = "churn_risk is high for this share of the active base with the highest probabilities.", DefaultValueFactory = _ => BandDefaults.HighShare };

    public Option<double> MediumShare { get; } = new("--churn-medium-share") { Description = "churn_risk is medium for the next share of the active base.", DefaultValueFactory = _ => BandDefaults.MediumShare };

    public Option<double?> High { get; } = new("--churn-high") { Description = string.Create(CultureInfo.InvariantCulture, $"Absolute bands instead of shares: high at or above this probability (with --churn-medium; default {ThresholdDefaults.High}).") };

    public Option<double?> Medium { get; } = new("--churn-medium") { Description = string.Create(CultureInfo.InvariantCulture, $"Absolute bands instead of shares: medium at or above this probability (with --churn-high; default {ThresholdDefaults.Medium}).") };

    public Option<int> ListMax { get; } = new("--churn-list-max") { Description = "The most customers segments/churn-warning.csv lists.", DefaultValueFactory = _ => ChurnJobOptions.DefaultListMax };

    public Option<FileInfo?> ContactPlan { get; } = new("--churn-contact-plan") { Description = "Contact-plan rules (JSON) giving each warning-list customer an action and a contact deadline; 'crm churn contact-plan' prints the default." };

    public Option<FileInfo?> Model { get; } = new("--churn-model") { Description = "Score with this trained model (crm churn train) instead of training in the run." };

    public Option<int> MaxModelAge { get; } = new("--churn-max-model-age-days") { Description = "Warn when the model was trained on data more than this many days older than the run's as-of.", DefaultValueFactory = _ => ChurnJobOptions.DefaultMaxModelAgeDays };

    public Option<FileInfo?> Attributes { get; } = new("--customers") { Description = "Customer attributes CSV (customer_id + columns) whose numeric and categorical columns become churn features." };

    private bool _bands;
    private bool _model;

    public ChurnCommandOptions()
    {
        Horizon.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>() ?? "auto";
            if (!TryParseHorizon(text, out _))
            {
                result.AddError($"--churn-horizon must be 'auto' or a number of days, 7 to {MaxHorizonDays} (got '{text}').");
            }
        });
    }

    /// <summary>"auto" (null days) or a whole number of days, 7 to <see cref="MaxHorizonDays"/> (training steps back three horizons; ten years keeps that inside the calendar).</summary>
    private static bool TryParseHorizon(string text, out int? days)
    {
        days = null;
        if (text == "auto")
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 7 and <= MaxHorizonDays)
        {
            days = n;
            return true;
        }

        return false;
    }

    public void AddTo(Command command, bool includeNone, bool includeModel, bool includeBands)
    {
        (_bands, _model) = (includeBands, includeModel);
        Trainer.AcceptOnlyFromAmong(includeNone ? [.. ChurnTrainerNames.All, "none"] : [.. ChurnTrainerNames.All]);
        Calibration.AcceptOnlyFromAmong("platt", "isotonic", "seasonal");
        var options = new List<Option> { Trainer, Horizon, ActiveDays, Calibration, Seed, Trees, Leaves, LearningRate, TrainMaxRows, Attributes };
        if (includeBands)
        {
            options.AddRange([HighShare, MediumShare, High, Medium, ListMax, ContactPlan]);
        }

        if (includeModel)
        {
            options.AddRange([Model, MaxModelAge]);
        }

        foreach (var o in options)
        {
            command.Options.Add(o);
        }
    }

    /// <summary>The churn settings, or null for <c>--churn-trainer none</c>; problems are added to <paramref name="errors"/>.</summary>
    public ChurnJobOptions? Build(ParseResult parse, List<string> errors)
    {
        var trainer = parse.GetValue(Trainer) ?? "lightgbm";
        if (trainer == "none")
        {
            return null;
        }

        var training = new ChurnTrainingOptions
        {
            Trainer = ChurnTrainerNames.TryParse(trainer, out var chosen) ? chosen : ChurnTrainer.LightGbm,
            Seed = parse.GetValue(Seed),
            Trees = parse.GetValue(Trees),
            Leaves = parse.GetValue(Leaves),
            LearningRate = parse.GetValue(LearningRate),
            TrainMaxRows = parse.GetValue(TrainMaxRows),
            ActiveDays = parse.GetValue(ActiveDays),
            Calibration = parse.GetValue(Calibration) switch { "isotonic" => ChurnCalibrationMethod.Isotonic, "seasonal" => ChurnCalibrationMethod.Seasonal, _ => ChurnCalibrationMethod.Platt },
        };
        errors.AddRange(training.Validate());
        TryParseHorizon(parse.GetValue(Horizon) ?? "auto", out var horizon);
        var bands = BandDefaults;
        var listMax = ChurnJobOptions.DefaultListMax;
        if (_bands)
        {
            var (high, medium) = (parse.GetValue(High), parse.GetValue(Medium));
            bands = new ChurnBandOptions
            {
                HighShare = parse.GetValue(HighShare),
                MediumShare = parse.GetValue(MediumShare),
                Thresholds = high is null && medium is null ? null : new ChurnRiskThresholds(high ?? ThresholdDefaults.High, medium ?? ThresholdDefaults.Medium),
            };
            listMax = parse.GetValue(ListMax);
            if (listMax < 1)
            {
                errors.Add("--churn-list-max must be at least 1.");
            }
        }

        errors.AddRange(bands.Validate());
        var planPath = _bands ? parse.GetValue(ContactPlan)?.FullName : null;
        var plan = Core.Churn.ContactPlan.Default;
        if (planPath is not null)
        {
            try
            {
                plan = Core.Churn.ContactPlan.Load(planPath);
            }
            catch (Core.ConfigurationException ex)
            {
                errors.Add(ex.Message);
            }
        }

        return new ChurnJobOptions
        {
            Training = training,
            HorizonDays = horizon,
            Bands = bands,
            ListMax = listMax,
            ContactPlanPath = planPath,
            ContactPlan = plan,
            ModelPath = _model ? parse.GetValue(Model)?.FullName : null,
            MaxModelAgeDays = _model ? parse.GetValue(MaxModelAge) : new ChurnJobOptions().MaxModelAgeDays,
            AttributesPath = parse.GetValue(Attributes)?.FullName,
        };
    }
}
