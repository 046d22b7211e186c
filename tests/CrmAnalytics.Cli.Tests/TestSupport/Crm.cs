using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.TestSupport;

/// <summary>What one in-process <c>crm</c> invocation produced.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Everything the run printed, for messages of failed assertions.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>Runs <see cref="CrmCli.Run"/> in process with captured stdout and stderr.</summary>
internal static class Crm
{
    public static CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CrmCli.Run(args, output, error);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>The committed example export, <c>samples/transactions.csv</c> (written by <c>crm sample</c>).</summary>
    public static string SampleTransactions => Path.Combine(DatasetPaths.Repository, "samples", "transactions.csv");
}
