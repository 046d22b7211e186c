using System.Data.Common;
using System.Globalization;
using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Input;
using CsvHelper;
using DuckDB.NET.Data;

namespace CrmAnalytics.IO.Engines;

/// <summary>
/// Reads transactions with embedded DuckDB: the reduction of <see cref="ReductionQuery"/> runs in SQL over a CSV,
/// whitespace text or Parquet file, a glob of them, or a (hive-partitioned) folder, and only customer-days and reject
/// counts come back. The result is the native reader's: the same customer table and row accounting.
/// </summary>
/// <remarks>
/// Where DuckDB's CSV parser reads a record differently from the native reader (an unterminated quote that runs on,
/// a field with a line break, bytes that are not valid UTF-8), the read fails with exit 3 and says so: the two engines
/// never disagree silently. The rejects file holds a sample (<see cref="ReductionQuery.SamplePerReason"/> lines per reason).
/// </remarks>
public static class DuckDbTransactionSource
{
    /// <exception cref="ConfigurationException">The options ask for something the engine cannot do exactly (listed).</exception>
    /// <exception cref="InputException">The input cannot be read, a mapped column is missing, or DuckDB reads it differently from the native reader.</exception>
    public static Task<TransactionReadResult> ReadAsync(string path, TransactionReadOptions options, DuckDbOptions engine, IRejectSink rejects, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(rejects);
        options.ThrowIfInvalid();
        return Task.Run(() => Read(path, options, engine, rejects, cancellationToken), cancellationToken);
    }

    /// <summary>Reads an occasions table (<see cref="OccasionTable"/>) from Parquet: one file, a glob, or a folder.</summary>
    /// <exception cref="InputException">The file cannot be read or is not an occasions table (the columns found are listed).</exception>
    public static Task<TransactionReadResult> ReadOccasionsAsync(string path, DuckDbOptions engine, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(engine);
        return Task.Run(() =>
        {
            using var connection = Open(engine);
            var files = Files(connection, path);
            var sql = $"SELECT * FROM read_parquet({List(files)})";
            var (builder, accounting) = Query(connection, sql, Path.GetFileName(path), NullRejectSink.Instance, cancellationToken);
            return new TransactionReadResult(path, TransactionFormat.Parquet, false, accounting, builder);
        }, cancellationToken);
    }

    private static TransactionReadResult Read(string path, TransactionReadOptions options, DuckDbOptions engine, IRejectSink rejects, CancellationToken ct)
    {
        using var connection = Open(engine);
        var files = Files(connection, path);
        var (format, compressed) = TransactionReader.Detect(files[0], options.Format);
        var name = Path.GetFileName(path);
        var source = format switch
        {
            TransactionFormat.Parquet => ParquetSource(connection, files, options, Directory.Exists(path)),
            TransactionFormat.Whitespace => WhitespaceSource(files, options),
            _ => CsvSource(files, options),
        };
        var sql = ReductionQuery.Build(DuckDbDialect.Instance, source, options, sample: true);
        var (builder, accounting) = Query(connection, sql, name, rejects, ct);
        if (format == TransactionFormat.Csv)
        {
            CheckCsvRejects(connection, files, source.CustomerId, accounting, rejects, name);
        }

        return new TransactionReadResult(path, format, compressed, accounting, builder);
    }

    private static DuckDBConnection Open(DuckDbOptions engine)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            Execute(connection, "SET preserve_insertion_order = false");
            if (engine.MemoryLimit is { } limit)
            {
                Setting(connection, "memory_limit", limit, $"{nameof(DuckDbOptions)}.{nameof(DuckDbOptions.MemoryLimit)}");
            }

