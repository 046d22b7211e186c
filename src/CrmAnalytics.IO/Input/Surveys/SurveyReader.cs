using CrmAnalytics.Core;
using CrmAnalytics.Core.Nps;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input.Surveys;

/// <summary>The outcome of reading one survey export.</summary>
/// <param name="Responses">The accepted responses in file order.</param>
/// <param name="Comments">Accepted responses with a non-empty comment.</param>
/// <param name="FieldsDecodedWithFallback">Text fields that were not valid UTF-8 and were decoded with the fallback encoding.</param>
public sealed record SurveyReadResult(
    string Path,
    TransactionFormat Format,
    bool Compressed,
    RowAccounting Accounting,
    IReadOnlyList<SurveyResponse> Responses,
    long Comments,
    long FieldsDecodedWithFallback);

/// <summary>Reads a survey export (CSV, CSV.gz or Parquet) into validated responses; every row is accepted or rejected with a reason.</summary>
public static class SurveyReader
{
    /// <exception cref="ConfigurationException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="InputException">The file cannot be opened, or a mapped column is missing.</exception>
    public static async Task<SurveyReadResult> ReadAsync(string path, SurveyReadOptions options, IRejectSink rejects, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rejects);
        options.ThrowIfInvalid();
        var (format, compressed) = TransactionReader.Detect(path, options.Format);
        if (format == TransactionFormat.Whitespace)
        {
            format = TransactionFormat.Csv;
        }

        if (format == TransactionFormat.Parquet && compressed)
        {
            throw new ConfigurationException($"{System.IO.Path.GetFileName(path)}: Parquet files are compressed inside; a .gz around them is not supported.");
        }

        var handler = new SurveyRowHandler(options, System.IO.Path.GetFileName(path), rejects);
        var text = new FieldText(TransactionReadOptions.TryGetEncoding(options.FallbackEncoding)!);
        await TransactionReader.ReadFileAsync(path, compressed, async stream =>
        {
            if (format == TransactionFormat.Parquet)
            {
                await ParquetSurveySource.ReadAsync(stream, options, handler, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                CsvSurveySource.Read(stream, options, handler, text);
            }
        }, format == TransactionFormat.Parquet ? null : TransactionReadOptions.TryGetEncoding(options.Encoding)).ConfigureAwait(false);

        return new SurveyReadResult(path, format, compressed, handler.Accounting, handler.Responses, handler.Comments, text.FallbackDecodes);
    }
}
