using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.TestSupport;

/// <summary>What one in-process <c>crm</c> invocation produced.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>Everything the run printed, for messages of failed assertions.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}

/// <summary>A clock that always reads <paramref name="now"/>.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>Runs <see cref="CrmCli.Run"/> in process with captured stdout and stderr.</summary>
internal static class Crm
{
    public static CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CrmCli.Run(args, output, error);
        return Checked(args, new CliResult(exit, output.ToString(), error.ToString()));
    }

    /// <summary>Runs <c>crm</c> on the run date <paramref name="today"/> (midday UTC), as the nightly job would on that day.</summary>
    public static CliResult RunOn(DateOnly today, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CrmCli.Run(args, output, error, new FixedClock(new DateTimeOffset(today, new TimeOnly(12, 0), TimeSpan.Zero)), CancellationToken.None);
        return Checked(args, new CliResult(exit, output.ToString(), error.ToString()));
    }

    /// <summary>Every summary.json and model.json a run publishes follows its schema (<see cref="PublishedContracts"/>).</summary>
    private static CliResult Checked(string[] args, CliResult result)
    {
        PublishedContracts.Check(args, result);
        return result;
    }

    /// <summary>The sample export of the repros, <c>crm sample --customers 600 --seed 3</c>, written to <paramref name="folder"/>.</summary>
    public static string Sample600(string folder)
    {
        var sample = Run("sample", "--customers", "600", "--seed", "3", "--out", folder);
        Assert.That(sample.ExitCode, Is.EqualTo(0), sample.ToString());
        return Path.Combine(folder, "transactions.csv");
    }

    /// <summary>The committed example export, <c>samples/transactions.csv</c> (written by <c>crm sample</c>).</summary>
    public static string SampleTransactions => Path.Combine(DatasetPaths.Repository, "samples", "transactions.csv");
}
