using System.Runtime.InteropServices;

namespace CrmAnalytics.Churn.Training;

/// <summary>
/// Makes LightGBM's OpenMP worker threads sleep instead of spinning while they wait for work.
/// </summary>
/// <remarks>
/// <para>
/// lib_lightgbm links GNU libgomp, whose threads spin for up to <c>GOMP_SPINCOUNT</c> (300,000 by default) iterations
/// at every barrier before they sleep. LightGBM crosses several barriers per tree, so on a shared server a busy neighbour
/// and the spinning threads take turns on the cores: the churn stage on UCI Online Retail took 18–55 s instead of
/// 1–3.5 s, and 1.0–1.3 s with <c>OMP_WAIT_POLICY=PASSIVE</c> (spin count 0).
/// </para>
/// <para>
/// libgomp reads its settings once, when it is loaded, from the process's native environment. On Unix
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only .NET's own copy of the environment, so
/// the variable is also set with libc's <c>setenv</c>. This has to happen before LightGBM's first use in the process,
/// which loads libgomp; <see cref="ChurnModelTrainer.BuildPipeline"/> calls it. A value the user set is kept.
/// </para>
/// </remarks>
internal static class OpenMpWaitPolicy
{
    internal const string Variable = "OMP_WAIT_POLICY";

    internal const string Passive = "PASSIVE";

    private static readonly Lock Gate = new();
    private static bool s_applied;

    /// <summary>Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the native and managed environment unless it is already set.</summary>
    public static void EnsurePassive()
    {
        lock (Gate)
        {
            if (s_applied)
            {
                return;
            }

            s_applied = true;
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            {
                return;
            }

            if (!OperatingSystem.IsWindows())
            {
                _ = NativeMethods.SetEnv(Variable, Passive, overwrite: 0);
            }

            Environment.SetEnvironmentVariable(Variable, Passive);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int SetEnv(string name, string value, int overwrite);
    }
}
