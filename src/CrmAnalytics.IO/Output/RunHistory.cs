using System.Globalization;
using System.Security.Cryptography;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Output;

/// <summary>
/// A dated run history under one output root (<c>crm score --out DIR --keep N</c>): every run is published to
/// <c>DIR/runs/&lt;as-of&gt;_&lt;run-id&gt;/</c>, <c>DIR/latest</c> is a symbolic link to the newest one, switched by an atomic
/// rename, and only the newest N runs are kept. Run ids start with the UTC start time, so names sort by as-of, then time.
/// </summary>
public static partial class RunHistory
{
    public const string RunsFolder = "runs";

    public const string LatestLink = "latest";

    private const string LinkTempPrefix = ".latest.tmp-";

    /// <summary>A new run id: the UTC start time to the millisecond and four random hex digits.</summary>
    public static string NewRunId(DateTimeOffset startedUtc) =>
        startedUtc.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));

    public static string RunFolderName(DateOnly asOf, string runId) =>
        asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "_" + runId;

    /// <summary>Where a history run is written before its final name is known.</summary>
    public static string PendingRunPath(string root, string runId) => Path.Combine(root, RunsFolder, runId);

    /// <summary>The latest published run (through the link), or null when there is none.</summary>
    public static string? Latest(string root)
    {
        var link = Path.Combine(root, LatestLink);
        return Directory.Exists(link) ? link : null;
    }

    /// <summary>
    /// Points <c>root/latest</c> at <c>runs/&lt;runFolder&gt;</c>: a new relative link is created beside it and renamed over
    /// it (rename(2) replaces a link atomically), so readers see the old run or the new one, never neither.
    /// </summary>
    /// <exception cref="OutputException">The link cannot be created or switched.</exception>
    public static void SwitchLatest(string root, string runFolder)
    {
        try
        {
            foreach (var stale in Directory.EnumerateFileSystemEntries(root, LinkTempPrefix + "*"))
            {
                File.Delete(stale);
            }

            var temp = Path.Combine(root, LinkTempPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
            File.CreateSymbolicLink(temp, Path.Combine(RunsFolder, runFolder));
            var latest = Path.Combine(root, LatestLink);
            if (OperatingSystem.IsWindows())
            {
                // No atomic link replacement there: remove, then move (a reader may see no link for an instant).
                if (Directory.Exists(latest) || File.Exists(latest))
                {
                    Directory.Delete(latest);
                }

                Directory.Move(temp, latest);
            }
            else if (Rename(temp, latest) != 0)
            {
                // .NET's File.Move and Directory.Move follow the link and refuse a link to a folder; rename(2) does not.
                throw new IOException($"rename failed with errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException($"Cannot switch {Path.Combine(root, LatestLink)} to the new run: {ex.Message}", ex);
        }
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int Rename(string oldPath, string newPath);

    /// <summary>
    /// Deletes all but the newest <paramref name="keep"/> runs (never <paramref name="current"/>) and the hidden working
    /// folders and locks that killed runs left in <c>runs/</c> (the caller holds the root's lock, so no other run is
    /// alive); returns the names of the runs deleted.
    /// </summary>
    public static IReadOnlyList<string> Prune(string root, int keep, string current)
    {
        foreach (var leftover in Directory.EnumerateFileSystemEntries(Path.Combine(root, RunsFolder), ".*"))
        {
            try
            {
                if (Directory.Exists(leftover))
                {
                    Directory.Delete(leftover, recursive: true);
                }
                else
                {
                    File.Delete(leftover);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort.
            }
        }

        var runs = Directory.EnumerateDirectories(Path.Combine(root, RunsFolder))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(n => !n.StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var removed = new List<string>();
        foreach (var name in runs[..Math.Max(0, runs.Length - keep)])
        {
            if (name == current)
            {
                continue;
            }

            try
            {
                Directory.Delete(Path.Combine(root, RunsFolder, name), recursive: true);
                removed.Add(name);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Retention is best effort; the next run tries again.
            }
        }

        return removed;
    }
}
