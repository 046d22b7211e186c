using System.CommandLine;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Value;

namespace CrmAnalytics.Cli.Clv;

/// <summary>The CLV options shared by <c>score</c> and <c>clv fit|evaluate</c>.</summary>
internal sealed class ClvCommandOptions
{
    public Option<string> Model { get; } = new("--clv-model")
    {
        Description = "Purchase model: bgnbd (default), paretonbd or mbgnbd ('none' skips CLV in score).",
        DefaultValueFactory = _ => "bgnbd",
    };

    public Option<int> HorizonMonths { get; } = new("--clv-horizon-months") { Description = "CLV horizon in 30.4375-day months.", DefaultValueFactory = _ => 12 };

    public Option<double> DiscountRate { get; } = new("--discount-rate") { Description = "Monthly discount rate of the CLV.", DefaultValueFactory = _ => 0.01 };

    public Option<double> Penalizer { get; } = new("--penalizer") { Description = "L2 penalty on the model parameters (lifetimes' penalizer_coef); 0 = plain maximum likelihood.", DefaultValueFactory = _ => 0.0 };

    public Option<double> TimeUnitDays { get; } = new("--time-unit-days") { Description = "Model time unit in days (7 = weeks, as the published parameters).", DefaultValueFactory = _ => 7.0 };

    public void AddTo(Command command, bool includeNone)
    {
        Model.AcceptOnlyFromAmong(includeNone ? [.. ClvScoringOptions.Models, "none"] : [.. ClvScoringOptions.Models]);
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
            TimeUnitDays = parse.GetValue(TimeUnitDays),
            Fit = new FitOptions { Penalizer = parse.GetValue(Penalizer) },
            Value = new ClvOptions
            {
                HorizonMonths = parse.GetValue(HorizonMonths),
                MonthlyDiscountRate = parse.GetValue(DiscountRate),
                Margin = margin,
            },
        };
        errors.AddRange(options.Validate());
        return options;
    }
}