            if (engine.TempDirectory is { } temp)
            {
                Setting(connection, "temp_directory", temp, $"{nameof(DuckDbOptions)}.{nameof(DuckDbOptions.TempDirectory)}");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Setting(DuckDBConnection connection, string setting, string value, string option)
    {
        try
        {
            Execute(connection, $"SET {setting} = {DuckDbDialect.Instance.Text(value)}");
        }
        catch (DuckDBException ex)
        {
            throw new ConfigurationException($"{option} '{value}' is not accepted by DuckDB: {FirstLine(ex.Message)}", ex);
        }
    }

    /// <summary>Whether <paramref name="path"/> names several files: a folder or a glob.</summary>
    public static bool IsMultiFile(string path) => Directory.Exists(path) || path.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>The files the engine reads for <paramref name="path"/>, in ordinal order.</summary>
    /// <exception cref="InputException">Nothing matches.</exception>
    public static IReadOnlyList<string> ListFiles(string path)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        return Files(connection, path);
    }

    /// <summary>The files behind <paramref name="path"/>: the file itself, a glob's matches, or every data file under a folder.</summary>
    private static string[] Files(DuckDBConnection connection, string path)
    {
        string[] files;
        if (Directory.Exists(path))
        {
            files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.') && !Path.GetFileName(f).StartsWith('_'))
                .Order(StringComparer.Ordinal).ToArray();
        }
        else if (path.IndexOfAny(['*', '?', '[']) >= 0)
        {
            files = Strings(connection, $"SELECT file FROM glob({DuckDbDialect.Instance.Text(path)}) ORDER BY file");
        }
        else
        {
            if (!File.Exists(path))
            {
                throw new InputException($"{path}: cannot be opened (the file does not exist).");
            }

            files = [path];
        }

        return files.Length > 0 ? files : throw new InputException($"{path}: no files match.");
    }

    private static ReductionSource CsvSource(string[] files, TransactionReadOptions options)
    {
        if (!options.HasHeader)
        {
            throw new ConfigurationException("--engine duckdb reads CSV with a header only: without one, the native reader accepts rows of any width, which DuckDB's CSV reader cannot; use --engine native.");
        }

        var encoding = DuckDbEncoding(options.Encoding);
        var header = files.Select(f => CsvHeader(f, options)).ToArray();
        if (header.Skip(1).FirstOrDefault(h => !h.SequenceEqual(header[0], StringComparer.Ordinal)) is not null)
        {
            throw new InputException($"{files[0]}: the files do not share one header; the engine reads them as one table.");
        }

        var cols = ResolvedColumns.Resolve(options.Mapping, header[0], options.CancelledOrderPrefix is { Length: > 0 }, Path.GetFileName(files[0]));
        var d = DuckDbDialect.Instance;
        var columns = string.Join(", ", header[0].Select((_, i) => $"'c{i}': 'VARCHAR'"));
        var relation = $"read_csv({List(files)}, header = false, skip = 1, delim = {d.Text(options.Separator.ToString())}, quote = '\"', escape = '\"', " +
            $"all_varchar = true, auto_detect = false, columns = {{{columns}}}, store_rejects = true, filename = true, encoding = {d.Text(encoding)}, max_line_size = 1048576)";
        return Source(relation, cols, i => $"c{i}", SourceKindsText, line: null, file: "filename");
    }

    private static ReductionSource WhitespaceSource(string[] files, TransactionReadOptions options)
    {
        var encoding = DuckDbEncoding(options.Encoding);
        var (header, headerLine, width) = WhitespaceHead(files[0], options);
        var cols = ResolvedColumns.Resolve(options.Mapping, header, options.CancelledOrderPrefix is { Length: > 0 }, Path.GetFileName(files[0]));
        var d = DuckDbDialect.Instance;
        var fields = width.ToString(CultureInfo.InvariantCulture);
        var maxIndex = cols.MaxIndex.ToString(CultureInfo.InvariantCulture);
        var relation = "(SELECT regexp_split_to_array(trim(l, ' ' || chr(9)), '[ \\t]+') AS f, filename FROM " +
            $"read_csv({List(files)}, header = false, skip = {headerLine.ToString(CultureInfo.InvariantCulture)}, delim = chr(1), quote = '', escape = '', " +
            $"columns = {{'l': 'VARCHAR'}}, auto_detect = false, filename = true, encoding = {d.Text(encoding)}) WHERE trim(l, ' ' || chr(9)) <> '') AS w";
        return Source(relation, cols, i => $"f[{(i + 1).ToString(CultureInfo.InvariantCulture)}]", SourceKindsText, line: null, file: "filename",
            wrongShape: $"len(f) <> {fields} OR len(f) <= {maxIndex}");
    }

