using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Publishing;

/// <summary>Opens output files and turns I/O failures into <see cref="OutputException"/>s that name the path.</summary>
internal static class OutputFiles
{
    public static FileStream Create(string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            return new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 1 << 16, FileOptions.None);
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            throw Failed(path, ex);
        }
    }

    public static void Write(string path, Action<Stream> write)
    {
        try
        {
            using var stream = Create(path);
            write(stream);
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            throw Failed(path, ex);
        }
    }

    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        try
        {
            var stream = Create(path);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            throw Failed(path, ex);
        }
    }

    /// <summary>
    /// Whether <paramref name="ex"/> is a failed write: an I/O error (a full disk), a permission, or a file grown past the
    /// file system's or the process's size limit (EFBIG, which .NET reports as an <see cref="ArgumentOutOfRangeException"/> from System.IO).
    /// </summary>
    public static bool IsWriteFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException
        || (ex is ArgumentOutOfRangeException && ex.StackTrace?.Contains("System.IO.RandomAccess.Write", StringComparison.Ordinal) == true);

    public static OutputException Failed(string path, Exception ex) => new(
        ex is UnauthorizedAccessException
            ? $"Cannot write '{path}': permission denied."
            : $"Cannot write '{path}': {ex.Message}",
        ex);
}
