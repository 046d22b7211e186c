using System.Globalization;
using System.Text.Json;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Output;

namespace CrmAnalytics.IO.Report;

/// <summary>Reads a previous run's output folder back into <see cref="ReportData"/> (<c>crm report DIR</c>).</summary>
public static class ReportInputs
{
    /// <exception cref="InputException">summary.json is missing or invalid, or there is no customers.parquet or customers.csv, or a needed column is missing.</exception>
    public static async Task<ReportData> ReadAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var summaryPath = Path.Combine(directory, OutputFileNames.Summary);
        RunSummary summary;
        try
        {
            await using var stream = File.OpenRead(summaryPath);
            summary = RunSummaryWriter.Read(stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            throw new InputException($"{summaryPath}: cannot be read as a run summary ({ex.GetType().Name}).", ex);
        }

        var clvColumn = summary.Clv is { } clv ? FormattableString.Invariant($"clv_{clv.HorizonMonths}m") : null;
        var table = await CustomerTableReader.ReadAsync(directory, clvColumn is null ? Needed : [.. Needed, clvColumn], [], cancellationToken).ConfigureAwait(false);
        var segment = table["segment"];
        var stage = table["lifecycle_stage"];
        var r = table["r_score"];
        var f = table["f_score"];
        var money = table["monetary_total"];
        var clvValues = clvColumn is null ? null : table[clvColumn];
        var customers = new ReportCustomer[table.Rows];
        for (var i = 0; i < customers.Length; i++)
        {
            customers[i] = new ReportCustomer(segment[i] ?? string.Empty, stage[i] ?? string.Empty, (int)(Number(r[i]) ?? 0), (int)(Number(f[i]) ?? 0), Number(money[i]) ?? 0, clvValues is null ? null : Number(clvValues[i]));
        }

        return new ReportData(summary, customers, clvColumn, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))));
    }

    private static readonly string[] Needed = ["segment", "lifecycle_stage", "r_score", "f_score", "monetary_total"];

    private static double? Number(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