    private static ReductionSource ParquetSource(DuckDBConnection connection, string[] files, TransactionReadOptions options, bool hive)
    {
        var relation = $"read_parquet({List(files)}, filename = true, file_row_number = true, hive_partitioning = {(hive ? "true" : "false")}, union_by_name = true)";
        var schema = Rows(connection, $"DESCRIBE SELECT * FROM {relation}", r => (Name: r.GetString(0), Type: r.GetString(1)))
            .Where(c => c.Name is not ("filename" or "file_row_number")).ToArray();
        var names = schema.Select(c => c.Name).ToArray();
        var cols = ResolvedColumns.Resolve(options.Mapping, options.HasHeader ? names : null, options.CancelledOrderPrefix is { Length: > 0 }, Path.GetFileName(files[0]));
        if (cols.MaxIndex >= names.Length)
        {
            throw new InputException($"{Path.GetFileName(files[0])}: column #{cols.MaxIndex + 1} is mapped but the file has {names.Length} columns.");
        }

        var kinds = schema.Select(c => KindOf(c.Type)).ToArray();
        CheckTypes(Path.GetFileName(files[0]), schema, kinds, cols);
        return Source(relation, cols, i => DuckDbDialect.Instance.Identifier(names[i]), i => kinds[i] ?? SourceKind.Text, line: "file_row_number + 1", file: "filename");
    }

    private static readonly Func<int, SourceKind> SourceKindsText = _ => SourceKind.Text;

    internal static ReductionSource Source(string relation, ResolvedColumns cols, Func<int, string> sql, Func<int, SourceKind> kind, string? line, string? file, string? wrongShape = null)
    {
        SourceColumn? Column(int index, string name) => index < 0 ? null : new SourceColumn(sql(index), name, kind(index));
        return new ReductionSource(relation, Column(cols.CustomerId, cols.Names.CustomerId)!, Column(cols.Date, cols.Names.Date)!, Column(cols.Amount, cols.Names.Amount),
            Column(cols.Quantity, cols.Names.Quantity), Column(cols.UnitPrice, cols.Names.UnitPrice), Column(cols.OrderId, "order_id"), line, file, wrongShape);
    }

    /// <summary>A DuckDB column type as a source kind; null for types no transaction field can use.</summary>
    private static SourceKind? KindOf(string type) => type switch
    {
        "VARCHAR" => SourceKind.Text,
        "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT" => SourceKind.Integer,
        "FLOAT" or "DOUBLE" => SourceKind.Float,
        "DATE" => SourceKind.Date,
        _ when type.StartsWith("DECIMAL", StringComparison.Ordinal) => SourceKind.Decimal,
        _ when type.StartsWith("TIMESTAMP", StringComparison.Ordinal) => SourceKind.Timestamp,
        _ => null,
    };

