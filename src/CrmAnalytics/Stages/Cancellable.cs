namespace CrmAnalytics.Stages;

/// <summary>
/// Stages that cannot check a token themselves (a native LightGBM call, a numeric fit, a reader mid-file) run on the thread
/// pool, and the run stops waiting for them as soon as it is cancelled: SIGINT or SIGTERM is honoured within about a
/// second at every stage. The abandoned work only computes into memory that nothing reads; the process is exiting.
/// </summary>
internal static class Cancellable
{
    public static Task<T> RunAsync<T>(Func<T> work, CancellationToken ct) => Task.Run(work, ct).WaitAsync(ct);

    public static Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken ct) => Task.Run(work, ct).WaitAsync(ct);
}
