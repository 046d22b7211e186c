namespace CrmAnalytics.Core;

/// <summary>Process exit codes; the contract in DESIGN.md and the README.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int BadArguments = 2;
    public const int InputUnreadable = 3;
    public const int TooManyRejects = 4;
    public const int ModelFitFailed = 5;
    public const int OutputFailed = 6;
    public const int DriftExceeded = 7;
    public const int Locked = 8;
}
