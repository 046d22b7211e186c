using System.Globalization;
using System.Text;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Publishing;

/// <summary>
/// The exclusive lock of one output target, held for a whole run: an operating-system lock (flock on Linux) on
/// <c>.&lt;name&gt;.lock</c> beside the target. The kernel drops it when the process dies, so a killed run never blocks the
/// next one. While held the file names its holder ("pid N, started …"); a clean release empties it (or deletes it while
/// the target does not exist), so a holder line found when taking a free lock is the stale lock of a run that did not
/// finish: <see cref="StaleHolder"/>.
/// </summary>
public sealed class OutputLock : IDisposable
{
    private readonly string _target;
    private FileStream? _stream;

    private OutputLock(string target, FileStream stream, string? staleHolder)
    {
        _target = target;
        _stream = stream;
        StaleHolder = staleHolder;
    }

    /// <summary>What a run that did not finish left in the lock; null after a clean previous run.</summary>
    public string? StaleHolder { get; }

    public static string PathFor(string targetDirectory)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory));
        return Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".lock");
    }

    /// <exception cref="OutputLockedException">A live run holds the lock (exit code 8).</exception>
    /// <exception cref="IOException">The lock file cannot be created.</exception>
    /// <param name="clock">Stamps the start time written into the lock.</param>
    public static OutputLock Acquire(string targetDirectory, TimeProvider clock)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDirectory));
        var path = PathFor(target);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException ex) when (File.Exists(path) && ex is not PathTooLongException and not DirectoryNotFoundException)
        {
            throw new OutputLockedException(
                $"Another crm run is publishing to '{target}' (it holds {path}). This run stopped before reading any data and published nothing; run it again when the other has finished.",
                ex);
        }

        try
        {
            var buffer = new byte[Math.Min(stream.Length, 4096)];
            stream.ReadExactly(buffer);
            var text = Encoding.UTF8.GetString(buffer).Trim();
            stream.SetLength(0);
            stream.Position = 0;
            stream.Write(Encoding.UTF8.GetBytes(string.Create(
                CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}, started {clock.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ}\n")));
            stream.Flush();
            return new OutputLock(target, stream, text.Length > 0 ? text : null);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Empties the holder line and drops the lock; deletes the file while nothing was ever published to the target.</summary>
    public void Dispose()
    {
        if (_stream is not { } stream)
        {
            return;
        }

        _stream = null;
        try
        {
            stream.SetLength(0);
            if (!Directory.Exists(_target))
            {
                File.Delete(stream.Name);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a holder line left behind only makes the next run log a recovered lock.
        }
        finally
        {
            stream.Dispose();
        }
    }
}
