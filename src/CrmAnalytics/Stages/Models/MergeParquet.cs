using System.Globalization;
using CrmAnalytics.Core;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Input;
using Parquet;
using Parquet.Schema;

namespace CrmAnalytics.Stages.Models;

/// <summary>
/// Merges the shards' <c>customers.parquet</c> into one, ordered by customer id (ordinal), as the unsharded run orders
/// it. The cells are copied as typed values, never re-rendered, so every column keeps the shards' exact values whatever
/// columns the run had. The whole table is held in memory, about as much as the scoring run of all customers held.
/// </summary>
internal static class MergeParquet
{
    /// <returns>The merged table's columns named in <paramref name="read"/> (those it has), as text, for the summary.</returns>
    /// <exception cref="InputException">A file is not readable Parquet, its columns differ from the first shard's, or a
    /// customer is in two shards (exit 3).</exception>
    public static async Task<CustomerTableColumns> MergeAsync(IReadOnlyList<string> files, string destination, IReadOnlyList<string> read, CancellationToken ct)
    {
        Column[]? columns = null;
        var owner = new List<int>();
        for (var f = 0; f < files.Count; f++)
        {
            await using var stream = File.OpenRead(files[f]);
            ParquetReader reader;
            try
            {
                reader = await ParquetReader.CreateAsync(stream, new ParquetOptions { UseDateOnlyTypeForDates = true }, leaveStreamOpen: true, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or ArgumentException)
            {
                throw new InputException($"{files[f]}: not a readable Parquet file ({ex.GetType().Name}).", ex);
            }

            await using (reader.ConfigureAwait(false))
            {
                var fields = reader.Schema.DataFields;
                columns ??= [.. fields.Select(field => Column.For(field, files[f]))];
                if (!fields.Select(Describe).SequenceEqual(columns.Select(c => Describe(c.Source))))
                {
                    throw new InputException($"{files[f]}: its columns ({string.Join(", ", fields.Select(Describe))}) differ from {files[0]}'s; score every shard with the same options.");
                }

                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    var rows = checked((int)group.RowCount);
                    for (var c = 0; c < columns.Length; c++)
                    {
                        await columns[c].AppendAsync(group, fields[c], rows, ct).ConfigureAwait(false);
                    }

                    owner.AddRange(Enumerable.Repeat(f, rows));
                }
            }
        }

        var ids = columns?.OfType<TextColumn>().FirstOrDefault(c => c.Source.Name == "customer_id")
            ?? throw new InputException($"{files[0]}: no customer_id column; not a crm customer table.");
        var order = MergeOrder.ById(ids.Values.Count, r => ids.Values[r], r => files[owner[r]]);
        var schema = new ParquetSchema(columns.Select(c => c.Target));
        await MergeOutput.WriteAsync(destination, async stream =>
        {
            var writer = await ParquetWriter.CreateAsync(schema, stream, CustomerParquetWriter.WriterOptions(schema), append: false, ct).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                for (var start = 0; start < order.Length || start == 0; start += CustomerParquetWriter.DefaultRowGroupSize)
                {
                    var count = Math.Min(CustomerParquetWriter.DefaultRowGroupSize, order.Length - start);
                    using var group = writer.CreateRowGroup();
                    foreach (var column in columns)
                    {
                        await column.WriteAsync(group, order.AsMemory(start, count), ct).ConfigureAwait(false);
                    }

                    group.CompleteValidate();
                }
            }
        }).ConfigureAwait(false);
        return new CustomerTableColumns(order.Length, columns.Where(c => read.Contains(c.Source.Name)).ToDictionary(
            c => c.Source.Name, c => order.Select(c.Text).ToArray(), StringComparer.Ordinal));
    }

    private static string Describe(DataField field) => $"{field.Name} {field.ClrType.Name}{(field.IsNullable ? "?" : string.Empty)}";

    /// <summary>One column of every shard, appended in shard order.</summary>
    private abstract class Column(DataField source)
    {
        public DataField Source { get; } = source;

        /// <summary>The field the merged file declares: what <see cref="CustomerParquetWriter"/> declares for the type.</summary>
        public abstract DataField Target { get; }

        public static Column For(DataField field, string file) => field.ClrType switch
        {
            var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => new TextColumn(field),
            var t when t == typeof(DateOnly) => new ValueColumn<DateOnly>(field),
            var t when t == typeof(int) => new ValueColumn<int>(field),
            var t when t == typeof(double) => new ValueColumn<double>(field),
            _ => throw new InputException($"{file}: column {field.Name} is of type {field.ClrType.Name}, which no crm customer table has."),
        };

        public abstract Task AppendAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct);

        public abstract Task WriteAsync(ParquetRowGroupWriter group, ReadOnlyMemory<int> rows, CancellationToken ct);

        /// <summary>Row <paramref name="row"/> as the invariant text that parses back to the same value; null for null.</summary>
        public abstract string? Text(int row);
    }

    private sealed class TextColumn(DataField source) : Column(source)
    {
        public List<string?> Values { get; } = [];

        public override DataField Target { get; } = new DataField<string>(source.Name, source.IsNullable);

        public override async Task AppendAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        {
            Values.AddRange(await ParquetTransactionSource.ReadTextAsync(group, field, rows, ct).ConfigureAwait(false));
        }

        public override string? Text(int row) => Values[row];

        public override Task WriteAsync(ParquetRowGroupWriter group, ReadOnlyMemory<int> rows, CancellationToken ct)
        {
            var order = rows.Span;
            if (Source.IsNullable)
            {
                var nullable = new ReadOnlyMemory<char>?[order.Length];
                for (var i = 0; i < order.Length; i++)
                {
                    nullable[i] = Values[order[i]]?.AsMemory();
                }

                return group.WriteAsync<ReadOnlyMemory<char>>(Target, nullable.AsMemory(), null, null, ct);
            }

            var values = new ReadOnlyMemory<char>[order.Length];
            for (var i = 0; i < order.Length; i++)
            {
                values[i] = (Values[order[i]] ?? string.Empty).AsMemory();
            }

            return group.WriteAsync<ReadOnlyMemory<char>>(Target, values.AsMemory(), null, null, ct);
        }
    }

    private sealed class ValueColumn<T>(DataField source) : Column(source)
        where T : struct
    {
        private readonly List<T?> _values = [];

        public override DataField Target { get; } = source.IsNullable ? new DataField<T?>(source.Name, true) : new DataField<T>(source.Name, false);

        public override async Task AppendAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
        {
            _values.AddRange(await ParquetTransactionSource.ReadValuesAsync<T>(group, field, rows, ct).ConfigureAwait(false));
        }

        public override string? Text(int row) => _values[row] is IFormattable value ? value.ToString(typeof(T) == typeof(DateOnly) ? "yyyy-MM-dd" : null, CultureInfo.InvariantCulture) : null;

        public override Task WriteAsync(ParquetRowGroupWriter group, ReadOnlyMemory<int> rows, CancellationToken ct)
        {
            var order = rows.Span;
            if (Source.IsNullable)
            {
                var nullable = new T?[order.Length];
                for (var i = 0; i < order.Length; i++)
                {
                    nullable[i] = _values[order[i]];
                }

                return group.WriteAsync<T>(Target, nullable.AsMemory(), null, null, ct);
            }

            var values = new T[order.Length];
            for (var i = 0; i < order.Length; i++)
            {
                values[i] = _values[order[i]].GetValueOrDefault();
            }

            return group.WriteAsync<T>(Target, values.AsMemory(), null, null, ct);
        }
    }
}

