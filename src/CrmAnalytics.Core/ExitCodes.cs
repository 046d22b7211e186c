namespace CrmAnalytics.Core;

/// <summary>Process exit codes; the contract in DESIGN.md and the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>An unexpected failure (a bug); nothing was published.</summary>
    public const int InternalError = 1;
    public const int BadArguments = 2;
    public const int InputUnreadable = 3;
    public const int TooManyRejects = 4;
    public const int ModelFitFailed = 5;
    public const int OutputFailed = 6;
    public const int DriftExceeded = 7;
    public const int Locked = 8;

    /// <summary>The database an engine reads from (<c>--engine postgres</c>) cannot be reached or refuses the login; nothing was published.</summary>
    public const int SourceUnreachable = 9;

    /// <summary>Cancelled by SIGINT (Ctrl-C), 128 + 2; the temporary folder and the lock were cleaned up, nothing published.</summary>
    public const int Interrupted = 130;

    /// <summary>Cancelled by SIGTERM, 128 + 15; the temporary folder and the lock were cleaned up, nothing published.</summary>
    public const int Terminated = 143;
}
