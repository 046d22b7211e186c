namespace CrmAnalytics.Core;

/// <summary>Root of every error family the engine raises on purpose. Each family maps to one exit code.</summary>
public abstract class CrmAnalyticsException : Exception
{
    protected CrmAnalyticsException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The process exit code documented in the README for this family.</summary>
    public abstract int ExitCode { get; }
}

/// <summary>Bad command-line arguments, options or configuration files (exit code 2).</summary>
public sealed class ConfigurationException(string message, Exception? inner = null) : CrmAnalyticsException(message, inner)
{
    public override int ExitCode => ExitCodes.BadArguments;
}

/// <summary>An input that cannot be opened or whose header does not match the mapping (exit code 3).</summary>
public sealed class InputException(string message, Exception? inner = null) : CrmAnalyticsException(message, inner)
{
    public override int ExitCode => ExitCodes.InputUnreadable;
}

/// <summary>More malformed rows than <c>--max-reject-rate</c> allows (exit code 4).</summary>
public sealed class RejectThresholdException(string message) : CrmAnalyticsException(message)
{
    public override int ExitCode => ExitCodes.TooManyRejects;
}

/// <summary>Output could not be written or published (exit code 6).</summary>
public sealed class OutputException(string message, Exception? inner = null) : CrmAnalyticsException(message, inner)
{
    public override int ExitCode => ExitCodes.OutputFailed;
}

/// <summary>A model fit that did not converge or produced non-finite values (exit code 5). Never a silent number.</summary>
public sealed class ModelFitException(string message, Exception? inner = null) : CrmAnalyticsException(message, inner)
{
    public override int ExitCode => ExitCodes.ModelFitFailed;
}

/// <summary>Another run holds the output folder's lock (exit code 8); this run published nothing.</summary>
public sealed class OutputLockedException(string message, Exception? inner = null) : CrmAnalyticsException(message, inner)
{
    public override int ExitCode => ExitCodes.Locked;
}

/// <summary>The run drifted from the previous one beyond <c>--fail-on-drift</c> (exit code 7); nothing was published.</summary>
public sealed class DriftExceededException(string message) : CrmAnalyticsException(message)
{
    public override int ExitCode => ExitCodes.DriftExceeded;
}

/// <summary>The database an engine reads from cannot be reached, or refuses the connection (exit code 9); nothing was published.</summary>
public sealed class SourceUnreachableException(string message, Exception? inner = null) : CrmAnalyticsException(message, inner)
{
    public override int ExitCode => ExitCodes.SourceUnreachable;
}
