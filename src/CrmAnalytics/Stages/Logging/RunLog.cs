using System.Globalization;
using System.Text.Json;

namespace CrmAnalytics.Stages.Logging;

/// <summary>Which log lines are written (<c>--quiet</c>, <c>--verbose</c>).</summary>
public enum Verbosity
{
    /// <summary>Warnings and errors only.</summary>
    Quiet,

    /// <summary>Progress (info) too.</summary>
    Normal,

    /// <summary>Details (debug) too.</summary>
    Verbose,
}

/// <summary>How log lines are written.</summary>
public enum LogFormat
{
    /// <summary><c>crm: info: [stage] message</c>, for people.</summary>
    Text,

    /// <summary>One JSON object per line: <c>time</c> (UTC, ISO 8601), <c>level</c>, <c>stage</c>, <c>message</c>.</summary>
    Json,
}

/// <summary>
/// Progress and diagnostics on stderr, as text or JSON lines. Messages carry counts, stages, file names and column
/// names only: never cell values, which may be customer data.
/// </summary>
/// <param name="clock">Stamps JSON log lines; the system clock when null.</param>
public sealed class RunLog(TextWriter error, Verbosity verbosity, LogFormat format = LogFormat.Text, TimeProvider? clock = null)
{
    /// <summary>A progress line of <paramref name="stage"/>, at normal verbosity and above.</summary>
    public void Info(string stage, string message)
    {
        if (verbosity >= Verbosity.Normal)
        {
            Write("info", stage, message);
        }
    }

    /// <summary>A detail line of <paramref name="stage"/>, at verbose only.</summary>
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
    public void Error(string message)
    {
        if (format == LogFormat.Json)
        {
            Write("error", null, message);
        }
        else
        {
            error.WriteLine("crm: error: " + message);
        }
    }

    private void Write(string level, string? stage, string message)
    {
        if (format == LogFormat.Json)
        {
            var line = JsonSerializer.Serialize(new LogLine((clock ?? TimeProvider.System).GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), level, stage, message), LogLineContext.Default.LogLine);
            error.WriteLine(line);
            return;
        }

        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crm: {level}: [{stage}] {message}"));
    }
}

internal sealed record LogLine(
    [property: System.Text.Json.Serialization.JsonPropertyName("time")] string Time,
    [property: System.Text.Json.Serialization.JsonPropertyName("level")] string Level,
    [property: System.Text.Json.Serialization.JsonPropertyName("stage")] string? Stage,
    [property: System.Text.Json.Serialization.JsonPropertyName("message")] string Message);

[System.Text.Json.Serialization.JsonSerializable(typeof(LogLine))]
internal sealed partial class LogLineContext : System.Text.Json.Serialization.JsonSerializerContext;
