using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Publishing;
using CsvHelper;

namespace CrmAnalytics.IO.Rejects;

/// <summary>Options of <see cref="RejectsWriter"/>.</summary>
public sealed record RejectsWriterOptions
{
    public static RejectsWriterOptions Default { get; } = new();

    /// <summary>
    /// Raw records longer than this many UTF-16 characters are cut to it and end with <see cref="RejectsWriter.TruncationMarker"/>,
    /// so one runaway record (an unterminated quote) cannot bloat rejects.csv. Default 1000; at least 1.
    /// </summary>
    public int MaxRawRecordChars { get; init; } = 1000;
}

/// <summary>
/// Streams <c>rejects.csv</c> (columns <c>file, line, column, reason, raw_record</c>) as the readers find rejected rows:
/// each row goes to a buffer that is written out when full, so rejects are never all held in memory.
/// </summary>
/// <remarks>
/// Same CSV dialect as customers.csv (RFC 4180, UTF-8 without BOM, CRLF); text cells that start with = + - @, tab or CR
/// are prefixed with ' so a spreadsheet does not run them. <c>reason</c> is the snake_case <see cref="RejectReasons.Code"/>,
/// <c>column</c> is empty when the whole record is at fault. The header is written on creation, so an empty run still
/// has a valid file. <see cref="Add"/> is thread-safe; rows appear in call order.
/// </remarks>
public sealed class RejectsWriter : IRejectSink, IDisposable
{
    /// <summary>Appended to a raw record cut at <see cref="RejectsWriterOptions.MaxRawRecordChars"/>.</summary>
    public const string TruncationMarker = "…[truncated]";

    private readonly Lock _gate = new();
    private readonly CsvWriter _csv;
    private readonly Stream? _ownedStream;
    private readonly string _name;
    private readonly int _maxChars;
    private bool _disposed;

    /// <summary>Writes to <paramref name="destination"/>, from its current position.</summary>
    /// <param name="leaveOpen">Whether <paramref name="destination"/> stays open when this writer is disposed.</param>
    public RejectsWriter(Stream destination, RejectsWriterOptions? options = null, bool leaveOpen = false)
        : this(destination, options, leaveOpen ? null : destination, "rejects stream")
    {
    }

    private RejectsWriter(Stream destination, RejectsWriterOptions? options, Stream? owned, string name)
    {
        ArgumentNullException.ThrowIfNull(destination);
        options ??= RejectsWriterOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRawRecordChars, 1, nameof(options));
        _maxChars = options.MaxRawRecordChars;
        _ownedStream = owned;
        _name = name;
        _csv = CsvWriter.Create(destination, CsvOutput.Options, leaveOpen: true);
        try
        {
            _csv.WriteHeader(Header);
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            throw OutputFiles.Failed(name, ex);
        }
    }

    private static readonly string[] Header = ["file", "line", "column", "reason", "raw_record"];

    /// <summary>The header of rejects.csv.</summary>
    public static IReadOnlyList<string> Columns => Header;

    /// <summary>Rows added so far (the header not counted).</summary>
    public long Count { get; private set; }

    /// <summary>Creates (or replaces) <paramref name="path"/> and writes the header.</summary>
    /// <exception cref="OutputException">The file cannot be created.</exception>
    public static RejectsWriter Create(string path, RejectsWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = OutputFiles.Create(path);
        try
        {
            return new RejectsWriter(stream, options, stream, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Appends one rejected row.</summary>
    /// <param name="file">The input file name.</param>
    /// <param name="line">1-based line where the record starts (or the row number for Parquet).</param>
    /// <param name="column">The source column at fault; null or empty when the whole record is.</param>
    /// <param name="rawRecord">The record as read; cut at <see cref="RejectsWriterOptions.MaxRawRecordChars"/>.</param>
    /// <exception cref="OutputException">The file cannot be written.</exception>
    public void Add(string file, long line, string? column, RejectReason reason, string? rawRecord)
    {
        ArgumentNullException.ThrowIfNull(file);
        var raw = rawRecord.AsSpan();
        WriteRow(file, line, column, reason.Code(), raw, truncated: raw.Length > _maxChars);
    }

    /// <summary>Appends one rejected row whose raw record is UTF-8, as the readers hand it over (<see cref="IRejectSink"/>).</summary>
    /// <remarks>Invalid UTF-8 is written as U+FFFD.</remarks>
    public void Reject(string file, long line, string column, RejectReason reason, ReadOnlySpan<byte> rawRecord)
    {
        ArgumentNullException.ThrowIfNull(file);

        // At most 4 bytes per kept char: when the prefix is cut short, it still decodes to more chars than are kept.
        var take = (int)Math.Min(rawRecord.Length, 4L * _maxChars + 4);
        var text = Encoding.UTF8.GetString(rawRecord[..take]);
        WriteRow(file, line, column, reason.Code(), text, truncated: take < rawRecord.Length || text.Length > _maxChars);
    }

    /// <summary>Writes buffered rows to the destination.</summary>
    /// <exception cref="OutputException">The rows cannot be written.</exception>
    public void Flush()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _csv.Flush();
                _ownedStream?.Flush();
            }
            catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
            {
                throw OutputFiles.Failed(_name, ex);
            }
        }
    }

    /// <summary>Flushes the remaining rows and closes the file (when this writer opened it).</summary>
    /// <exception cref="OutputException">The last rows cannot be written.</exception>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            try
            {
                _csv.Flush();
                _csv.Dispose();
                _ownedStream?.Dispose();
            }
            catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
            {
                try
                {
                    _ownedStream?.Dispose();
                }
                catch (Exception again) when (OutputFiles.IsWriteFailure(again))
                {
                    // Closing flushes the same buffer onto the same full disk; the first failure is the one to report.
                }

                throw OutputFiles.Failed(_name, ex);
            }
        }
    }

    private void WriteRow(string file, long line, string? column, string code, ReadOnlySpan<char> raw, bool truncated)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                _csv.WriteField(file);
                _csv.WriteField(line, ReadOnlySpan<char>.Empty);
                _csv.WriteField(column ?? string.Empty);
                _csv.WriteField(code);
                if (truncated)
                {
                    var keep = _maxChars;
                    if (char.IsHighSurrogate(raw[keep - 1]))
                    {
                        keep--;
                    }

                    _csv.WriteField(string.Concat(raw[..keep], TruncationMarker));
                }
                else
                {
                    _csv.WriteField(raw);
                }

                _csv.EndRecord();
            }
            catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
            {
                throw OutputFiles.Failed(_name, ex);
            }

            Count++;
        }
    }
}
