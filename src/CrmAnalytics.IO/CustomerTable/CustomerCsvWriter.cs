using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Parallelism;
using CrmAnalytics.Core.Pipeline;
using System.Buffers;
using CrmAnalytics.Core.Rfm;
using CrmAnalytics.IO.Publishing;

namespace CrmAnalytics.IO.CustomerTable;

/// <summary>
/// Writes the customer table as CSV (<c>customers.csv</c>) and one CSV per segment (<c>segments/&lt;slug&gt;.csv</c>),
/// with the columns of <see cref="CustomerColumns"/>.
/// </summary>
/// <remarks>
/// RFC 4180: comma separated, CRLF line ends, a header row, fields quoted only when they hold a comma, quote, CR or LF.
/// UTF-8 without BOM. Dates are <c>yyyy-MM-dd</c>; numbers use the invariant culture; doubles are rounded by their
/// column's <see cref="CsvRounding"/> (money to cents, probabilities and expectations to 6 significant digits) and written
/// as the shortest text that round-trips; null is an empty field. Text cells that start with = + - @, tab or CR get a
/// leading ' so a spreadsheet shows them as text instead of running them as a formula, and so do text cells that start
/// with ' so the rule is reversible (<see cref="CsvOutput.WriteText"/>); numeric cells are never changed. <see cref="CsvDialect.Excel"/> writes a
/// UTF-8 BOM, ';' between fields and ',' in numbers instead (<see cref="CsvOutput.ExcelOptions"/>).
/// </remarks>
public static class CustomerCsvWriter
{
    /// <summary>Bytes a file's buffer collects before they go to its stream.</summary>
    private const int FlushBytes = 1 << 16;

