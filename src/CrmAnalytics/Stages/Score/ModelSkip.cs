using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core;

namespace CrmAnalytics.Stages.Score;

/// <summary>
/// Graceful small data (issue 14): a model that cannot be fitted because the data are too small or too flat (no repeat
/// buyers, a singular Gamma-Gamma, a churn time split without churners) is skipped, and the run publishes everything
/// else with exit 0. <c>--require clv,churn</c> names the models whose failure still fails the run (exit 5).
/// </summary>
internal static class ModelSkip
{
    /// <summary>Logs the warning of a skipped model and returns the reason for its summary.json section.</summary>
    public static string Warn(string model, ModelFitException ex, RunLog log)
    {
        log.Warn(model, $"{model} skipped, the rest of the run is published: {ex.Message} (--require {model} makes this fail with exit 5).");
        return ex.Message;
    }
}
