using System.Runtime.ExceptionServices;

namespace CrmAnalytics.Core.Parallelism;

/// <summary>Independent steps run at once, failing as the first of them (in argument order) failed, unwrapped.</summary>
/// <remarks>
/// <see cref="Parallel.Invoke(Action[])"/> would throw an <see cref="AggregateException"/>, and the run tells a
/// <see cref="ModelFitException"/> (CLV or churn skipped, exit 0 or 5) from a crash by the exception's type.
/// </remarks>
public static class SideBySide
{
    /// <summary>Runs <paramref name="steps"/> at once and waits for all of them.</summary>
    public static void Run(params Action[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
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
