using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Output;

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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Failed(path, ex);
        }
    }

    public static OutputException Failed(string path, Exception ex) => new(
        ex is UnauthorizedAccessException
            ? $"Cannot write '{path}': permission denied."
            : $"Cannot write '{path}': {ex.Message}",
        ex);
}
