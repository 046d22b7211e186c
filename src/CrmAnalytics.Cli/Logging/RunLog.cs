using System.Globalization;

namespace CrmAnalytics.Cli.Logging;

public enum Verbosity
{
    Quiet,
    Normal,
    Verbose,
}

/// <summary>
/// Human-readable progress and diagnostics on stderr. Messages carry counts, stages, file names and column names only:
/// never cell values, which may be customer data.
/// </summary>
internal sealed class RunLog(TextWriter error, Verbosity verbosity)
{
    public void Info(string stage, string message)
    {
        if (verbosity >= Verbosity.Normal)
        {
            Write("info", stage, message);
        }
    }

    public void Detail(string stage, string message)
    {
        if (verbosity >= Verbosity.Verbose)
        {
            Write("debug", stage, message);
        }
    }

    /// <summary>Warnings are written at every verbosity.</summary>
    public void Warn(string stage, string message) => Write("warn", stage, message);

    /// <summary>Errors are always written, even with --quiet.</summary>
    public void Error(string message) => error.WriteLine("crm: error: " + message);

    private void Write(string level, string stage, string message) =>
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crm: {level}: [{stage}] {message}"));
}
