using System.Globalization;
using CrmAnalytics.Core.Sampling;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Sampling;

namespace CrmAnalytics.Benchmarks.Ingest;

/// <summary>A cached, seeded synthetic export and the facts the benchmarks need about it.</summary>
/// <param name="AsOf">The day after the last row our reader accepts; both sides summarize as of it.</param>
public sealed record SampleExportFile(string Path, int Customers, int Seed, long Lines, long Bytes, DateOnly AsOf);

/// <summary>
/// Generates <c>transactions-&lt;customers&gt;-&lt;seed&gt;.csv</c> once with the project's simulator and reuses it while its
/// size matches the sidecar <c>.meta</c> written after a complete generation.
/// </summary>
public static class SampleExport
{
    public const int DefaultCustomers = 1_350_000;

    public const int Seed = 42;

    public const string CustomersVariable = "CRM_BENCH_CUSTOMERS";

    public const string DataDirectoryVariable = "CRM_BENCH_DATA";

    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } dir
            ? dir
            : System.IO.Path.Combine(System.IO.Path.GetTempPath(), "crm-bench");

    /// <summary>The customer count from <c>CRM_BENCH_CUSTOMERS</c> (underscores and commas allowed), or the 10M-line default.</summary>
    public static int CustomersFromEnvironment() =>
        Environment.GetEnvironmentVariable(CustomersVariable) is { Length: > 0 } raw
            ? ParseCustomers(raw)
            : DefaultCustomers;

    public static int ParseCustomers(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var digits = raw.Replace("_", string.Empty, StringComparison.Ordinal).Replace(",", string.Empty, StringComparison.Ordinal);
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var customers) || customers < 1)
        {
            throw new ArgumentException($"The customer count must be a positive integer, not '{raw}'.", nameof(raw));
        }

        return customers;
    }

    public static string CsvPath(int customers) =>
        System.IO.Path.Combine(CacheDirectory, string.Create(CultureInfo.InvariantCulture, $"transactions-{customers}-{Seed}.csv"));

    /// <summary>The cached export, or null when it is missing or does not match its sidecar.</summary>
    public static SampleExportFile? TryLoad(int customers)
    {
        var path = CsvPath(customers);
        var metaPath = path + ".meta";
        if (!File.Exists(path) || !File.Exists(metaPath))
        {
            return null;
        }

        var meta = File.ReadAllLines(metaPath)
            .Select(l => l.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        if (!meta.TryGetValue("lines", out var lines) || !meta.TryGetValue("bytes", out var bytes) || !meta.TryGetValue("asof", out var asOf))
        {
            return null;
        }

        var file = new SampleExportFile(
            path,
            customers,
            Seed,
            long.Parse(lines, CultureInfo.InvariantCulture),
            long.Parse(bytes, CultureInfo.InvariantCulture),
            DateOnly.ParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        return new FileInfo(path).Length == file.Bytes ? file : null;
    }

    /// <summary>Returns the cached export, generating it (and its as-of, with our reader) when missing or stale.</summary>
    public static async Task<SampleExportFile> EnsureAsync(int customers, TextWriter? log = null)
    {
        if (TryLoad(customers) is { } cached)
        {
            return cached;
        }

        var path = CsvPath(customers);
        Directory.CreateDirectory(CacheDirectory);
        var tmp = string.Create(CultureInfo.InvariantCulture, $"{path}.tmp-{Environment.ProcessId}");
        log?.WriteLine($"Generating {path} ({customers:N0} customers, seed {Seed}) ...");
        long lines;
        await using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            lines = SampleCsvWriter.Write(stream, TransactionSimulator.Generate(new TransactionSimulatorOptions { Customers = customers, Seed = Seed }));
        }

        File.Move(tmp, path, overwrite: true);
        var read = await TransactionReader.ReadAsync(path, TransactionPresets.Sample, NullRejectSink.Instance);
        var file = new SampleExportFile(path, customers, Seed, lines, new FileInfo(path).Length, read.Builder.DefaultAsOf());
        var metaTmp = tmp + ".meta";
        await File.WriteAllLinesAsync(metaTmp,
        [
            string.Create(CultureInfo.InvariantCulture, $"lines={file.Lines}"),
            string.Create(CultureInfo.InvariantCulture, $"bytes={file.Bytes}"),
            string.Create(CultureInfo.InvariantCulture, $"asof={file.AsOf:yyyy-MM-dd}"),
        ]);
        File.Move(metaTmp, path + ".meta", overwrite: true);
        log?.WriteLine($"Generated {file.Lines:N0} lines, {file.Bytes / (1024.0 * 1024.0):N1} MiB, as-of {file.AsOf:yyyy-MM-dd}.");
        return file;
    }
}
