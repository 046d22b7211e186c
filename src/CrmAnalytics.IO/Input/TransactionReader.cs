using System.IO.Compression;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>The outcome of reading one transaction file.</summary>
/// <param name="Builder">Per-customer accumulators of the accepted rows, ready to summarize at an as-of date.</param>
public sealed record TransactionReadResult(string Path, TransactionFormat Format, bool Compressed, RowAccounting Accounting, CustomerSummaryBuilder Builder);

/// <summary>Reads a transaction export (CSV, CSV.gz, whitespace text or Parquet) into per-customer accumulators.</summary>
public static class TransactionReader
{
    /// <summary>Detects the format of <paramref name="path"/> from its extension (looking through .gz).</summary>
    public static (TransactionFormat Format, bool Compressed) Detect(string path, TransactionFormat requested)
    {
        var compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        if (requested != TransactionFormat.Auto)
        {
            return (requested, compressed);
        }

        var inner = compressed ? path[..^3] : path;
        var ext = System.IO.Path.GetExtension(inner).ToLowerInvariant();
        return (ext switch
        {
            ".parquet" or ".pq" => TransactionFormat.Parquet,
            ".txt" or ".dat" => TransactionFormat.Whitespace,
            _ => TransactionFormat.Csv,
        }, compressed);
    }

    /// <exception cref="ConfigurationException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="InputException">The file cannot be opened, or a mapped column is missing.</exception>
    public static async Task<TransactionReadResult> ReadAsync(string path, TransactionReadOptions options, IRejectSink rejects, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        var (format, compressed) = Detect(path, options.Format);
        if (format == TransactionFormat.Parquet && compressed)
        {
            throw new ConfigurationException($"{System.IO.Path.GetFileName(path)}: Parquet files are compressed inside; a .gz around them is not supported.");
        }

        var handler = new TransactionRowHandler(options, System.IO.Path.GetFileName(path), rejects);
        await ReadFileAsync(path, compressed, async stream =>
        {
            switch (format)
            {
                case TransactionFormat.Parquet:
                    await ParquetTransactionSource.ReadAsync(stream, options, handler, cancellationToken).ConfigureAwait(false);
                    break;
                case TransactionFormat.Whitespace:
                    WhitespaceTransactionSource.Read(stream, options, handler);
                    break;
                default:
                    CsvTransactionSource.Read(stream, options, handler);
                    break;
            }
        }).ConfigureAwait(false);

        return new TransactionReadResult(path, format, compressed, handler.Accounting, handler.Builder);
    }

    /// <summary>Opens an input file (looking through gzip) and runs <paramref name="read"/> on its stream.</summary>
    /// <exception cref="InputException">The file cannot be opened, or its compressed stream is corrupt.</exception>
    internal static async Task ReadFileAsync(string path, bool compressed, Func<Stream, Task> read)
    {
        Stream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException($"{path}: cannot be opened ({ex.GetType().Name}: {ex.Message}).", ex);
        }

        await using (file.ConfigureAwait(false))
        {
            var stream = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
            try
            {
                await read(stream).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                throw new InputException($"{path}: the compressed stream is corrupt ({ex.Message}).", ex);
            }
            finally
            {
                if (compressed)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }
}
