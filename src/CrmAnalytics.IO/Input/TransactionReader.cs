using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>The outcome of reading one transaction file.</summary>
/// <param name="Builder">Per-customer accumulators of the accepted rows, ready to summarize at an as-of date.</param>
public sealed record TransactionReadResult(string Path, TransactionFormat Format, bool Compressed, RowAccounting Accounting, CustomerSummaryBuilder Builder)
{
    /// <summary>
    /// The hash and size of the file's bytes as they were read (compressed bytes for .gz): text formats, which are read
    /// once from start to end. Null for Parquet, which is read out of order, and for engines that read the file themselves.
    /// </summary>
    public Publishing.FileHash? Hash { get; init; }
}

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
        var hash = await ReadFileAsync(path, compressed, async stream =>
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
        }, format == TransactionFormat.Parquet ? null : TransactionReadOptions.TryGetEncoding(options.Encoding), hash: format != TransactionFormat.Parquet).ConfigureAwait(false);

        return new TransactionReadResult(path, format, compressed, handler.Accounting, handler.Builder) { Hash = hash };
    }

    /// <summary>Opens an input file (looking through gzip) and runs <paramref name="read"/> on its stream.</summary>
    /// <param name="hash">Hash the file's bytes as <paramref name="read"/> reads them, which it must do in order (not Parquet).</param>
    /// <returns>The file's hash when <paramref name="hash"/> is set, else null.</returns>
    /// <param name="text">The encoding of a text file, which is checked for UTF-16 without a byte order mark; null for binary formats.</param>
    /// <exception cref="InputException">The path is a folder, the file cannot be opened, its compressed stream is truncated or
    /// corrupt, or it looks like UTF-16 without a byte order mark while read as UTF-8 or a single-byte encoding.</exception>
    internal static async Task<Publishing.FileHash?> ReadFileAsync(string path, bool compressed, Func<Stream, Task> read, Encoding? text = null, bool hash = false)
    {
        if (Directory.Exists(path))
        {
            throw new InputException($"{path}: is a folder, not a file.");
        }

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
            using var hashing = hash ? new Publishing.HashingReadStream(file) : null;
            var stream = compressed ? new GzipMemberStream((Stream?)hashing ?? file) : (Stream?)hashing ?? file;
            try
            {
                if (text is not null && (text.CodePage == Encoding.UTF8.CodePage || text.IsSingleByte))
                {
                    ThrowIfUtf16WithoutByteOrderMark(path, compressed);
                }

                await read(stream).ConfigureAwait(false);
                return hashing?.Finish();
            }
            catch (InvalidDataException ex)
            {
                // GzipMemberStream's messages complete the sentence "<path> ..."; anything else is a decoder's own.
                throw new InputException(compressed ? $"{path}: {ex.Message}" : $"{path}: is corrupt ({ex.Message}).", ex);
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

    /// <summary>
    /// UTF-16 text without a byte order mark read as UTF-8 is ASCII with a NUL byte between characters; it would reach
    /// messages and rejects as NUL bytes. The first 4 KiB decide: a NUL in at least 40% of the odd (or even) bytes.
    /// </summary>
    private static void ThrowIfUtf16WithoutByteOrderMark(string path, bool compressed)
    {
        var head = new byte[4096];
        int length;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var stream = compressed ? new GzipMemberStream(file) : (Stream)file)
        {
            length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var pairs = length / 2;
        if (pairs < 2 || head is [0xff, 0xfe, ..] or [0xfe, 0xff, ..])
        {
            return;
        }

        int evenNuls = 0, oddNuls = 0;
        for (var i = 0; i < pairs * 2; i += 2)
        {
            evenNuls += head[i] == 0 ? 1 : 0;
            oddNuls += head[i + 1] == 0 ? 1 : 0;
        }

        if (Math.Max(evenNuls, oddNuls) * 10 >= pairs * 4)
        {
            var order = oddNuls >= evenNuls ? "utf-16" : "utf-16BE";
            throw new InputException($"{path}: looks like UTF-16 without a byte-order mark (NUL bytes between the characters). Re-save it as UTF-8, or read it with --encoding {order}.");
        }
    }
}
