using System.Diagnostics;

namespace CrmAnalytics.Cli.Tests.TestSupport;

/// <summary>
/// Runs <c>crm</c> as a fresh process (<c>dotnet crm.dll …</c>, built beside the tests), for what happens once per
/// process: native libraries' settings, the JIT profile written at exit.
/// </summary>
internal static class CrmProcess
{
    /// <summary>Runs <paramref name="args"/> to the end and asserts exit 0.</summary>
    /// <param name="environment">Variables to set; a null value removes the variable from the child's environment.</param>
    public static CliResult Run(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "crm.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var result = new CliResult(process.ExitCode, output.Result, error);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        return result;
    }
}
