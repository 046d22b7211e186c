using System.Text;

namespace CrmAnalytics.Cli.Tests.TestSupport;

/// <summary>A fresh folder under the system temp folder, deleted (with everything in it) on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("crm-cli-tests-").FullName;

    public string Path { get; }

    /// <summary>The full path of <paramref name="name"/> inside this folder (nothing is created).</summary>
    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Writes <paramref name="content"/> as UTF-8 without a BOM, creating parent folders; returns the full path.</summary>
    public string Write(string name, string content)
    {
        var path = this[name];
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    public void Dispose()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories))
        {
            if (!OperatingSystem.IsWindows())
            {
                // A test may have made a folder read-only; give write access back so it can be deleted.
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Delete(Path, recursive: true);
    }
}
