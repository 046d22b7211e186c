using System.Globalization;
using CrmAnalytics.Benchmarks.Ingest;

namespace CrmAnalytics.Benchmarks.Score;

/// <summary>
/// <c>scale [customers ...]</c>: the scale table of issue 11. For each size it runs DuckDB's read + GROUP BY and
/// <c>crm score</c> (every model on) once each as fresh child processes on the seeded export, and prints one markdown
/// row with both wall times, both peak resident sets and the ratio. The default sizes give about 1M, 10M and 30M lines.
/// </summary>
public static class ScaleCommand
{
    /// <summary>About 7.46 lines per customer: 134,000 → 1.0M lines, 1,350,000 → 10.07M, 4,050,000 → 30.2M.</summary>
    public static IReadOnlyList<int> DefaultCustomers { get; } = [134_000, 1_350_000, 4_050_000];

    public static bool Handles(string[] args) => args is ["scale", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        IReadOnlyList<int> sizes;
        try
        {
            sizes = args.Length > 1 ? args.Skip(1).Select(SampleExport.ParseCustomers).ToArray() : DefaultCustomers;
            MeasuredProcess.ThrowIfUnavailable();
        }
        catch (Exception ex) when (ex is ArgumentException or PlatformNotSupportedException or FileNotFoundException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            await Console.Error.WriteLineAsync("usage: scale [customers ...]   (default: 134000 1350000 4050000, about 1M, 10M and 30M lines)");
            return 2;
        }

        var rows = new List<string>
        {
            "| lines | customers | DuckDB s | DuckDB peak MiB | crm score s | crm score peak MiB | crm / DuckDB time |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var customers in sizes)
        {
            var file = await SampleExport.EnsureAsync(customers, Console.Out);
            var duck = MeasuredProcess.DuckDb(file);
            var outDir = Path.Combine(Directory.CreateTempSubdirectory("crm-scale-").FullName, "out");
            try
            {
                var crm = MeasuredProcess.CrmScore(file, outDir);
                var scored = ScoreJobBenchmarks.CustomersIn(outDir);
                rows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {file.Lines:N0} | {scored:N0} | {duck.Elapsed.TotalSeconds:F1} | {duck.PeakRssMib:N0} | {crm.Elapsed.TotalSeconds:F1} | {crm.PeakRssMib:N0} | {crm.Elapsed / duck.Elapsed:F1}× |"));
                Console.WriteLine(rows[^1]);
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(outDir)!, recursive: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cores={Environment.ProcessorCount}, {Environment.OSVersion}, .NET {Environment.Version}"));
        foreach (var row in rows)
        {
            Console.WriteLine(row);
        }

        return 0;
    }
}
