using System.Diagnostics;
using System.Globalization;
using CrmAnalytics.Benchmarks.Ingest;

namespace CrmAnalytics.Benchmarks.Score;

/// <summary>One child process's wall time and peak resident set (<c>/usr/bin/time</c>'s maximum RSS, which includes native memory).</summary>
public readonly record struct ProcessMeasurement(TimeSpan Elapsed, long PeakRssKib)
{
    public double PeakRssMib => PeakRssKib / 1024.0;
}

/// <summary>
/// Runs each side of the end-to-end comparison as a fresh child process under <c>/usr/bin/time -f %M</c>, so that the
/// peak of one run is never the peak of an earlier one: <c>crm score</c> with every model on (the preset's defaults:
/// BG/NBD + Gamma-Gamma, the holdout check, LightGBM churn trained in the run), and DuckDB's read + GROUP BY
/// (<see cref="DuckDbSide"/>, through this program's <c>peak duckdb</c> mode). Linux only.
/// </summary>
public static class MeasuredProcess
{
    private const string Time = "/usr/bin/time";

    /// <summary><c>crm</c> as built beside this program (the benchmarks reference the Cli project).</summary>
    public static string CrmDll => Path.Combine(AppContext.BaseDirectory, "crm.dll");

    /// <summary>Throws unless the children can run here: Linux with <c>/usr/bin/time</c>, and crm.dll beside this program.</summary>
    public static void ThrowIfUnavailable()
    {
        if (!File.Exists(Time))
        {
            throw new PlatformNotSupportedException($"{Time} is needed to measure a child's peak resident set (Debian: apt-get install time).");
        }

        if (!File.Exists(CrmDll))
        {
            throw new FileNotFoundException($"crm.dll is not beside the benchmarks ({CrmDll}); build the solution in Release.", CrmDll);
        }
    }

    /// <summary><c>crm score &lt;file&gt; --preset sample --out &lt;outDir&gt;</c>; <paramref name="outDir"/> must not exist.</summary>
    public static ProcessMeasurement CrmScore(SampleExportFile file, string outDir) =>
        Run(["dotnet", CrmDll, "score", file.Path, "--preset", "sample", "--out", outDir]);

    /// <summary>DuckDB's read + GROUP BY of <see cref="DuckDbSide.Sql"/> on the same file, in a fresh process.</summary>
    public static ProcessMeasurement DuckDb(SampleExportFile file)
    {
        var self = typeof(MeasuredProcess).Assembly.Location;
        return Run(["dotnet", self, "peak", "duckdb", file.Customers.ToString(CultureInfo.InvariantCulture)]);
    }

    private static ProcessMeasurement Run(IReadOnlyList<string> command)
    {
        var rssFile = Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo(Time) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { "-f", "%M", "-o", rssFile }.Concat(command))
            {
                start.ArgumentList.Add(arg);
            }

            var clock = Stopwatch.StartNew();
            using var child = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {command[0]}.");
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            child.WaitForExit();
            clock.Stop();
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"'{string.Join(' ', command)}' exited with {child.ExitCode}:\n{stderr.Result}\n{stdout.Result}");
            }

            var kib = long.Parse(File.ReadAllText(rssFile).Trim().Split('\n')[^1], NumberStyles.None, CultureInfo.InvariantCulture);
            return new ProcessMeasurement(clock.Elapsed, kib);
        }
        finally
        {
            File.Delete(rssFile);
        }
    }
}
