using System.Runtime;

namespace CrmAnalytics.Cli;

/// <summary>
/// .NET's multi-core JIT (<see cref="ProfileOptimization"/>): each run records which methods it compiled, and the next
/// run of the same command compiles them on a background thread while it reads its input, instead of each on first
/// call on the thread that needs it. crm compiles every method fully optimised up front (tiered compilation is off), so a
/// run spends 1.5–2 s of CPU in the JIT, 1 s of it after the read on the job's critical path.
/// Measured with a recorded profile (interleaved runs, 2 cores): samples/ 1.63–1.73 → 1.04–1.17 s; the 10M-line sample
/// 16.3/16.6/16.8 → 15.9/15.4/15.8 s, with the same CPU time and outputs.
/// </summary>
/// <remarks>
/// The profile lists method names and tokens, never data. The runtime ignores a profile whose modules are from another
/// build, and one it cannot read (it checks every record's length), so a stale or torn profile costs only that run's
/// head start. A folder that cannot be created or written is skipped silently: the profile is an optimisation.
/// </remarks>
internal static class JitProfile
{
    /// <summary>The folder of the profiles; <c>off</c> turns them off.</summary>
    public const string FolderVariable = "CRM_JIT_PROFILE_DIR";

    /// <summary>Starts recording, and playing back the profile of the previous run of the same command, if any.</summary>
    public static void Start(IReadOnlyList<string> args)
    {
        if (Folder(Environment.GetEnvironmentVariable) is not { } folder)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
            ProfileOptimization.SetProfileRoot(folder);
            ProfileOptimization.StartProfile(FileName(args));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
        }
    }

    /// <summary>
    /// <c>$CRM_JIT_PROFILE_DIR</c> when set (null for <c>off</c>), else <c>crm/jit</c> in the user's local application
    /// data (<c>~/.local/share/crm/jit</c> on Linux); null when there is no such folder.
    /// </summary>
    internal static string? Folder(Func<string, string?> environment)
    {
        if (environment(FolderVariable) is { Length: > 0 } set)
        {
            return string.Equals(set, "off", StringComparison.OrdinalIgnoreCase) ? null : set;
        }

        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        return data.Length == 0 ? null : Path.Combine(data, "crm", "jit");
    }

    /// <summary>
    /// One profile per command and set of options given (<c>score-1a2b3c4d.jitprofile</c>): a run without churn, or with
    /// a loaded model, compiles other methods than one that trains, and the runtime keeps one list per file. The hash is
    /// of the option names only, never their values (paths, dates). <c>crm-…</c> when the first argument is no command.
    /// </summary>
    internal static string FileName(IReadOnlyList<string> args)
    {
        var command = args.Count > 0 && args[0].Length is > 0 and <= 32 && args[0][0] is >= 'a' and <= 'z' && args[0].All(c => c is >= 'a' and <= 'z' or '-')
            ? args[0]
            : "crm";
        var options = string.Join('\n', args.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a.Split('=')[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options)))[..8];
        return $"{command}-{hash}.jitprofile";
    }
}