    /// <summary>Writes a header and one row per customer to <paramref name="destination"/>, which stays open.</summary>
    /// <param name="columns">The columns to write, default <see cref="CustomerColumns.All"/>.</param>
    /// <param name="dialect">RFC 4180 (the default) or Excel's.</param>
    public static void Write(Stream destination, IEnumerable<ScoredCustomer> customers, IReadOnlyList<CustomerColumn>? columns = null,
        CsvDialect dialect = CsvDialect.Rfc4180)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(customers);
        columns ??= CustomerColumns.All;
        CustomerColumns.Validate(columns);
        using var table = new CsvFile(destination, path: null);
        WriteRows(customers, columns, dialect, table, segments: null);
        table.Complete();
    }

    /// <summary>Creates (or replaces) the file at <paramref name="path"/> and writes the customer table to it.</summary>
    /// <exception cref="OutputException">The file cannot be created or written.</exception>
    public static void WriteFile(string path, IEnumerable<ScoredCustomer> customers, IReadOnlyList<CustomerColumn>? columns = null,
        CsvDialect dialect = CsvDialect.Rfc4180)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(customers);
        OutputFiles.Write(path, stream => Write(stream, customers, columns, dialect));
    }

    /// <summary>
    /// Writes <c>segments/&lt;slug&gt;.csv</c> under <paramref name="outputDirectory"/> for every slug in
    /// <paramref name="segmentSlugs"/>, each with the header and the customers of that segment (header only when it has
    /// none), in one pass over <paramref name="customers"/>.
    /// </summary>
    /// <param name="segmentSlugs">The slugs of every segment rule, "Others" included. File names are built from these
    /// slugs alone, after <see cref="SegmentSlug.Validate"/>.</param>
    /// <returns>The full paths of the files written, in the order of <paramref name="segmentSlugs"/>; for the summary's
    /// output list take <c>Path.GetRelativePath(outputDirectory, path)</c> with '/' separators, or <see cref="OutputFileNames.SegmentFile"/>.</returns>
    /// <exception cref="ConfigurationException">A slug is not valid or appears twice.</exception>
    /// <exception cref="ArgumentException">A customer's segment slug is not in <paramref name="segmentSlugs"/>.</exception>
    /// <exception cref="OutputException">A file cannot be created or written.</exception>
    public static IReadOnlyList<string> WriteSegmentFiles(
        string outputDirectory,
        IEnumerable<ScoredCustomer> customers,
        IEnumerable<string> segmentSlugs,
        IReadOnlyList<CustomerColumn>? columns = null,
        CsvDialect dialect = CsvDialect.Rfc4180) =>
        WriteTableAndSegmentFiles(null, outputDirectory, customers, segmentSlugs, columns ?? CustomerColumns.All, columns ?? CustomerColumns.All, dialect);

    /// <summary>
    /// Writes <c>customers.csv</c> at <paramref name="tablePath"/> (none when null) with <paramref name="columns"/> and the
    /// segment files with <paramref name="segmentColumns"/> (see <see cref="WriteSegmentFiles"/>) in one pass: each cell
    /// is formatted once, and a segment file copies the bytes of its columns from the table's row.
    /// </summary>
    /// <returns>The full paths of the segment files, in the order of <paramref name="segmentSlugs"/>.</returns>
    /// <exception cref="ConfigurationException">A slug is not valid or appears twice.</exception>
    /// <exception cref="ArgumentException">A customer's segment slug is not in <paramref name="segmentSlugs"/>.</exception>
    /// <exception cref="OutputException">A file cannot be created or written.</exception>
    public static IReadOnlyList<string> WriteTableAndSegmentFiles(
        string? tablePath,
        string outputDirectory,
        IEnumerable<ScoredCustomer> customers,
        IEnumerable<string> segmentSlugs,
        IReadOnlyList<CustomerColumn> columns,
        IReadOnlyList<CustomerColumn> segmentColumns,
        CsvDialect dialect)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(segmentSlugs);
        CustomerColumns.Validate(columns);
        CustomerColumns.Validate(segmentColumns);

        var slugs = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var slug in segmentSlugs)
        {
            SegmentSlug.Validate(slug);
            if (!seen.Add(slug))
            {
                throw new ConfigurationException($"Segment slug '{slug}' is used by more than one segment.");
            }

            slugs.Add(slug);
        }

        var cells = columns.Concat(segmentColumns.Where(c => !columns.Contains(c))).ToArray();
        var paths = slugs.Select(slug => Path.Combine(outputDirectory, OutputFileNames.SegmentsFolder, slug + ".csv")).ToArray();
        var files = new List<CsvFile>(slugs.Count + 1);
        var current = tablePath ?? outputDirectory;
        try
        {
            CsvFile? table = null;
            if (tablePath is not null)
            {
                table = new CsvFile(OutputFiles.Create(tablePath), tablePath);
                files.Add(table);
            }

            var segments = new SegmentFiles(slugs.Count, [.. segmentColumns.Select(c => Array.IndexOf(cells, c))]);
            for (var i = 0; i < slugs.Count; i++)
            {
                current = paths[i];
                var file = new CsvFile(OutputFiles.Create(current), current);
                files.Add(file);
                segments.Add(slugs[i], file);
            }

            WriteRows(customers, cells, dialect, table, segments, columns.Count);
            foreach (var file in files)
            {
                current = file.Path ?? outputDirectory;
                file.Complete();
            }
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            throw OutputFiles.Failed(current, ex);
        }
        finally
        {
            foreach (var file in files)
            {
                file.Dispose();
            }
        }

        return paths;
    }

    /// <summary>
    /// The header and the rows: the first <paramref name="tableCells"/> of <paramref name="columns"/> (all when null) to
    /// <paramref name="table"/>, and each segment's columns to its file.
    /// </summary>
    private static void WriteRows(
        IEnumerable<ScoredCustomer> customers,
        IReadOnlyList<CustomerColumn> columns,
        CsvDialect dialect,
        CsvFile? table,
        SegmentFiles? segments,
        int? tableCells = null)
    {
        var row = new CsvRowWriter(dialect, columns.Count);
        var cellWriters = CellWriters(columns);
        var tableCount = tableCells ?? columns.Count;
        foreach (var column in columns)
        {
            row.Text(column.Name);
        }

        table?.Start(row);
        table?.Write(row, tableCount);
        segments?.WriteHeader(row);
        if (customers is IReadOnlyList<ScoredCustomer> { Count: > ParallelAbove } list)
        {
            WriteChunks(list, cellWriters, dialect, table, tableCount, segments);
            return;
        }

        foreach (var customer in customers)
        {
            FormatRow(row, cellWriters, customer);
            table?.Write(row, tableCount);
            segments?.Write(row, customer);
        }
    }

    /// <summary>Rows per chunk of the parallel path: about 1 MB of customers.csv.</summary>
    internal const int ChunkRows = 4096;

    /// <summary>
    /// Lists above this many customers take the parallel path. Below, the one-row loop takes well under a second, and
    /// the chunks' buffers and threads would cost more than they save (on CDNOW's 23,570 customers the run's peak was
    /// 16 MiB higher, about 130 MiB against 115).
    /// </summary>
    internal const int ParallelAbove = 16 * ChunkRows;

    /// <summary>A chunk buffer's first size; it doubles as needed, and keeps its size for the next chunks.</summary>
    private const int ChunkStartBytes = 1 << 14;

    private static void FormatRow(CsvRowWriter row, Action<CsvRowWriter, ScoredCustomer>[] cellWriters, ScoredCustomer customer)
    {
        row.Clear();
        foreach (var cell in cellWriters)
        {
            cell(row, customer);
        }
    }

    /// <summary>
    /// The rows of a list above <see cref="ParallelAbove"/>, formatted on every core: chunks of <see cref="ChunkRows"/> customers are formatted at once into
    /// their own buffers (the table's and each segment's records), a wave of twice as many chunks as cores at a time,
    /// then copied to the files in order. The bytes are those of the one-thread loop; formatting, not the disk, is what
    /// took the time (3.2 s of one core for 1.35M customers, beside the Parquet writer on the other). At most one wave of
    /// buffers is held: about 1.5 MB per chunk at 49 columns.
    /// </summary>
    private static void WriteChunks(IReadOnlyList<ScoredCustomer> customers, Action<CsvRowWriter, ScoredCustomer>[] cellWriters, CsvDialect dialect,
        CsvFile? table, int tableCount, SegmentFiles? segments)
    {
        var chunks = (customers.Count + ChunkRows - 1) / ChunkRows;
        var wave = new Chunk[Math.Min(chunks, 2 * Environment.ProcessorCount)];
        for (var j = 0; j < wave.Length; j++)
        {
            wave[j] = new Chunk(new CsvRowWriter(dialect, cellWriters.Length), segments?.Count ?? 0);
        }

        try
        {
            for (var first = 0; first < chunks; first += wave.Length)
            {
                var count = Math.Min(wave.Length, chunks - first);
                var start = first;
                SideBySide.Run([.. wave[..count].Select((chunk, j) => (Action)(() =>
                    chunk.Format(customers, (start + j) * ChunkRows, cellWriters, table is null ? null : tableCount, segments)))]);

                for (var j = 0; j < count; j++)
                {
                    table?.AppendRecords(wave[j].Table);
                    segments?.AppendRecords(wave[j].Segments);
                }
            }
        }
        finally
        {
            foreach (var chunk in wave)
            {
                chunk.Dispose();
            }
        }
    }

    /// <summary>One chunk's formatted records: a row writer of its own, the table's bytes and each segment's.</summary>
    private sealed class Chunk(CsvRowWriter row, int segments) : IDisposable
    {
        public CsvRowWriter Row { get; } = row;

        public RecordBuffer Table { get; } = new();

        public RecordBuffer[] Segments { get; } = [.. Enumerable.Range(0, segments).Select(_ => new RecordBuffer())];

        /// <summary>The segment index of each rule seen, for <see cref="SegmentFiles.IndexOf"/>; this chunk's thread only.</summary>
        public Dictionary<RfmSegmentRule, int> SegmentOf { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>Formats the chunk of up to <see cref="ChunkRows"/> customers from <paramref name="first"/> into this chunk's buffers, cleared first.</summary>
        /// <param name="tableCells">The table's cells per row; null when there is no table.</param>
        public void Format(IReadOnlyList<ScoredCustomer> customers, int first, Action<CsvRowWriter, ScoredCustomer>[] cellWriters, int? tableCells, SegmentFiles? segments)
        {
            Clear();
            var end = Math.Min(customers.Count, first + ChunkRows);
            for (var i = first; i < end; i++)
            {
                var customer = customers[i];
                FormatRow(Row, cellWriters, customer);
                if (tableCells is { } cells)
                {
                    Table.Write(Row, cells);
                }

                if (segments is not null)
                {
                    Segments[segments.IndexOf(customer, SegmentOf)].Write(Row, segments.Cells);
                }
            }
        }

        public void Clear()
        {
            Table.Clear();
            foreach (var segment in Segments)
            {
                segment.Clear();
            }
        }

        public void Dispose()
        {
            Table.Dispose();
            foreach (var segment in Segments)
            {
                segment.Dispose();
            }
        }
    }

    /// <summary>One formatter per column, chosen once, so rows do no type tests.</summary>
    private static Action<CsvRowWriter, ScoredCustomer>[] CellWriters(IReadOnlyList<CustomerColumn> columns)
    {
        var cells = new Action<CsvRowWriter, ScoredCustomer>[columns.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = columns[i] switch
            {
                CustomerColumn<string> c => (w, r) => w.Text(c.GetValue(r)),
                CustomerColumn<DateOnly> c => (w, r) => w.Date(c.GetValue(r)),
                CustomerColumn<DateOnly?> c => (w, r) =>
                {
                    if (c.GetValue(r) is { } v)
                    {
                        w.Date(v);
                    }
                    else
                    {
                        w.Null();
                    }
                },
                CustomerColumn<int> c => (w, r) => w.Number(c.GetValue(r)),
                CustomerColumn<int?> c => (w, r) =>
                {
                    if (c.GetValue(r) is { } v)
                    {
                        w.Number(v);
                    }
                    else
                    {
                        w.Null();
                    }
                },
                CustomerColumn<double> c => (w, r) => w.Rounded(c.GetValue(r), c.Rounding),
                CustomerColumn<double?> c => (w, r) =>
                {
                    if (c.GetValue(r) is { } v)
                    {
                        w.Rounded(v, c.Rounding);
                    }
                    else
                    {
                        w.Null();
                    }
                },
                var c => throw new NotSupportedException($"Column '{c.Name}' has CLR type {c.ClrType}, which the CSV writer does not support."),
            };
        }

        return cells;
    }

    /// <summary>
    /// <paramref name="value"/> rounded for people: the double nearest to the rounded decimal, which the writer's shortest
    /// round-trip text then shows as that decimal (144.73999999999998 → 144.74, 0.123456789 → 0.123457).
    /// </summary>
    internal static double Round(double value, CsvRounding? rounding) => rounding switch
    {
        _ when !double.IsFinite(value) => value,
        CsvRounding.Cents => Math.Round(value, 2, MidpointRounding.AwayFromZero),
        CsvRounding.SignificantDigits6 => RoundSignificant6(value),
        _ => value,
    };

    /// <summary>The double nearest to <paramref name="value"/>'s "G6" text, formatted on the stack: no string per cell.</summary>
    private static double RoundSignificant6(double value)
    {
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var length, "G6", CultureInfo.InvariantCulture);
        return double.Parse(text[..length], CultureInfo.InvariantCulture);
    }

    /// <summary>After a failure the files are abandoned (the publisher discards the folder), so an error while closing them is not news.</summary>
    private static void DisposeQuietly(IDisposable disposable)
    {
        try
        {
            disposable.Dispose();
        }
        catch (Exception ex) when (ex is ObjectDisposedException || OutputFiles.IsWriteFailure(ex))
        {
        }
    }

    /// <summary>Records in a growing pooled buffer: the row formats of <see cref="CsvFile"/>, and a parallel chunk's output.</summary>
    /// <param name="initialBytes">The buffer's first size: a file's flush size, or a chunk's guess (most segments get a few rows of a chunk).</param>
    private class RecordBuffer(int initialBytes = ChunkStartBytes) : IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);

        protected int Length { get; set; }

        /// <summary>The records written since the last <see cref="Clear"/>.</summary>
        public ReadOnlySpan<byte> Records => _buffer.AsSpan(0, Length);

        /// <summary>Writes the first <paramref name="cells"/> cells of <paramref name="row"/> as one record.</summary>
        public void Write(CsvRowWriter row, int cells)
        {
            for (var i = 0; i < cells; i++)
            {
                if (i > 0)
                {
                    Append(row.Separator);
                }

                Append(row.Cell(i));
            }

            End(cells == 1 && row.Cell(0).IsEmpty);
        }

        /// <summary>Writes the cells <paramref name="cells"/> of <paramref name="row"/>, in that order, as one record.</summary>
        public void Write(CsvRowWriter row, int[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                if (i > 0)
                {
                    Append(row.Separator);
                }

                Append(row.Cell(cells[i]));
            }

            End(cells is [var only] && row.Cell(only).IsEmpty);
        }

        public void Clear() => Length = 0;

        /// <summary>Returns the buffer to the pool.</summary>
        public virtual void Dispose()
        {
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
        }

        /// <summary>Called after each record; a file writes its buffer out here once it is large.</summary>
        protected virtual void RecordEnded()
        {
        }

        protected void Append(ReadOnlySpan<byte> bytes)
        {
            if (Length + bytes.Length > _buffer.Length)
            {
                Grow(bytes.Length);
            }

            bytes.CopyTo(_buffer.AsSpan(Length));
            Length += bytes.Length;
        }

        /// <param name="emptyRecord">A record of one empty field: written <c>""</c>, as CsvHelper does, so it is not a blank line.</param>
        private void End(bool emptyRecord)
        {
            if (emptyRecord)
            {
                Append("\"\""u8);
            }

            Append("\r\n"u8);
            RecordEnded();
        }

        private void Append(byte b)
        {
            if (Length == _buffer.Length)
            {
                Grow(1);
            }

            _buffer[Length++] = b;
        }

        private void Grow(int bytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + bytes));
            _buffer.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    /// <summary>One output file: rows collect in a buffer that goes to the stream in blocks.</summary>
    private sealed class CsvFile(Stream stream, string? path) : RecordBuffer(FlushBytes * 2)
    {
        /// <summary>The file's path, for error messages; null for a caller's stream.</summary>
        public string? Path { get; } = path;

        /// <summary>Writes the dialect's byte order mark, if it has one: call before the first row.</summary>
        public void Start(CsvRowWriter row)
        {
            if (row.ByteOrderMark)
            {
                Append("\uFEFF"u8);
            }
        }

        /// <summary>Appends whole records formatted elsewhere (<see cref="Chunk"/>).</summary>
        public void AppendRecords(RecordBuffer records)
        {
            if (Length > 0 && Length + records.Records.Length > FlushBytes)
            {
                WriteOut(flush: false);
            }

            if (records.Records.Length >= FlushBytes)
            {
                WriteOut(records.Records);
            }
            else
            {
                Append(records.Records);
            }
        }

        /// <summary>Writes what is buffered and flushes; closes the file if this writer opened it.</summary>
        public void Complete()
        {
            WriteOut(flush: true);
            if (Path is not null)
            {
                stream.Dispose();
            }
        }

        /// <summary>
        /// Returns the buffer and closes the file without writing: after <see cref="Complete"/>, or after a failure,
        /// when the files are abandoned (the publisher discards the folder) and an error while closing them is not news.
        /// </summary>
        public override void Dispose()
        {
            base.Dispose();
            if (Path is not null)
            {
                DisposeQuietly(stream);
            }
        }

        protected override void RecordEnded()
        {
            if (Length >= FlushBytes)
            {
                WriteOut(flush: false);
            }
        }

        /// <summary>Writes the buffer to the stream; a failure names this file, not the one a sibling writer was at.</summary>
        private void WriteOut(bool flush)
        {
            WriteOut(Records);
            Length = 0;
            if (flush)
            {
                try
                {
                    stream.Flush();
                }
                catch (Exception ex) when (Path is not null && OutputFiles.IsWriteFailure(ex))
                {
                    throw OutputFiles.Failed(Path, ex);
                }
            }
        }

        private void WriteOut(ReadOnlySpan<byte> bytes)
        {
            try
            {
                stream.Write(bytes);
            }
            catch (Exception ex) when (Path is not null && OutputFiles.IsWriteFailure(ex))
            {
                throw OutputFiles.Failed(Path, ex);
            }
        }
    }

    /// <summary>The segment files by slug, and which cells of a row each writes.</summary>
    private sealed class SegmentFiles(int count, int[] cells)
    {
        private readonly Dictionary<string, int> _bySlug = new(count, StringComparer.Ordinal);
        private readonly List<CsvFile> _files = new(count);
        private readonly Dictionary<RfmSegmentRule, int> _byRule = new(ReferenceEqualityComparer.Instance);

        /// <summary>The cells of a row each segment file writes, in order.</summary>
        public int[] Cells => cells;

        public int Count => _files.Count;

        public void Add(string slug, CsvFile file)
        {
            _bySlug.Add(slug, _files.Count);
            _files.Add(file);
        }

        public void WriteHeader(CsvRowWriter row)
        {
            foreach (var file in _files)
            {
                file.Start(row);
                file.Write(row, cells);
            }
        }

        /// <summary>Writes the row to the file of the customer's segment.</summary>
        public void Write(CsvRowWriter row, ScoredCustomer customer) => _files[IndexOf(customer, _byRule)].Write(row, cells);

        /// <summary>Appends each segment's records of a chunk to its file.</summary>
        public void AppendRecords(RecordBuffer[] records)
        {
            for (var i = 0; i < _files.Count; i++)
            {
                _files[i].AppendRecords(records[i]);
            }
        }

        /// <summary>The index of the customer's segment file, found by the rule object after its first customer (in <paramref name="byRule"/>, one thread's cache).</summary>
        public int IndexOf(ScoredCustomer customer, Dictionary<RfmSegmentRule, int> byRule)
        {
            if (!byRule.TryGetValue(customer.Segment, out var index))
            {
                var slug = customer.Segment.Slug;
                if (!_bySlug.TryGetValue(slug, out index))
                {
                    throw new ArgumentException(
                        $"A customer is in segment '{slug}', which is not among the {_bySlug.Count} segment slugs given.",
                        "customers");
                }

                byRule.Add(customer.Segment, index);
            }

            return index;
        }
    }
}
