using System.CommandLine;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.Cli.Churn;

/// <summary>What a run does about churn.</summary>
internal sealed record ChurnJobOptions
{
    public ChurnTrainingOptions Training { get; init; } = new();

    public int HorizonDays { get; init; } = 90;

    public ChurnRiskThresholds Thresholds { get; init; } = new();

    /// <summary>A trained model to score with; null trains one in the run.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Warn when the model's training as-of is more than this many days before the run's as-of.</summary>
    public int MaxModelAgeDays { get; init; } = 35;

    /// <summary>An optional customer attributes CSV joined on customer_id.</summary>
    public string? AttributesPath { get; init; }
}

/// <summary>The churn options shared by <c>score</c> and <c>churn train|evaluate|score</c>.</summary>
internal sealed class ChurnCommandOptions
{
    public Option<string> Trainer { get; } = new("--churn-trainer")
    {
        Description = "Churn classifier: lightgbm (default), fasttree or logistic ('none' skips churn in score).",
        DefaultValueFactory = _ => "lightgbm",
    };

    /// <summary>The longest <c>--churn-horizon</c>: ten years.</summary>
    public const int MaxHorizonDays = 3653;

    public Option<int> Horizon { get; } = new("--churn-horizon") { Description = "Churn horizon in days: churned = no purchase in this many days after the cut-off.", DefaultValueFactory = _ => 90 };

    public Option<int> Seed { get; } = new("--churn-seed") { Description = "Seed of the classifier and the calibration split.", DefaultValueFactory = _ => 1 };

    public Option<int> Trees { get; } = new("--churn-trees") { Description = "Boosting rounds of the tree models.", DefaultValueFactory = _ => 100 };

    public Option<int> Leaves { get; } = new("--churn-leaves") { Description = "Leaves per tree.", DefaultValueFactory = _ => 16 };

    public Option<double> LearningRate { get; } = new("--churn-learning-rate") { Description = "Boosting learning rate.", DefaultValueFactory = _ => 0.05 };

    public Option<double> High { get; } = new("--churn-high") { Description = "churn_risk is high at or above this probability.", DefaultValueFactory = _ => 0.7 };

    public Option<double> Medium { get; } = new("--churn-medium") { Description = "churn_risk is medium at or above this probability (below --churn-high).", DefaultValueFactory = _ => 0.4 };

    public Option<FileInfo?> Model { get; } = new("--churn-model") { Description = "Score with this trained model (crm churn train) instead of training in the run." };

    public Option<int> MaxModelAge { get; } = new("--churn-max-model-age-days") { Description = "Warn when the model was trained on data more than this many days older than the run's as-of.", DefaultValueFactory = _ => 35 };

    public Option<FileInfo?> Attributes { get; } = new("--customers") { Description = "Customer attributes CSV (customer_id + columns) whose numeric and categorical columns become churn features." };

    private bool _bands;
    private bool _model;

    public void AddTo(Command command, bool includeNone, bool includeModel, bool includeBands)
    {
        (_bands, _model) = (includeBands, includeModel);
        Trainer.AcceptOnlyFromAmong(includeNone ? ["lightgbm", "fasttree", "logistic", "none"] : ["lightgbm", "fasttree", "logistic"]);
        var options = new List<Option> { Trainer, Horizon, Seed, Trees, Leaves, LearningRate, Attributes };
        if (includeBands)
        {
            options.AddRange([High, Medium]);
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
            Trainer = trainer switch { "fasttree" => ChurnTrainer.FastTree, "logistic" => ChurnTrainer.Logistic, _ => ChurnTrainer.LightGbm },
            Seed = parse.GetValue(Seed),
            Trees = parse.GetValue(Trees),
            Leaves = parse.GetValue(Leaves),
            LearningRate = parse.GetValue(LearningRate),
        };
        errors.AddRange(training.Validate());
        var horizon = parse.GetValue(Horizon);
        if (horizon is < 7 or > MaxHorizonDays)
        {
            // Training and evaluation step back two horizons from the as-of date; ten years keeps that inside the calendar.
            errors.Add($"--churn-horizon must be 7 to {MaxHorizonDays} days.");
        }

        var thresholds = _bands ? new ChurnRiskThresholds(parse.GetValue(High), parse.GetValue(Medium)) : new ChurnRiskThresholds();
        errors.AddRange(thresholds.Validate());
        return new ChurnJobOptions
        {
            Training = training,
            HorizonDays = horizon,
            Thresholds = thresholds,
            ModelPath = _model ? parse.GetValue(Model)?.FullName : null,
            MaxModelAgeDays = _model ? parse.GetValue(MaxModelAge) : new ChurnJobOptions().MaxModelAgeDays,
            AttributesPath = parse.GetValue(Attributes)?.FullName,
        };
    }
}