    /// <summary>The native reader's Parquet type check (ParquetTransactionSource.CheckTypes), on an engine's types.</summary>
    internal static void CheckTypes(string fileName, (string Name, string Type)[] schema, SourceKind?[] kinds, ResolvedColumns cols)
    {
        var errors = new List<string>();
        foreach (var (key, index, dates) in new[] { ("customer_id", cols.CustomerId, false), ("date", cols.Date, true), ("amount", cols.Amount, false),
            ("quantity", cols.Quantity, false), ("unit_price", cols.UnitPrice, false), ("order_id", cols.OrderId, false) })
        {
            if (index < 0)
            {
                continue;
            }

            var kind = kinds[index];
            var isDate = kind is SourceKind.Date or SourceKind.Timestamp;
            if (kind is null || (dates ? kind is not (SourceKind.Text or SourceKind.Date or SourceKind.Timestamp) : isDate))
            {
                errors.Add($"column '{schema[index].Name}' (mapped as {key}) has type {schema[index].Type}; expected {(dates ? "text or a DATE or TIMESTAMP" : "text or a number")}");
            }
        }

        if (errors.Count > 0)
        {
            throw new InputException($"{fileName}: schema mismatch: {string.Join("; ", errors)}.");
        }
    }

    private static string DuckDbEncoding(string encoding) => encoding.ToLowerInvariant() switch
    {
        "utf-8" or "utf8" => "utf-8",
        "latin1" or "latin-1" or "iso-8859-1" => "latin-1",
        _ => throw new ConfigurationException($"--encoding {encoding}: --engine duckdb reads utf-8 and latin1 only; use --engine native."),
    };

    /// <summary>The header of a CSV file as the native reader reads it (CsvHelper, gzip, encoding), so columns resolve alike.</summary>
    private static string[] CsvHeader(string file, TransactionReadOptions options)
    {
        string[]? header = null;
        var compressed = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        TransactionReader.ReadFileAsync(file, compressed, stream =>
        {
            using var reader = CsvTransactionSource.Open(stream, options.Separator, true, TransactionReadOptions.TryGetEncoding(options.Encoding),
                Path.GetFileName(file), new Dictionary<long, CsvMalformedReason>(), out header);
            return Task.CompletedTask;
        }, TransactionReadOptions.TryGetEncoding(options.Encoding)).GetAwaiter().GetResult();
        return header!;
    }

