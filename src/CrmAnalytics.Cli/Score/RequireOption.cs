namespace CrmAnalytics.Cli.Score;

/// <summary>
/// <c>--require clv,churn</c>: the models whose failure still fails the run (exit 5) instead of being skipped
/// (<see cref="Stages.Score.ScoreJobOptions.RequireClv"/>, <see cref="Stages.Score.ScoreJobOptions.RequireChurn"/>).
/// </summary>
internal static class RequireOption
{
    /// <summary>The models <c>--require</c> can name.</summary>
    private static readonly string[] Models = ["clv", "churn"];

    /// <summary>The models <c>--require</c> names; unknown names and models that are off are added to <paramref name="errors"/>.</summary>
    public static (bool Clv, bool Churn) Parse(string? text, bool clvOn, bool churnOn, List<string> errors)
    {
        var names = (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var unknown in names.Where(n => !Models.Contains(n, StringComparer.Ordinal)))
        {
            errors.Add($"--require '{unknown}' is unknown; use clv, churn or clv,churn.");
        }

        var clv = names.Contains("clv", StringComparer.Ordinal);
        var churn = names.Contains("churn", StringComparer.Ordinal);
        if (clv && !clvOn)
        {
            errors.Add("--require clv needs a purchase model, but --clv-model is none.");
        }

        if (churn && !churnOn)
        {
            errors.Add("--require churn needs a churn model, but --churn-trainer is none.");
        }

        return (clv, churn);
    }
}
