using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;
using CsvHelper;

namespace CrmAnalytics.IO.Input.Attributes;

/// <summary>A customer attributes file read, with its row accounting.</summary>
public sealed record CustomerAttributesReadResult(CustomerAttributes Attributes, RowAccounting Accounting);

/// <summary>
/// Reads an optional customer attributes CSV (<c>--customers</c>): a header, one id column (default
/// <c>customer_id</c>) and any number of attribute columns, joined to the customer table on the id. Every row is
/// accepted or rejected (missing id, wrong column count, an id that is not valid text in the encoding, duplicate id — the first row wins) into the rejects sink.
/// </summary>
public static class CustomerAttributesReader
{
    /// <exception cref="InputException">The file is missing, empty or lacks the id column (exit code 3).</exception>
    public static CustomerAttributesReadResult Read(string path, IRejectSink rejects, string idColumn = "customer_id", char separator = ',', string encoding = "utf-8")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(rejects);
        var file = Path.GetFileName(path);
        if (!File.Exists(path))
        {
            throw new InputException($"The customer attributes file {path} does not exist.");
        }

        using var stream = File.OpenRead(path);

        // The engine's CSV dialect and header handling; lines with broken quoting are noted but, as before, not rejected.
        using var reader = CsvTransactionSource.Open(stream, separator, hasHeader: true, TransactionReadOptions.TryGetEncoding(encoding), file,
            new Dictionary<long, CsvMalformedReason>(), out var headerRow);
        var header = headerRow!;

        var id = MappingSpec.Find(idColumn, header, file);
        if (id < 0)
        {
            throw MappingSpec.Missing(file, [$"customer_id ('{idColumn}')"], header);
        }

        var columns = header.Where((_, i) => i != id).ToArray();
        var rows = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        var accounting = new RowAccounting();
        try
        {
            foreach (var row in reader)
            {
                var line = reader.LineNumber;
                if (row.FieldCount != header.Length)
                {
                    Reject(RejectReason.WrongColumnCount, string.Empty);
                    continue;
                }

                var key = row.GetString(id).Trim();
                if (key.Contains('\uFFFD', StringComparison.Ordinal))
                {
                    Reject(RejectReason.InvalidEncoding, idColumn);
                    continue;
                }

                if (key.Length == 0)
                {
                    Reject(RejectReason.MissingCustomerId, idColumn);
                    continue;
                }

                if (rows.ContainsKey(key))
                {
                    Reject(RejectReason.DuplicateCustomerId, idColumn);
                    continue;
                }

                var values = new string?[columns.Length];
                for (int i = 0, k = 0; i < header.Length; i++)
                {
                    if (i != id)
                    {
                        var text = row.GetString(i).Trim();
                        values[k++] = text.Length == 0 ? null : text;
                    }
                }

                rows.Add(key, values);
                accounting.Accept();

                void Reject(RejectReason reason, string column)
                {
                    accounting.Reject(reason);
                    rejects.Reject(file, line, column, reason, reader.RawRecord);
                }
            }
        }
        catch (CsvFormatException ex)
        {
            throw new InputException($"{file}: line {ex.LineNumber}: {ex.Message}", ex);
        }

        return new CustomerAttributesReadResult(new CustomerAttributes(columns, rows), accounting);
    }
}
