using System.Security.Cryptography;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Publishing;

/// <summary>
/// Publishes a run's output folder atomically (DESIGN.md, "Write"): files are written into a fresh temporary folder
/// next to the target, and only <see cref="Commit"/> puts them in place. A run that fails or is killed before then
/// leaves the previous output untouched.
/// </summary>
/// <remarks>
/// <para>
/// Layout, for a target <c>/data/out</c>: the working folder is <c>/data/.out.tmp-&lt;id&gt;</c>, on the same file
/// system as the target so that the final step is a rename (<c>rename(2)</c>), never a copy. <c>&lt;id&gt;</c> is 16
/// random hex digits. While the run is alive it holds an exclusive lock on <c>/data/.out.&lt;id&gt;.lock</c>.
/// </para>
/// <para>
/// <see cref="Commit"/> flushes every file to disk (fsync), then, if the target exists, renames it aside to
/// <c>/data/.out.old-&lt;id&gt;</c>, renames the working folder to the target, and deletes the old folder. Readers
/// therefore see either the whole previous output or the whole new one, never a mix. Between the two renames
/// (microseconds) the target path does not exist; a crash exactly there leaves the previous output intact under the
/// <c>.old-</c> name, and the next <see cref="Begin"/> renames it back. A simpler rename-over is impossible for
/// non-empty folders on POSIX, and a <c>latest</c> symlink swap would change the target into a link, which breaks
/// consumers that expect a plain folder, so this two-rename swap is used on every OS.
/// </para>
/// <para>
/// <see cref="Begin"/> first cleans up after killed runs of the same target: every <c>.out.tmp-*</c> and
/// <c>.out.old-*</c> folder whose lock is not held by a live process is removed (an <c>.old-</c> folder is first
/// restored as the target when the target is missing). Folders of a run that is still alive are left alone, so two
/// runs cannot delete each other's work; deciding which of two concurrent runs may publish is the output lock's job
/// (exit code 8). Cleanup is best effort: a leftover that cannot be removed does not stop the run.
/// </para>
/// <para>
/// The output lock: <see cref="Begin"/> takes an exclusive operating-system lock (flock on Linux) on
/// <c>/data/.out.lock</c> before anything else and holds it until <see cref="Dispose"/>, so a second run on the same
/// target stops at once with <see cref="OutputLockedException"/> (exit code 8) and touches nothing. The kernel drops the
/// lock when a process dies, so a killed run never blocks the next one. The file stays; while held it names its
/// holder ("pid N, started …") and a clean release empties it (or deletes it while nothing has been published to the
/// target), so a holder line found when taking a free lock is the stale lock of a run that did not finish:
/// <see cref="StaleLockHolder"/> reports it and the run goes on.
/// </para>
/// <para>
/// Durability: file contents are fsynced before the renames, so after a power loss the target holds either the old or
/// the new output, each complete. The renames themselves are made durable by the file system's journal (.NET cannot
/// fsync a directory), so the newest publish may be lost on power loss, but never half-applied.
/// </para>
/// <para>
/// Ownership: crm replaces only a target it owns (<see cref="OutputOwnership"/>): <see cref="Begin"/> refuses any other
/// before the run reads data, and <see cref="Commit"/> checks again and writes the ownership marker into the new output.
/// </para>
/// </remarks>
public sealed class OutputPublisher : IDisposable
{
    private const string TempTag = "tmp-";
    private const string OldTag = "old-";
    private const string LockSuffix = ".lock";
    private const int IdLength = 16;

    private readonly string _parent;
    private readonly string _name;
    private readonly string _id;
    private readonly string[] _inputs;
    private FileStream? _lock;
    private OutputLock? _outputLock;
    private State _state;

    private OutputPublisher(string target, string parent, string name, string id, string[] inputs, string working, FileStream lockStream, OutputLock outputLock)
    {
        TargetDirectory = target;
        _inputs = inputs;
        _parent = parent;
        _name = name;
        _id = id;
        WorkingDirectory = working;
        _lock = lockStream;
        _outputLock = outputLock;
        StaleLockHolder = outputLock.StaleHolder;
    }

    private enum State
    {
        Open,
        Committed,
        Disposed,
    }

    /// <summary>The folder the output is published to (full path).</summary>
    public string TargetDirectory { get; private set; }

    /// <summary>
    /// What a run that did not finish (killed, power loss) left in the output lock ("pid N, started …"); the lock was
    /// free and is now this run's. Null after a clean previous run.
    /// </summary>
    public string? StaleLockHolder { get; }

