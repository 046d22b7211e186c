using System.Globalization;
using System.Runtime.InteropServices;
using CrmAnalytics.Core;

namespace CrmAnalytics.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // First, so that the previous run's methods compile in the background from the start (JitProfile).
        JitProfile.Start(args);
        // Every text crm writes is culture-invariant (files, SQL, summary.json, logs): the server's locale must not
        // change a date or a number. The writers format explicitly; this covers any message that does not.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        // SIGINT and SIGTERM cancel the run, which cleans up its temporary folder and lock and exits 130 or 143.
        // A second signal is ignored: the run is already stopping, within about a second.
        using var cancellation = new CancellationTokenSource();
        var signalExit = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.CompareExchange(ref signalExit, context.Signal == PosixSignal.SIGINT ? ExitCodes.Interrupted : ExitCodes.Terminated, 0) == 0)
            {
                cancellation.Cancel();
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var exit = CrmCli.Run(args, Console.Out, Console.Error, TimeProvider.System, cancellation.Token);
        return exit == ExitCodes.Interrupted && signalExit != 0 ? signalExit : exit;
    }
}
