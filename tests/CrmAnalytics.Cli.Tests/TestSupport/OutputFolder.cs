namespace CrmAnalytics.Cli.Tests.TestSupport;

/// <summary>Snapshots of published output folders.</summary>
internal static class OutputFolder
{
    /// <summary>Every file below <paramref name="directory"/>, keyed by its relative path with '/' separators.</summary>
    public static SortedDictionary<string, byte[]> ReadAll(string directory)
    {
        var files = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            files[Path.GetRelativePath(directory, file).Replace('\\', '/')] = File.ReadAllBytes(file);
        }

        return files;
    }

    /// <summary>The names of every entry of <paramref name="directory"/> (files and folders, not recursive), sorted.</summary>
    public static string[] Entries(string directory) =>
        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
}
