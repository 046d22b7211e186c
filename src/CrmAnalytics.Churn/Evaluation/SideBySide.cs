using System.Runtime.ExceptionServices;

namespace CrmAnalytics.Churn.Evaluation;

/// <summary>Independent steps run at once, failing as the first of them (in argument order) failed, unwrapped.</summary>
/// <remarks>
/// <see cref="Parallel.Invoke(Action[])"/> would throw an <see cref="AggregateException"/>, and the run tells a
/// <see cref="Core.ModelFitException"/> (churn skipped, exit 0 or 5) from a crash by the exception's type.
/// </remarks>
internal static class SideBySide
{
    public static void Run(params Action[] steps)
    {
        var failures = new Exception?[steps.Length];
        Parallel.For(0, steps.Length, i =>
        {
            try
            {
                steps[i]();
            }
            catch (Exception ex)
            {
                failures[i] = ex;
            }
        });

        if (failures.FirstOrDefault(f => f is not null) is { } first)
        {
            ExceptionDispatchInfo.Capture(first).Throw();
        }
    }
}