    /// <summary>
    /// The header of a whitespace file (its first non-blank line: names, 1-based line, field count), or without a header
    /// null, 0 and the first non-blank line's field count, as <see cref="WhitespaceTransactionSource"/> reads it.
    /// </summary>
    private static (string[]? Header, int Line, int Width) WhitespaceHead(string file, TransactionReadOptions options)
    {
        (string[]? Header, int Line, int Width) head = default;
        var compressed = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        var encoding = TransactionReadOptions.TryGetEncoding(options.Encoding) ?? Encoding.UTF8;
        TransactionReader.ReadFileAsync(file, compressed, stream =>
        {
            using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
            var number = 0;
            while (text.ReadLine() is { } line)
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    head = options.HasHeader ? (fields, number, fields.Length) : (null, 0, fields.Length);
                    return Task.CompletedTask;
                }
            }

            throw new InputException($"{Path.GetFileName(file)}: the file is empty (no header line).");
        }, encoding).GetAwaiter().GetResult();
        return head;
    }

    /// <summary>
    /// Counts DuckDB's own CSV rejects as the native reader counts them (a wrong field count is wrong_column_count; bytes
    /// that are not UTF-8 in the customer id are invalid_encoding), and refuses the read when DuckDB's reading of the
    /// records differs from the native reader's: any other CSV error, or fewer records than non-empty lines (a quoted
    /// field that ran over a line break).
    /// </summary>
    /// <remarks>
    /// DuckDB checks the encoding of the columns a query reads only, as the native reader decodes only the mapped fields.
    /// A line whose id is not UTF-8 is invalid_encoding here even when its date is broken too (the native reader names the date).
    /// </remarks>
    private static void CheckCsvRejects(DuckDBConnection connection, string[] files, SourceColumn customerId, RowAccounting accounting, IRejectSink rejects, string name)
    {
        var errors = Rows(connection,
            "SELECT s.file_path, e.line, CAST(e.error_type AS VARCHAR), coalesce(e.column_name, ''), coalesce(e.csv_line, '') FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) ORDER BY 1, 2",
            r => (File: r.GetString(0), Line: Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), Type: r.GetString(2), Column: r.GetString(3), Raw: r.GetString(4)))
            .DistinctBy(e => (e.File, e.Line)).ToArray();
        var counted = new List<(RejectReason Reason, string Column, (string File, long Line, string Type, string Column, string Raw) Error)>();
        foreach (var e in errors)
        {
            if (e.Type is "MISSING COLUMNS" or "TOO MANY COLUMNS")
            {
                counted.Add((RejectReason.WrongColumnCount, string.Empty, e));
            }
            else if (e.Type == "INVALID ENCODING" && e.Column == customerId.Sql)
            {
                counted.Add((RejectReason.InvalidEncoding, customerId.Name, e));
            }
            else
            {
                throw new InputException(string.Create(CultureInfo.InvariantCulture,
                    $"{Path.GetFileName(e.File)}: line {e.Line}: DuckDB reports {e.Type.ToLowerInvariant()}{(e.Column.Length > 0 ? " in a mapped column" : string.Empty)}, which it reads differently from the native reader. Nothing was published; fix the export or use --engine native."));
            }
        }

        foreach (var group in counted.GroupBy(c => c.Reason))
        {
            accounting.Reject(group.Key, group.Count());
            foreach (var (reason, column, e) in group.Take(ReductionQuery.SamplePerReason))
            {
                rejects.Reject(Path.GetFileName(e.File), e.Line, column, reason, Encoding.UTF8.GetBytes(e.Raw));
            }
        }

        // Latin-1 decodes every byte, so this count sees the lines without judging their encoding.
        var lines = Convert.ToInt64(Scalar(connection,
            $"SELECT count(*) FROM read_csv({List(files)}, header = false, delim = chr(1), quote = '', escape = '', columns = {{'l': 'VARCHAR'}}, auto_detect = false, encoding = 'latin-1') WHERE l <> ''"),
            CultureInfo.InvariantCulture);
        if (lines - files.Length != accounting.RowsRead)
        {
            throw new InputException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: DuckDB read {accounting.RowsRead:N0} records from {lines - files.Length:N0} non-empty lines: a quoted field spans lines, which the native reader rejects line by line (malformed_quoting). Nothing was published; use --engine native."));
        }
    }

    private static (Core.Customers.CustomerSummaryBuilder, RowAccounting) Query(DuckDBConnection connection, string sql, string name, IRejectSink rejects, CancellationToken ct)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        // Stream the occasions chunk by chunk: a materialized result holds every occasion inside DuckDB's memory limit,
        // which a 30M-line export under a 1 GB limit does not fit (Out of Memory), while the reduction itself spills.
        command.UseStreamingMode = true;
        using var cancel = ct.Register(command.Cancel);
        try
        {
            using var reader = command.ExecuteReader();
            return OccasionTable.Load(reader, name, rejects);
        }
        catch (DuckDBException ex)
        {
            ct.ThrowIfCancellationRequested();
            throw new InputException($"{name}: DuckDB cannot read it: {FirstLine(ex.Message)}", ex);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static string List(IEnumerable<string> files) => "[" + string.Join(", ", files.Select(DuckDbDialect.Instance.Text)) + "]";

    private static void Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(DuckDBConnection connection, string sql)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteScalar();
        }
        catch (DuckDBException ex)
        {
            throw new InputException($"DuckDB cannot read the input: {FirstLine(ex.Message)}", ex);
        }
    }

    private static string[] Strings(DuckDBConnection connection, string sql) => Rows(connection, sql, r => r.GetString(0));

    private static T[] Rows<T>(DuckDBConnection connection, string sql, Func<DbDataReader, T> row)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(row(reader));
            }

            return [.. rows];
        }
        catch (DuckDBException ex)
        {
            throw new InputException($"DuckDB cannot read the input: {FirstLine(ex.Message)}", ex);
        }
    }
}
