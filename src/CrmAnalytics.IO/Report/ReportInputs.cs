using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Output;
using CsvHelper;

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
        var parquet = Path.Combine(directory, OutputFileNames.CustomersParquet);
        var csv = Path.Combine(directory, OutputFileNames.CustomersCsv);
        IReadOnlyList<ReportCustomer> customers = File.Exists(parquet)
            ? await ReadParquetAsync(parquet, clvColumn, cancellationToken).ConfigureAwait(false)
            : File.Exists(csv)
                ? ReadCsv(csv, clvColumn)
                : throw new InputException($"{directory}: neither {OutputFileNames.CustomersParquet} nor {OutputFileNames.CustomersCsv} is there.");
        return new ReportData(summary, customers, clvColumn, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory))));
    }

    private static readonly string[] Needed = ["segment", "lifecycle_stage", "r_score", "f_score", "monetary_total"];

    private static int[] Indices(IReadOnlyList<string> header, string? clvColumn, string file)
    {
        var names = clvColumn is null ? Needed : [.. Needed, clvColumn];
        var indices = names.Select(n => header.ToList().IndexOf(n)).ToArray();
        var missing = names.Where((_, i) => indices[i] < 0).ToArray();
        if (missing.Length > 0)
        {
            throw MappingSpec.Missing(file, missing, header);
        }

        return indices;
    }

    private static async Task<List<ReportCustomer>> ReadParquetAsync(string path, string? clvColumn, CancellationToken ct)
    {
        var rows = new List<ReportCustomer>();
        await TransactionReader.ReadFileAsync(path, compressed: false, async stream =>
        {
            var reader = await ParquetTransactionSource.OpenAsync(stream, Path.GetFileName(path), ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var fields = reader.Schema.DataFields;
                var idx = Indices(fields.Select(f => f.Name).ToArray(), clvColumn, Path.GetFileName(path));
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var group = reader.OpenRowGroupReader(g);
                    var n = checked((int)group.RowCount);
                    var columns = new ParquetTransactionSource.ParquetColumn[idx.Length];
                    for (var i = 0; i < idx.Length; i++)
                    {
                        columns[i] = await ParquetTransactionSource.ReadColumnAsync(group, fields[idx[i]], n, ct).ConfigureAwait(false);
                    }

                    for (var r = 0; r < n; r++)
                    {
                        rows.Add(new ReportCustomer(
                            columns[0].Text(r) ?? string.Empty,
                            columns[1].Text(r) ?? string.Empty,
                            (int)(columns[2].Numbers![r] ?? 0),
                            (int)(columns[3].Numbers![r] ?? 0),
                            columns[4].Numbers![r] ?? 0,
                            columns.Length > 5 ? columns[5].Numbers![r] : null));
                    }
                }
            }
        }).ConfigureAwait(false);
        return rows;
    }

    private static List<ReportCustomer> ReadCsv(string path, string? clvColumn)
    {
        using var stream = File.OpenRead(path);
        using var reader = CsvTransactionSource.Open(stream, ',', true, null, Path.GetFileName(path), new ConcurrentDictionary<long, CsvMalformedReason>(), out var header);
        var idx = Indices(header!, clvColumn, Path.GetFileName(path));
        var rows = new List<ReportCustomer>();
        string Text(int i) => Encoding.UTF8.GetString(reader.GetSpan(idx[i]));
        double? Number(int i) => double.TryParse(Text(i), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
        while (reader.Read())
        {
            rows.Add(new ReportCustomer(Text(0), Text(1), (int)(Number(2) ?? 0), (int)(Number(3) ?? 0), Number(4) ?? 0, idx.Length > 5 ? Number(5) : null));
        }

        return rows;
    }
}