/// <summary>The order of the merged rows: by customer id, ordinal, as the unsharded run writes them.</summary>
internal static class MergeOrder
{
    /// <summary>Row indexes sorted by id.</summary>
    /// <param name="fileOf">The file a row came from, for the message when an id is in two of them.</param>
    /// <exception cref="InputException">A customer is in two shards (exit 3); the message names the files, never the id.</exception>
    public static int[] ById(int rows, Func<int, string?> idOf, Func<int, string> fileOf)
    {
        var ids = new string[rows];
        for (var r = 0; r < rows; r++)
        {
            ids[r] = idOf(r) ?? string.Empty;
        }

        var order = Enumerable.Range(0, rows).ToArray();
        Array.Sort(ids, order, StringComparer.Ordinal);
        for (var i = 1; i < rows; i++)
        {
            if (string.Equals(ids[i - 1], ids[i], StringComparison.Ordinal))
            {
                var (a, b) = (Math.Min(order[i - 1], order[i]), Math.Max(order[i - 1], order[i]));
                var where = fileOf(a) == fileOf(b) ? $"twice in {fileOf(a)}" : $"in {fileOf(a)} and in {fileOf(b)}";
                throw new InputException($"A customer is {where}: the shards overlap (was a folder scored with another --shard than its summary.json says?).");
            }
        }

        return order;
    }
}
