using System.Security.Cryptography;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Publishing;

/// <summary>SHA-256 of files, read as a stream so any size hashes in constant memory.</summary>
public static class Sha256
{
    /// <summary>The lowercase hex SHA-256 of the file at <paramref name="path"/>.</summary>
    /// <exception cref="InputException">The file cannot be read.</exception>
    public static string HashFile(string path) => HashFileWithSize(path).Hash;

    /// <summary>
    /// The hash and the number of bytes hashed, from one read of the file. For a folder or a glob that an engine reads as
    /// one table: the hash of the lines <c>relative-path TAB sha256 LF</c> of its files in ordinal order, and their total size.
    /// </summary>
    internal static (string Hash, long Size) HashFileWithSize(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path) && Engines.DuckDbTransactionSource.IsMultiFile(path))
        {
            var files = Engines.DuckDbTransactionSource.ListFiles(path);
            var root = Directory.Exists(path) ? path : Path.GetDirectoryName(path) ?? string.Empty;
            var parts = files.Select(f => (Name: Path.GetRelativePath(root, f).Replace('\\', '/'), File: HashFileWithSize(f))).ToArray();
            var list = string.Concat(parts.Select(p => $"{p.Name}\t{p.File.Hash}\n"));
            return (Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(list))), parts.Sum(p => p.File.Size));
        }

        try
        {
            using var stream = OpenRead(path);
            var hash = SHA256.HashData(stream);
            return (Convert.ToHexStringLower(hash), stream.Position);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, ex);
        }
    }

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);

    private static InputException Unreadable(string path, Exception ex) => new(
        ex is UnauthorizedAccessException ? $"Cannot read '{path}' to hash it: permission denied." : $"Cannot read '{path}' to hash it: {ex.Message}",
        ex);
}
