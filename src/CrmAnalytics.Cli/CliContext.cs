using System.CommandLine;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Core;

namespace CrmAnalytics.Cli;

/// <summary>What every command shares: the output streams, the global verbosity options and the error-to-exit-code mapping.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, TimeProvider clock)
{
    /// <summary>The run date comes from it (date plausibility); tests pass a fixed clock.</summary>
    public TimeProvider Clock { get; } = clock;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Only warnings and errors on stderr (the default when stderr is not a terminal).", Recursive = true };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Detailed progress on stderr.", Recursive = true };

    public Option<LogFormat> LogFormat { get; } = new("--log-format")
    {
        Description = "Log lines on stderr: text (default) or json (one object per line for orchestrators).",
        Recursive = true,
        DefaultValueFactory = _ => Stages.Logging.LogFormat.Text,
    };

    /// <summary>Runs a command body, turning each error family into its documented exit code.</summary>
    public async Task<int> RunAsync(ParseResult parse, Func<RunLog, Task<int>> body)
    {
        // Progress goes to a terminal; under cron or an orchestrator (stderr redirected) only warnings and errors, unless -v.
        var terminal = ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;
        var verbosity = parse.GetValue(Quiet) ? Verbosity.Quiet
            : parse.GetValue(Verbose) ? Verbosity.Verbose
            : terminal ? Verbosity.Normal : Verbosity.Quiet;
        var log = new RunLog(Error, verbosity, parse.GetValue(LogFormat), Clock);
        try
        {
            return await body(log).ConfigureAwait(false);
        }
        catch (CrmAnalyticsException ex)
        {
            log.Error(ex is ConfigurationException ? Options.OptionMessages.WithOptionNames(ex.Message, parse.CommandResult.Command) : ex.Message);
            return ex.ExitCode;
        }
        catch (OperationCanceledException)
        {
            log.Error("cancelled; nothing was published.");
            return ExitCodes.Interrupted;
        }
    }

    public Task<int> RunAsync(ParseResult parse, Func<RunLog, int> body) => RunAsync(parse, log => Task.FromResult(body(log)));
}
