using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Publishing;
using CsvHelper;

namespace CrmAnalytics.IO.Churn;

/// <summary>One customer of the churn warning list.</summary>
/// <param name="Priority">1 for the most value at stake.</param>
/// <param name="ExpectedValueLost">churn_probability × clv_&lt;H&gt;m; null without CLV.</param>
/// <param name="Reasons">Up to three churn reasons in words.</param>
/// <param name="ContactBy">The as-of date + the rule's contact_within_days.</param>
public sealed record ChurnWarning(
    int Priority,
    string CustomerId,
    string Segment,
    string ValueTier,
    double Probability,
    double? ExpectedValueLost,
    IReadOnlyList<string> Reasons,
    string Action,
    DateOnly ContactBy);

/// <summary>Writes <c>segments/churn-warning.csv</c>, the warning list marketers work through in priority order.</summary>
public static class ChurnWarningWriter
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "priority", "customer_id", "segment", "value_tier", "churn_probability", "expected_value_lost",
        "reason_1", "reason_2", "reason_3", "action", "contact_by",
    ];

    /// <summary>The customer ids of a warning list an earlier run wrote; empty when there is none.</summary>
    /// <exception cref="InputException">The file has no customer_id column or cannot be read as CSV.</exception>
    public static IReadOnlySet<string> ReadCustomerIds(string path)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return ids;
        }

        using var stream = File.OpenRead(path);
        using var reader = CsvTransactionSource.Open(stream, CustomerTableReader.DialectOf(path) == CsvDialect.Excel ? ';' : ',', hasHeader: true, null, Path.GetFileName(path), new Dictionary<long, CsvMalformedReason>(), out var header);
        var id = Array.IndexOf(header!, "customer_id");
        if (id < 0)
        {
            throw new InputException($"{Path.GetFileName(path)}: no customer_id column.");
        }

        foreach (var row in reader)
        {
            ids.Add(CsvOutput.ReadText(row.GetString(id)));
        }

        return ids;
    }

    /// <exception cref="OutputException">The file cannot be written.</exception>
    public static void WriteFile(string path, IEnumerable<ChurnWarning> warnings, CsvDialect dialect = CsvDialect.Rfc4180)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        OutputFiles.Write(path, stream =>
        {
            using var csv = CsvHelper.CsvWriter.Create(stream, CsvOutput.For(dialect), leaveOpen: true);
            csv.WriteHeader([.. Columns]);
            foreach (var w in warnings)
            {
                csv.WriteField(w.Priority, ReadOnlySpan<char>.Empty);
                CsvOutput.WriteText(csv, w.CustomerId);
                CsvOutput.WriteText(csv, w.Segment);
                csv.WriteField(w.ValueTier);
                csv.WriteField(CustomerCsvWriter.Round(w.Probability, CsvRounding.SignificantDigits6), ReadOnlySpan<char>.Empty);
                csv.WriteField(w.ExpectedValueLost is { } lost ? CustomerCsvWriter.Round(lost, CsvRounding.Cents) : (double?)null, ReadOnlySpan<char>.Empty);

                for (var r = 0; r < 3; r++)
                {
                    CsvOutput.WriteText(csv, r < w.Reasons.Count ? w.Reasons[r] : string.Empty);
                }

                CsvOutput.WriteText(csv, w.Action);
                // Not through the dialect's format provider: the Excel dialect's has no calendar, and dates took the process
                // culture's (a Thai locale wrote the Buddhist year).
                csv.WriteField(w.ContactBy.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                csv.EndRecord();
            }

            csv.Flush();
        });
    }
}
