using System.Globalization;
using System.CommandLine;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Value;

namespace CrmAnalytics.Cli.Clv;

/// <summary>The CLV options shared by <c>score</c> and <c>clv fit|evaluate</c>.</summary>
internal sealed class ClvCommandOptions
{
    /// <summary>The one source of these flags' defaults.</summary>
    private static readonly ClvScoringOptions Defaults = new();

    private bool _scoring;

    public Option<string> Model { get; } = new("--clv-model")
    {
        Description = "Purchase model: bgnbd (default), paretonbd or mbgnbd ('none' skips CLV in score).",
        DefaultValueFactory = _ => Defaults.Model,
    };

    /// <summary>Only <c>score</c> (which runs the holdout check) takes it.</summary>
    public Option<string> IntervalLevel { get; } = new("--clv-interval-level")
    {
        Description = "Level of the CLV columns' prediction intervals (_lo/_hi), a fraction in (0, 1); 0 or 'none' writes none.",
        DefaultValueFactory = _ => Defaults.IntervalLevel.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Only <c>score</c> takes the covariate options.</summary>
    public Option<string?> Covariates { get; } = new("--clv-covariates")
    {
        Description = "Comma-separated --customers columns acting on the purchase rate (static covariates; bgnbd or paretonbd): numeric columns as they are, others dummy-coded against their first level.",
    };

    public Option<string?> DropoutCovariates { get; } = new("--clv-covariates-dropout")
    {
        Description = "Comma-separated --customers columns acting on the dropout process (Pareto/NBD β; BG/NBD a and b).",
    };

    public Option<double> CovariatePenalizer { get; } = new("--clv-covariate-penalizer")
    {
        Description = "L2 penalty λ on the covariate coefficients (objective −LL/N + λΣγ², as CLVTools' reg.lambdas); 0 = none.",
        DefaultValueFactory = _ => Defaults.Covariates.Penalizer,
    };

    public Option<int> HorizonMonths { get; } = new("--clv-horizon-months") { Description = "CLV horizon in 30.4375-day months.", DefaultValueFactory = _ => Defaults.Value.HorizonMonths };

    public Option<double> DiscountRate { get; } = new("--discount-rate") { Description = "Monthly discount rate of the CLV.", DefaultValueFactory = _ => Defaults.Value.MonthlyDiscountRate };

    public Option<double> Penalizer { get; } = new("--penalizer") { Description = "L2 penalty on the model parameters (lifetimes' penalizer_coef); 0 = plain maximum likelihood.", DefaultValueFactory = _ => Defaults.Fit.Penalizer };

    public Option<double> TimeUnitDays { get; } = new("--time-unit-days") { Description = "Model time unit in days (7 = weeks, as the published parameters).", DefaultValueFactory = _ => Defaults.TimeUnitDays };

    /// <param name="includeNone">Whether <c>none</c> (no CLV) is accepted.</param>
    /// <param name="scoring">
    /// <c>crm score</c>: <c>auto</c> is accepted and the default (it needs the run's holdout check), and
    /// <c>--clv-interval-level</c> is added.
    /// </param>
    public void AddTo(Command command, bool includeNone, bool scoring = false)
    {
        Model.AcceptOnlyFromAmong([.. ClvScoringOptions.Models, .. scoring ? new[] { ClvScoringOptions.Auto } : [], .. includeNone ? new[] { "none" } : []]);
        _scoring = scoring;
        if (scoring)
        {
            Model.Description = "Purchase model: auto (default: the lowest holdout MAE of bgnbd, paretonbd and mbgnbd), bgnbd, paretonbd, mbgnbd, or none (no CLV).";
            Model.DefaultValueFactory = _ => ClvScoringOptions.Auto;
            command.Options.Add(IntervalLevel);
            command.Options.Add(Covariates);
            command.Options.Add(DropoutCovariates);
            command.Options.Add(CovariatePenalizer);
        }

        foreach (var o in new Option[] { Model, HorizonMonths, DiscountRate, Penalizer, TimeUnitDays })
        {
            command.Options.Add(o);
        }
    }

    /// <summary>The CLV settings, or null for <c>--clv-model none</c>; problems are added to <paramref name="errors"/>.</summary>
    public ClvScoringOptions? Build(ParseResult parse, double margin, List<string> errors)
    {
        var model = parse.GetValue(Model) ?? "bgnbd";
        if (model == "none")
        {
            return null;
        }

        var options = new ClvScoringOptions
        {
            Model = model,
            IntervalLevel = _scoring ? ParseLevel(parse.GetValue(IntervalLevel), errors) : 0,
            TimeUnitDays = parse.GetValue(TimeUnitDays),
            Fit = new FitOptions { Penalizer = parse.GetValue(Penalizer) },
            Value = new ClvOptions
            {
                HorizonMonths = parse.GetValue(HorizonMonths),
                MonthlyDiscountRate = parse.GetValue(DiscountRate),
                Margin = margin,
            },
            Covariates = _scoring ? new Core.Clv.Covariates.CovariateOptions
            {
                Purchase = Columns(parse.GetValue(Covariates)),
                Dropout = Columns(parse.GetValue(DropoutCovariates)),
                Penalizer = parse.GetValue(CovariatePenalizer),
            } : new(),
        };
        errors.AddRange(options.Validate());
        return options;
    }

    private static string[] Columns(string? list) => list?.Split(',', StringSplitOptions.TrimEntries) ?? [];

    /// <summary>A fraction, or 0 / none for no intervals.</summary>
    private static double ParseLevel(string? text, List<string> errors)
    {
        if (text is null || text == "0" || text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var level))
        {
            return level;
        }

        errors.Add($"--clv-interval-level must be a fraction in (0, 1), 0 or none (got '{text}').");
        return 0;
    }
}