    /// <summary>The output lock of <paramref name="targetDirectory"/>: <c>.&lt;name&gt;.lock</c> beside it.</summary>
    public static string OutputLockPath(string targetDirectory) => OutputLock.PathFor(targetDirectory);

    /// <summary>The temporary folder to write files into; it becomes <see cref="TargetDirectory"/> on <see cref="Commit"/>.</summary>
    public string WorkingDirectory { get; }

    /// <summary>
    /// Cleans up after killed runs of <paramref name="targetDirectory"/>, checks that crm may replace it
    /// (<see cref="OutputOwnership"/>) and creates a fresh, empty working folder next to it (creating the parent folders
    /// when missing).
    /// </summary>
    /// <param name="inputs">Every file the run reads: the target may not hold any of them.</param>
    /// <exception cref="OutputException">The target is a file or a file-system root, is not crm's to replace, or the
    /// working folder cannot be created (permission denied, a parent is a file, ...).</exception>
    /// <param name="clock">Stamps the lock's start time; the system clock when null.</param>
    public static OutputPublisher Begin(string targetDirectory, IEnumerable<string> inputs, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetDirectory);
        string target;
        try
        {
            target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new OutputException($"Output folder '{targetDirectory}' is not a valid path: {ex.Message}", ex);
        }

        var parent = Path.GetDirectoryName(target);
        var name = Path.GetFileName(target);
        if (string.IsNullOrEmpty(parent) || string.IsNullOrEmpty(name))
        {
            throw new OutputException($"Output folder '{target}' is a file-system root; choose a folder below it.");
        }

        if (File.Exists(target))
        {
            throw new OutputException($"Output folder '{target}' is an existing file, not a folder.");
        }

        FileStream? lockStream = null;
        OutputLock? outputLock = null;
        try
        {
            Directory.CreateDirectory(parent);
            outputLock = OutputLock.Acquire(target, clock ?? TimeProvider.System);
            CleanUpStaleRuns(parent, name, target);
            var inputList = inputs.ToArray();
            OutputOwnership.ThrowIfNotReplaceable(target, inputList);
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
            lockStream = new FileStream(
                LockPath(parent, name, id), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            var working = RunPath(parent, name, TempTag, id);
            Directory.CreateDirectory(working);
            return new OutputPublisher(target, parent, name, id, inputList, working, lockStream, outputLock);
        }
        catch (OutputException)
        {
            outputLock?.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            lockStream?.Dispose();
            outputLock?.Dispose();
            throw new OutputException(
                ex is UnauthorizedAccessException
                    ? $"Cannot prepare output folder '{target}': permission denied ({ex.Message})"
                    : $"Cannot prepare output folder '{target}': {ex.Message}",
                ex);
        }
    }

