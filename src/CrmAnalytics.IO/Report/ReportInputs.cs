using System.Globalization;
using System.Text.Json;
using CrmAnalytics.Core;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Summary;

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

        var clvColumn = ReportData.ClvColumnOf(summary);
        var table = await CustomerTableReader.ReadAsync(directory, clvColumn is null ? Needed : [.. Needed, clvColumn], [], cancellationToken).ConfigureAwait(false);
        var segment = table["segment"];
        var customers = new ReportCustomer[table.Rows];
        for (var i = 0; i < customers.Length; i++)
        {
            customers[i] = new ReportCustomer(segment[i] ?? string.Empty,
                (int)(table.Number("r_score", i) ?? 0), (int)(table.Number("f_score", i) ?? 0), table.Number("monetary_total", i) ?? 0,
                clvColumn is null ? null : table.Number(clvColumn, i));
        }

        return new ReportData(summary, customers, clvColumn, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))));
    }

    private static readonly string[] Needed = ["segment", "r_score", "f_score", "monetary_total"];
}
