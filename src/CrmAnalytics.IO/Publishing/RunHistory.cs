using System.Globalization;
using System.Security.Cryptography;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Publishing;

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

    /// <summary>Whether <paramref name="folder"/> is a run history: it has <c>runs/</c> and a <c>latest</c> entry.</summary>
    public static bool IsHistory(string folder) =>
        Directory.Exists(Path.Combine(folder, RunsFolder))
        && (Path.Exists(Path.Combine(folder, LatestLink)) || new FileInfo(Path.Combine(folder, LatestLink)).LinkTarget is not null);

    /// <summary>
    /// The backfill rule, before publishing: retention keeps the newest N runs by as-of, then run id, so a run that
    /// would not be among them (an <c>--as-of</c> older than the N kept) is refused instead of published and deleted.
    /// </summary>
    /// <exception cref="ConfigurationException">It would not be kept (exit code 2).</exception>
    public static void ThrowIfNotKept(string root, string runFolder, int keep)
    {
        var runs = Runs(root).Append(runFolder).Order(StringComparer.Ordinal).ToArray();
        if (Array.IndexOf(runs, runFolder) < runs.Length - keep)
        {
            throw new ConfigurationException(
                $"This run (as of {runFolder[..10]}) is older than the {keep} newest runs in '{Path.Combine(root, RunsFolder)}', so --keep {keep} would delete it at once; nothing was published. Raise --keep to backfill it.");
        }
    }

    /// <summary>
    /// Points <c>latest</c> at <paramref name="runFolder"/> when it is the newest run by as-of, then run id; a backfill
    /// (an older as-of) stays in <c>runs/</c> and <c>latest</c> keeps pointing at the newest. Returns whether it switched.
    /// </summary>
    /// <exception cref="OutputException">The link cannot be switched.</exception>
    public static bool SwitchLatestIfNewest(string root, string runFolder)
    {
        if (Runs(root).LastOrDefault() != runFolder)
        {
            return false;
        }

        SwitchLatest(root, runFolder);
        return true;
    }

    /// <summary>
    /// Throws unless a run may publish into <paramref name="root"/> as a history: it is missing or empty, or holds only
    /// <c>runs/</c>, the <c>latest</c> link and its temporary links; and it holds no input. Checked under the root's
    /// lock before any data is read.
    /// </summary>
    /// <exception cref="OutputException">It is not; the message names the folder and the entry in the way.</exception>
    public static void ThrowIfNotRoot(string root, IEnumerable<string> inputs)
    {
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        OutputOwnership.ThrowIfHoldsInput(root, inputs);
        if (!Directory.Exists(root))
        {
            return;
        }

        var latest = Path.Combine(root, LatestLink);
        if (Path.Exists(latest) && new FileInfo(latest).LinkTarget is null)
        {
            throw new OutputException(
                $"'{latest}' is a real {(Directory.Exists(latest) ? "folder" : "file")}, not the link --keep makes; crm never deletes it. Nothing was changed: move it out of '{root}' (or choose another --out) and run again.");
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (entry is not (RunsFolder or LatestLink) && !entry!.StartsWith(LinkTempPrefix, StringComparison.Ordinal))
            {
                throw new OutputException(
                    $"Output folder '{root}' is not a run history made by --keep: it holds '{entry}'. Nothing was changed: --keep needs a missing or empty folder, or one holding only {RunsFolder}/ and {LatestLink}; choose another --out.");
            }
        }
    }

    /// <summary>The as-of date of a run folder name (<c>&lt;as-of&gt;_&lt;run-id&gt;</c>); null for any other name.</summary>
    public static DateOnly? AsOfOf(string runFolder) =>
        RunFolderPattern().IsMatch(runFolder)
            && DateOnly.TryParseExact(runFolder.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf)
            ? asOf
            : null;

    /// <summary>The run folders in <c>root/runs</c>, oldest first (by as-of, then run id); other entries are ignored.</summary>
    public static string[] Runs(string root)
    {
        var runs = Path.Combine(root, RunsFolder);
        return Directory.Exists(runs)
            ? Directory.EnumerateDirectories(runs).Select(Path.GetFileName).OfType<string>().Where(n => AsOfOf(n) is not null).Order(StringComparer.Ordinal).ToArray()
            : [];
    }

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

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}_\d{8}T\d{9}Z-[0-9a-f]{4}\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex RunFolderPattern();

    /// <summary>What <see cref="OutputPublisher"/> leaves beside a pending run <c>runs/&lt;run-id&gt;</c> when killed.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^\.\d{8}T\d{9}Z-[0-9a-f]{4}\.(?:(?:tmp|old)-[0-9a-f]{16}|[0-9a-f]{16}\.lock|lock)\z", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex LeftoverPattern();

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial int Rename(string oldPath, string newPath);

    /// <summary>
    /// Deletes all but the newest <paramref name="keep"/> runs by as-of, then run id (never <paramref name="current"/>,
    /// never a folder that is not named like a run or holds something crm did not write) and the hidden working folders
    /// and locks that killed runs left in <c>runs/</c> (only names the publisher makes; other hidden entries stay) (the caller holds the root's lock, so no other run is alive);
    /// returns the names of the runs deleted.
    /// </summary>
    public static IReadOnlyList<string> Prune(string root, int keep, string current)
    {
        foreach (var leftover in Directory.EnumerateFileSystemEntries(Path.Combine(root, RunsFolder), ".*")
                     .Where(e => LeftoverPattern().IsMatch(Path.GetFileName(e))))
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

        var runs = Runs(root);
        var removed = new List<string>();
        foreach (var name in runs[..Math.Max(0, runs.Length - keep)])
        {
            // A run folder something else was put into is not crm's to delete any more.
            if (name == current || OutputOwnership.FirstForeignEntry(Path.Combine(root, RunsFolder, name)) is not null)
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
