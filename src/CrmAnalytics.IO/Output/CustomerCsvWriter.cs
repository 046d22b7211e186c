using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Pipeline;
using CsvHelper;

namespace CrmAnalytics.IO.Output;

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
    private const string DateFormat = "yyyy-MM-dd";

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
        var cells = CellWriters(columns);
        using var csv = CsvWriter.Create(destination, CsvOutput.For(dialect), leaveOpen: true);
        csv.WriteHeader(CustomerColumns.Names(columns));
        foreach (var customer in customers)
        {
            WriteRow(csv, cells, customer);
        }

        csv.Flush();
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
        CsvDialect dialect = CsvDialect.Rfc4180)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(segmentSlugs);
        columns ??= CustomerColumns.All;
        CustomerColumns.Validate(columns);

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

        var cells = CellWriters(columns);
        var header = CustomerColumns.Names(columns);
        var paths = slugs.Select(slug => Path.Combine(outputDirectory, OutputFileNames.SegmentsFolder, slug + ".csv")).ToArray();
        var writers = new Dictionary<string, (CsvWriter Csv, string Path)>(slugs.Count, StringComparer.Ordinal);
        var streams = new List<FileStream>(slugs.Count);
        var current = outputDirectory;
        try
        {
            for (var i = 0; i < slugs.Count; i++)
            {
                current = paths[i];
                var stream = OutputFiles.Create(current);
                streams.Add(stream);
                var csv = CsvWriter.Create(stream, CsvOutput.For(dialect), leaveOpen: true);
                writers.Add(slugs[i], (csv, current));
                csv.WriteHeader(header);
            }

            foreach (var customer in customers)
            {
                var slug = customer.Segment.Slug;
                if (!writers.TryGetValue(slug, out var target))
                {
                    throw new ArgumentException(
                        $"A customer is in segment '{slug}', which is not among the {slugs.Count} segment slugs given.",
                        nameof(customers));
                }

                current = target.Path;
                WriteRow(target.Csv, cells, customer);
            }

            foreach (var (csv, path) in writers.Values)
            {
                current = path;
                csv.Flush();
                csv.Dispose();
            }

            for (var i = 0; i < streams.Count; i++)
            {
                current = streams[i].Name;
                streams[i].Dispose();
            }
        }
        catch (Exception ex) when (OutputFiles.IsWriteFailure(ex))
        {
            throw OutputFiles.Failed(current, ex);
        }
        finally
        {
            foreach (var (csv, _) in writers.Values)
            {
                DisposeQuietly(csv);
            }

            foreach (var stream in streams)
            {
                DisposeQuietly(stream);
            }
        }

        return paths;
    }

    private static void WriteRow(CsvWriter csv, Action<CsvWriter, ScoredCustomer>[] cells, ScoredCustomer customer)
    {
        foreach (var cell in cells)
        {
            cell(csv, customer);
        }

        csv.EndRecord();
    }

    /// <summary>One formatter per column, chosen once, so rows do no type tests.</summary>
    private static Action<CsvWriter, ScoredCustomer>[] CellWriters(IReadOnlyList<CustomerColumn> columns)
    {
        var cells = new Action<CsvWriter, ScoredCustomer>[columns.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = columns[i] switch
            {
                CustomerColumn<string> c => (w, r) => CsvOutput.WriteText(w, c.GetValue(r)),
                CustomerColumn<DateOnly> c => (w, r) => w.WriteField(c.GetValue(r), DateFormat),
                CustomerColumn<DateOnly?> c => (w, r) => w.WriteField(c.GetValue(r), DateFormat),
                CustomerColumn<int> c => (w, r) => w.WriteField(c.GetValue(r), ReadOnlySpan<char>.Empty),
                CustomerColumn<int?> c => (w, r) => w.WriteField(c.GetValue(r), ReadOnlySpan<char>.Empty),
                CustomerColumn<double> c => (w, r) => w.WriteField(Round(c.GetValue(r), c.Rounding), ReadOnlySpan<char>.Empty),
                CustomerColumn<double?> c => (w, r) => w.WriteField(c.GetValue(r) is { } v ? Round(v, c.Rounding) : (double?)null, ReadOnlySpan<char>.Empty),
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
        CsvRounding.SignificantDigits6 => double.Parse(value.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>After a failure the files are abandoned (the publisher discards the folder), so an error while closing them is not news.</summary>
    private static void DisposeQuietly(IDisposable disposable)
    {
        try
        {
            disposable.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
        }
    }
}