    /// <summary>The full path of <paramref name="relativePath"/> (e.g. "segments/champions.csv") inside <see cref="WorkingDirectory"/>.</summary>
    /// <exception cref="ArgumentException">The path is rooted or leaves the working folder.</exception>
    public string PathOf(string relativePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (Path.IsPathRooted(relativePath))
        {
            throw new ArgumentException($"'{relativePath}' must be relative to the output folder.", nameof(relativePath));
        }

        var root = Path.TrimEndingDirectorySeparator(WorkingDirectory) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relativePath));
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' leaves the output folder.", nameof(relativePath));
        }

        return full;
    }

    /// <summary>
    /// Publishes under another folder name beside the planned target (e.g. a history run named after the as-of date,
    /// known only after reading); the same atomic steps as <see cref="Commit"/>.
    /// </summary>
    public void CommitAs(string folderName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folderName);
        if (folderName.IndexOfAny(['/', '\\']) >= 0 || folderName.StartsWith('.'))
        {
            throw new ArgumentException($"'{folderName}' must be a plain folder name.", nameof(folderName));
        }

        TargetDirectory = Path.Combine(_parent, folderName);
        Commit();
    }

    /// <summary>Flushes every file to disk and swaps the working folder in as the target (see the remarks).</summary>
    /// <exception cref="InvalidOperationException">Already committed or disposed.</exception>
    /// <exception cref="OutputException">The output cannot be published; the previous output, if any, is left in place
    /// and the working folder is kept until <see cref="Dispose"/>.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_state == State.Disposed, this);
        if (_state == State.Committed)
        {
            throw new InvalidOperationException("The output has already been committed.");
        }

        var target = TargetDirectory;
        try
        {
            // Again at the swap: something may have been put into the target while the run worked.
            OutputOwnership.ThrowIfNotReplaceable(target, _inputs);
            OutputOwnership.WriteMarker(WorkingDirectory, _id);
            FlushFilesToDisk(WorkingDirectory);
            if (File.Exists(target))
            {
                throw new OutputException($"Cannot publish output to '{target}': it is an existing file, not a folder.");
            }

            if (Directory.Exists(target))
            {
                var old = RunPath(_parent, _name, OldTag, _id);
                Directory.Move(target, old);
                try
                {
                    Directory.Move(WorkingDirectory, target);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    TryRun(() => Directory.Move(old, target));
                    throw;
                }

                _state = State.Committed;
                TryRun(() => Directory.Delete(old, recursive: true));
            }
            else
            {
                Directory.Move(WorkingDirectory, target);
                _state = State.Committed;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputException(
                ex is UnauthorizedAccessException
                    ? $"Cannot publish output to '{target}': permission denied ({ex.Message})"
                    : $"Cannot publish output to '{target}': {ex.Message}",
                ex);
        }

        ReleaseLock();
    }

    /// <summary>Deletes the working folder unless the output was committed; the previous output is never touched.</summary>
    public void Dispose()
    {
        if (_state == State.Disposed)
        {
            return;
        }

        if (_state == State.Open)
        {
            TryRun(() => Directory.Delete(WorkingDirectory, recursive: true));
        }

        _state = State.Disposed;
        ReleaseLock();
    }

    private void ReleaseLock()
    {
        _lock?.Dispose();
        _lock = null;
        _outputLock?.Dispose();
        _outputLock = null;
    }

    private static void FlushFilesToDisk(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Write, FileShare.Read);
            RandomAccess.FlushToDisk(handle);
        }
    }

    /// <summary>Removes the leftovers of runs of this target whose process is gone (their lock file is free or missing).</summary>
    private static void CleanUpStaleRuns(string parent, string name, string target)
    {
        var prefix = "." + name + ".";
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(parent))
        {
            if (TryParseRunId(Path.GetFileName(entry.AsSpan()), prefix, out var id))
            {
                ids.Add(id);
            }
        }

        foreach (var id in ids)
        {
            TryRun(() => CleanUpStaleRun(parent, name, target, id));
        }
    }

    private static void CleanUpStaleRun(string parent, string name, string target, string id)
    {
        var lockPath = LockPath(parent, name, id);
        FileStream? held = null;
        try
        {
            if (File.Exists(lockPath))
            {
                // No DeleteOnClose here: whether a failed open would still unlink a live run's lock is a runtime detail.
                try
                {
                    held = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
                }
                catch (IOException)
                {
                    return;
                }
            }

            var old = RunPath(parent, name, OldTag, id);
            if (Directory.Exists(old) && !Directory.Exists(target) && !File.Exists(target))
            {
                Directory.Move(old, target);
            }

            var temp = RunPath(parent, name, TempTag, id);
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }

            if (Directory.Exists(old))
            {
                Directory.Delete(old, recursive: true);
            }

            if (held is not null)
            {
                File.Delete(lockPath);
            }
        }
        finally
        {
            held?.Dispose();
        }
    }

    /// <summary>Recognises <c>.&lt;name&gt;.tmp-&lt;id&gt;</c>, <c>.&lt;name&gt;.old-&lt;id&gt;</c> and <c>.&lt;name&gt;.&lt;id&gt;.lock</c>.</summary>
    private static bool TryParseRunId(ReadOnlySpan<char> fileName, string prefix, out string id)
    {
        id = string.Empty;
        if (!fileName.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = fileName[prefix.Length..];
        ReadOnlySpan<char> candidate;
        if (rest.StartsWith(TempTag, StringComparison.Ordinal) || rest.StartsWith(OldTag, StringComparison.Ordinal))
        {
            candidate = rest[TempTag.Length..];
        }
        else if (rest.EndsWith(LockSuffix, StringComparison.Ordinal))
        {
            candidate = rest[..^LockSuffix.Length];
        }
        else
        {
            return false;
        }

        if (candidate.Length != IdLength || candidate.ContainsAnyExcept("0123456789abcdef"))
        {
            return false;
        }

        id = candidate.ToString();
        return true;
    }

    private static string RunPath(string parent, string name, string tag, string id) => Path.Combine(parent, "." + name + "." + tag + id);

    private static string LockPath(string parent, string name, string id) => Path.Combine(parent, "." + name + "." + id + LockSuffix);

    /// <summary>For clean-up steps whose failure only leaves a leftover that the next run removes.</summary>
    private static void TryRun(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
