using System.Diagnostics;
using System.Globalization;

namespace CrmAnalytics.Benchmarks.Ingest;

/// <summary>
/// <c>peak ours|duckdb [customers]</c>: runs one side once in this fresh process and prints its peak working set
/// (VmHWM on Linux), which BenchmarkDotNet cannot report per benchmark. <c>prepare [customers]</c> generates the cached
/// export; <c>peak</c> runs it in a child process when needed so generation does not count towards the peak.
/// </summary>
public static class PeakCommand
{
    public static bool Handles(string[] args) => args is ["peak", ..] or ["prepare", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            return args switch
            {
                ["prepare"] => await PrepareAsync(SampleExport.CustomersFromEnvironment()),
                ["prepare", var n] => await PrepareAsync(SampleExport.ParseCustomers(n)),
                ["peak", var side] => await PeakAsync(side, SampleExport.CustomersFromEnvironment()),
                ["peak", var side, var n] => await PeakAsync(side, SampleExport.ParseCustomers(n)),
                _ => Usage(),
            };
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return Usage();
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: prepare [customers] | peak ours|duckdb [customers]   (default: CRM_BENCH_CUSTOMERS or 1350000)");
        return 2;
    }

    private static async Task<int> PrepareAsync(int customers)
    {
        var file = await SampleExport.EnsureAsync(customers, Console.Out);
        Console.WriteLine($"{file.Path}: {file.Lines:N0} lines, {file.Bytes:N0} bytes, as-of {file.AsOf:yyyy-MM-dd}");
        return 0;
    }

    private static async Task<int> PeakAsync(string side, int customers)
    {
        if (side is not ("ours" or "duckdb"))
        {
            throw new ArgumentException($"Unknown side '{side}'; use ours or duckdb.", nameof(side));
        }

        var file = SampleExport.TryLoad(customers);
        if (file is null)
        {
            var exit = await PrepareInChildAsync(customers);
            file = SampleExport.TryLoad(customers);
            if (exit != 0 || file is null)
            {
                Console.Error.WriteLine($"Preparing the export failed (exit code {exit}).");
                return 1;
            }
        }

        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var before = self.PeakWorkingSet64;
        var clock = Stopwatch.StartNew();
        var rows = side == "ours"
            ? await OursSide.CountCustomersAsync(file.Path)
            : DuckDbSide.CountCustomers(file.Path, file.AsOf);
        clock.Stop();
        self.Refresh();
        var threads = side == "duckdb" ? $", DuckDB threads={DuckDbSide.Settings().Threads}" : string.Empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"side={side} customers_simulated={customers} lines={file.Lines} rows={rows} elapsed_s={clock.Elapsed.TotalSeconds:F2} " +
            $"peak_working_set_mib={Mib(self.PeakWorkingSet64):F1} peak_before_run_mib={Mib(before):F1} " +
            $"working_set_now_mib={Mib(Environment.WorkingSet):F1} managed_allocated_mib={Mib(GC.GetTotalAllocatedBytes()):F1} cores={Environment.ProcessorCount}{threads}"));
        return 0;
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private static async Task<int> PrepareInChildAsync(int customers)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(PeakCommand).Assembly.Location);
        }

        start.ArgumentList.Add("prepare");
        start.ArgumentList.Add(customers.ToString(CultureInfo.InvariantCulture));
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Cannot start the prepare process.");
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
