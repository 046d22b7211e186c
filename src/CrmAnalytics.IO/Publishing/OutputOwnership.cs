using System.Text.Json;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Publishing;

/// <summary>
/// Which folders crm may replace (DESIGN.md, "Outputs"): only one that is missing, empty, or its own earlier output, and
/// never one that holds an input. Every command that publishes goes through <see cref="OutputPublisher"/>, which checks
/// this before the run reads anything and again just before the swap.
/// </summary>
/// <remarks>
/// <para>
/// Own output: every publish writes <see cref="MarkerFile"/> into the folder, a small JSON object
/// <c>{"tool": "crm", "version", "run_id", "files": [...]}</c> listing every file of that output (relative, '/'
/// separators). A folder is crm's when each entry in it is the marker, a listed file, or a folder on the way to one, so
/// a file someone put into an output folder afterwards makes it not crm's any more. Outputs published before the
/// marker existed have no marker; for them the list is <c>summary.json</c>'s <c>outputs</c> plus <c>summary.json</c>
/// itself, so an old <c>crm score</c> output whose entries are all files crm wrote is still replaced.
/// </para>
/// <para>
/// Inputs: the target must not be the folder of an input or an ancestor of it (symbolic links resolved), whatever it
/// holds. There is no option to override either rule: empty or remove the folder yourself, or choose another one.
/// </para>
/// </remarks>
public static class OutputOwnership
{
    public const string MarkerFile = ".crm-output";

    private static readonly StringComparison PathComparison =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    /// <summary>Throws unless crm may replace <paramref name="target"/> (see the remarks); reads no data.</summary>
    /// <param name="inputs">Every file the run reads (exports, surveys, attributes, models, rules, the job file).</param>
    /// <exception cref="OutputException">The folder holds an input, is a run history, or holds something crm did not write.</exception>
    public static void ThrowIfNotReplaceable(string target, IEnumerable<string> inputs)
    {
        target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target));
        ThrowIfHoldsInput(target, inputs);
        if (!Directory.Exists(target))
        {
            return;
        }

        if (RunHistory.IsHistory(target))
        {
            throw new OutputException(
                $"Output folder '{target}' is a run history made by --keep ({RunHistory.RunsFolder}/ and {RunHistory.LatestLink}); a run without --keep would replace all of it. Nothing was changed: pass --keep N to add this run to the history, or choose another --out.");
        }

        if (FirstForeignEntry(target) is { } foreign)
        {
            throw new OutputException(
                $"Output folder '{target}' is not crm's output: it holds '{foreign}', which crm did not write. crm replaces only a missing or empty folder or its own earlier output (marked by {MarkerFile}); nothing was changed. Choose another --out, or empty the folder yourself.");
        }
    }

    /// <summary>Throws when <paramref name="folder"/> is the folder of one of <paramref name="inputs"/> or an ancestor of it.</summary>
    /// <exception cref="OutputException">It is.</exception>
    public static void ThrowIfHoldsInput(string folder, IEnumerable<string> inputs)
    {
        var real = RealPath(folder);
        foreach (var input in inputs)
        {
            var inputFolder = RealPath(Path.GetDirectoryName(Path.GetFullPath(input))!);
            if (inputFolder.Equals(real, PathComparison) || inputFolder.StartsWith(real + Path.DirectorySeparatorChar, PathComparison))
            {
                throw new OutputException(
                    $"Output folder '{folder}' holds the input '{input}'; crm never replaces or deletes a folder that holds one of its inputs. Nothing was changed: choose an --out folder outside it.");
            }
        }
    }

    /// <summary>Writes <see cref="MarkerFile"/> into <paramref name="folder"/>, listing every file in it.</summary>
    internal static void WriteMarker(string folder, string runId)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => f != MarkerFile)
            .Order(StringComparer.Ordinal)
            .ToArray();
        OutputFiles.Write(Path.Combine(folder, MarkerFile), stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("tool", "crm");
            json.WriteString("version", ToolInfo.Version);
            json.WriteString("run_id", runId);
            json.WriteStartArray("files");
            foreach (var file in files)
            {
                json.WriteStringValue(file);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    /// <summary>The first entry of <paramref name="folder"/> (relative path) that crm did not write; null when there is none.</summary>
    internal static string? FirstForeignEntry(string folder)
    {
        var owned = OwnedFiles(folder);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false };
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
        {
            var relative = Path.GetRelativePath(folder, entry.FullName).Replace('\\', '/');
            var isFolder = entry is DirectoryInfo && entry.LinkTarget is null;
            var mine = relative == MarkerFile
                || (isFolder ? owned.Any(f => f.StartsWith(relative + "/", StringComparison.Ordinal)) : owned.Contains(relative));
            if (!mine)
            {
                return relative;
            }
        }

        return null;
    }

    /// <summary>The files the marker lists, else (outputs from before the marker) summary.json's outputs and summary.json.</summary>
    private static HashSet<string> OwnedFiles(string folder)
    {
        var owned = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var marker = Path.Combine(folder, MarkerFile);
            if (File.Exists(marker))
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(marker));
                var root = document.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("tool", out var tool) && tool.ValueEquals("crm")
                    && root.TryGetProperty("files", out var files) && files.ValueKind == JsonValueKind.Array)
                {
                    owned.UnionWith(files.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!));
                }

                return owned;
            }

            var summary = Path.Combine(folder, OutputFileNames.Summary);
            if (File.Exists(summary))
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(summary));
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array)
                {
                    owned.UnionWith(outputs.EnumerateArray().Where(f => f.ValueKind == JsonValueKind.String).Select(f => f.GetString()!));
                    owned.Add(OutputFileNames.Summary);
                }
            }
        }
        catch (JsonException)
        {
            // An unreadable marker or summary claims nothing.
        }

        return owned;
    }

    /// <summary>The full path with every symbolic link along it resolved (parts that do not exist are kept as they are).</summary>
    private static string RealPath(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var current = Path.GetPathRoot(full)!;
        foreach (var part in full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            try
            {
                if (new DirectoryInfo(current).ResolveLinkTarget(returnFinalTarget: true) is { } target)
                {
                    current = Path.TrimEndingDirectorySeparator(target.FullName);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Not a link we can follow: keep the path as written.
            }
        }

        return current;
    }
}
