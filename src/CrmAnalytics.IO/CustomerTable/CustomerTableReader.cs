using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Publishing;
using CsvHelper;

namespace CrmAnalytics.IO.CustomerTable;

/// <summary>Named columns of a published customer table, as text cells (null = empty), aligned by row.</summary>
/// <param name="numbers">How the cells write numbers: the invariant culture, or <see cref="CsvOutput.ExcelNumbers"/>
/// for a <c>customers.csv</c> in the Excel dialect.</param>
public sealed class CustomerTableColumns(int rows, IReadOnlyDictionary<string, string?[]> columns, IFormatProvider? numbers = null)
{
    private readonly IFormatProvider _numbers = numbers ?? CultureInfo.InvariantCulture;

    public int Rows { get; } = rows;

    public bool Has(string name) => columns.ContainsKey(name);

    /// <summary>The column's cells; throws for a column that was optional and absent (check <see cref="Has"/>).</summary>
    public string?[] this[string name] => columns[name];

    /// <summary>A cell as the number the writers wrote (in the table's dialect); null when empty or not a number.</summary>
    public double? Number(string name, int row) =>
        double.TryParse(columns[name][row], NumberStyles.Float, _numbers, out var value) ? value : null;
}

/// <summary>
/// Reads columns back from a previous run's output folder: <c>customers.parquet</c> when it is there, else
/// <c>customers.csv</c>, whose text cells lose the one <c>'</c> the writer added (<see cref="CsvOutput.WriteText"/>), so
/// ids such as <c>+4930…</c> read back as they were. Used by <c>crm report</c> and by the run-to-run comparison.
/// A <c>customers.csv</c> in either <see cref="CsvDialect"/> reads back: the header's first separator tells which.
/// </summary>
public static class CustomerTableReader
{
    /// <exception cref="InputException">Neither table is there, or a required column is missing.</exception>
    public static async Task<CustomerTableColumns> ReadAsync(string directory, IReadOnlyList<string> required, IReadOnlyList<string> optional, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var parquet = Path.Combine(directory, OutputFileNames.CustomersParquet);
        var csv = Path.Combine(directory, OutputFileNames.CustomersCsv);
        if (File.Exists(parquet))
        {
            return await ReadParquetAsync(parquet, required, optional, ct).ConfigureAwait(false);
        }

        return File.Exists(csv)
            ? ReadCsv(csv, required, optional)
            : throw new InputException($"{directory}: neither {OutputFileNames.CustomersParquet} nor {OutputFileNames.CustomersCsv} is there.");
    }

    private static string[] Select(IReadOnlyList<string> header, IReadOnlyList<string> required, IReadOnlyList<string> optional, string file)
    {
        var missing = required.Where(n => !header.Contains(n)).ToArray();
        if (missing.Length > 0)
        {
            throw MappingSpec.Missing(file, missing, header);
        }

        return [.. required, .. optional.Where(header.Contains)];
    }

    private static async Task<CustomerTableColumns> ReadParquetAsync(string path, IReadOnlyList<string> required, IReadOnlyList<string> optional, CancellationToken ct)
    {
        var result = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        var rows = 0;
        await TransactionReader.ReadFileAsync(path, compressed: false, async stream =>
        {
            var reader = await ParquetTransactionSource.OpenAsync(stream, Path.GetFileName(path), ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var fields = reader.Schema.DataFields;
                var names = Select(fields.Select(f => f.Name).ToArray(), required, optional, Path.GetFileName(path));
                foreach (var name in names)
                {
                    result[name] = [];
                }

                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var group = reader.OpenRowGroupReader(g);
                    var n = checked((int)group.RowCount);
                    foreach (var name in names)
                    {
                        var column = await ParquetTransactionSource.ReadColumnAsync(group, fields.First(f => f.Name == name), n, ct).ConfigureAwait(false);
                        var cells = result[name];
                        for (var r = 0; r < n; r++)
                        {
                            cells.Add(column.Text(r));
                        }
                    }

                    rows += n;
                }
            }
        }).ConfigureAwait(false);
        return new CustomerTableColumns(rows, result.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal));
    }

    private static CustomerTableColumns ReadCsv(string path, IReadOnlyList<string> required, IReadOnlyList<string> optional)
    {
        var excel = DialectOf(path) == CsvDialect.Excel;
        using var stream = File.OpenRead(path);
        using var reader = CsvTransactionSource.Open(stream, excel ? ';' : ',', true, null, Path.GetFileName(path), new ConcurrentDictionary<long, CsvMalformedReason>(), out var header);
        var names = Select(header!, required, optional, Path.GetFileName(path));
        var index = names.Select(n => Array.IndexOf(header!, n)).ToArray();
        var cells = names.Select(_ => new List<string?>()).ToArray();
        while (reader.Read())
        {
            for (var i = 0; i < names.Length; i++)
            {
                var text = Encoding.UTF8.GetString(reader.GetSpan(index[i]));
                cells[i].Add(text.Length == 0 ? null : CsvOutput.ReadText(text));
            }
        }

        return new CustomerTableColumns(cells.Length == 0 ? 0 : cells[0].Count, names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => cells[p.i].ToArray(), StringComparer.Ordinal),
            excel ? CsvOutput.ExcelNumbers : CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The dialect a customer table CSV was written in: <see cref="CsvDialect.Excel"/> when the first separator of its
    /// header line is ';'. Column names are snake_case and hold neither ',' nor ';', so the first one found decides.
    /// </summary>
    internal static CsvDialect DialectOf(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[4096];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            foreach (var b in buffer.AsSpan(0, read))
            {
                switch (b)
                {
                    case (byte)';':
                        return CsvDialect.Excel;
                    case (byte)',' or (byte)'\n':
                        return CsvDialect.Rfc4180;
                }
            }
        }

        return CsvDialect.Rfc4180;
    }
}
