using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core;

namespace CrmAnalytics.Stages.Score;

/// <summary>
/// Graceful small data (issue 14): a model that cannot be fitted because the data are too small or too flat (no repeat
/// buyers, a singular Gamma-Gamma, a churn time split without churners) is skipped, and the run publishes everything
/// else with exit 0. <c>--require clv,churn</c> names the models whose failure still fails the run (exit 5).
/// </summary>
public static class ModelSkip
{
    /// <summary>The models <c>--require</c> can name.</summary>
    internal static IReadOnlyList<string> Models { get; } = ["clv", "churn"];

    /// <summary>Logs the warning of a skipped model and returns the reason for its summary.json section.</summary>
    internal static string Warn(string model, ModelFitException ex, RunLog log)
    {
        log.Warn(model, $"{model} skipped, the rest of the run is published: {ex.Message} (--require {model} makes this fail with exit 5).");
        return ex.Message;
    }

    /// <summary>The models <c>--require</c> names; unknown names and models that are off are added to <paramref name="errors"/>.</summary>
    public static (bool Clv, bool Churn) ParseRequire(string? text, bool clvOn, bool churnOn, List<string> errors)
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
