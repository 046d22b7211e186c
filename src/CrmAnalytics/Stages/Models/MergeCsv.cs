using System.Globalization;
using System.Text;
using CrmAnalytics.Core;

namespace CrmAnalytics.Stages.Models;

/// <summary>
/// Merges the shards' CSV files record by record: the header once (with the Excel dialect's BOM when the shards have
/// it), then every shard's records, copied byte for byte, ordered by customer id as the unsharded run orders them.
/// The records are never re-rendered, so dialect, rounding and the formula <c>'</c> stay the shards'.
/// </summary>
internal static class MergeCsv
{
    /// <summary>A customer list (<c>customers.csv</c>, <c>segments/&lt;slug&gt;.csv</c>): all records by customer id, or in
    /// shard order when the file has no customer_id column (<c>--segment-columns</c> without it).</summary>
    /// <exception cref="InputException">The headers differ, or a customer is in two shards (exit 3).</exception>
    public static void MergeCustomers(IReadOnlyList<string> files, string destination)
    {
        var tables = Read(files);
        var records = tables.SelectMany((t, f) => t.Records.Select(r => (File: f, Record: r))).ToArray();
        var id = tables[0].IndexOf("customer_id");
        if (id >= 0)
        {
            var order = MergeOrder.ById(records.Length, r => tables[records[r].File].Field(records[r].Record, id), r => files[records[r].File]);
            records = [.. order.Select(r => records[r])];
        }

        Write(destination, tables[0].Header, records.Select(r => (ReadOnlyMemory<byte>)tables[r.File].Bytes.AsMemory(r.Record.Start, r.Record.Length)));
    }

    /// <summary>
    /// <c>segments/churn-warning.csv</c>: the shards' lists ranked together as one run ranks its list, by
    /// <paramref name="rankOf"/> (expected value lost, or the probability without CLV) descending, then by id, and cut
    /// at <paramref name="max"/>; <c>priority</c> is renumbered 1, 2, …. Each shard's list holds its own top
    /// <paramref name="max"/>, so the global top <paramref name="max"/> is among them.
    /// </summary>
    /// <returns>The customer ids of the merged list, in priority order.</returns>
    public static IReadOnlyList<string> MergeWarningList(IReadOnlyList<string> files, string destination, int max, Func<string, double> rankOf)
    {
        var tables = Read(files);
        var id = tables[0].IndexOf("customer_id");
        if (id < 0 || tables[0].IndexOf("priority") != 0)
        {
            throw new InputException($"{files[0]}: not a churn warning list (its first column is not priority, or it has no customer_id).");
        }

        var ranked = tables.SelectMany((t, f) => t.Records.Select(r => (File: f, Record: r, Id: t.Field(r, id) ?? string.Empty)))
            .Select(x => (x.File, x.Record, x.Id, Rank: rankOf(x.Id)))
            .OrderByDescending(x => x.Rank).ThenBy(x => x.Id, StringComparer.Ordinal)
            .Take(max)
            .ToArray();
        Write(destination, tables[0].Header, ranked.Select((x, i) =>
        {
            // The priority is the record's first field, a number, so the rest of the record is copied as it is.
            var bytes = tables[x.File].Bytes.AsSpan(x.Record.Start, x.Record.Length);
            var rest = bytes[bytes.IndexOf((byte)tables[x.File].Separator)..];
            byte[] record = [.. Encoding.UTF8.GetBytes((i + 1).ToString(CultureInfo.InvariantCulture)), .. rest];
            return (ReadOnlyMemory<byte>)record;
        }));
        return [.. ranked.Select(x => x.Id)];
    }

    private static CsvTable[] Read(IReadOnlyList<string> files)
    {
        var tables = files.Select(CsvTable.Read).ToArray();
        for (var f = 1; f < tables.Length; f++)
        {
            if (!tables[f].Header.Span.SequenceEqual(tables[0].Header.Span))
            {
                throw new InputException($"{files[f]}: its header differs from {files[0]}'s; score every shard with the same options.");
            }
        }

        return tables;
    }

    private static void Write(string destination, ReadOnlyMemory<byte> header, IEnumerable<ReadOnlyMemory<byte>> records) =>
        MergeOutput.WriteAsync(destination, stream =>
        {
            stream.Write(header.Span);
            foreach (var record in records)
            {
                stream.Write(record.Span);
            }

            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    /// <summary>A CSV file as bytes: the header (BOM included) and the span of each record, line end included.</summary>
    private sealed record CsvTable(byte[] Bytes, ReadOnlyMemory<byte> Header, IReadOnlyList<(int Start, int Length)> Records, char Separator, string[] Names)
    {
        public static CsvTable Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var records = new List<(int Start, int Length)>();
            var start = 0;
            var quoted = false;
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] == (byte)'"')
                {
                    quoted = !quoted;
                }
                else if (bytes[i] == (byte)'\n' && !quoted)
                {
                    records.Add((start, i + 1 - start));
                    start = i + 1;
                }
            }

            if (start < bytes.Length)
            {
                records.Add((start, bytes.Length - start));
            }

            if (records.Count == 0)
            {
                throw new InputException($"{path}: empty; not a CSV file crm wrote.");
            }

            var header = records[0];
            var bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            var text = Encoding.UTF8.GetString(bytes, header.Start + bom, header.Length - bom).TrimEnd('\r', '\n');
            // Column names are snake_case: a ';' in the header is the Excel dialect's separator.
            var separator = text.Contains(';', StringComparison.Ordinal) ? ';' : ',';
            var names = text.Split(separator);
            return new CsvTable(bytes, bytes.AsMemory(header.Start, header.Length), records[1..], separator, names);
        }

        public int IndexOf(string name) => Array.IndexOf(Names, name);

        /// <summary>The text of field <paramref name="index"/> of a record: unquoted, and without the one <c>'</c> the
        /// writers put before a formula-like text (so ids compare by their true value).</summary>
        public string? Field((int Start, int Length) record, int index)
        {
            var span = Bytes.AsSpan(record.Start, record.Length);
            var field = 0;
            var quoted = false;
            var start = 0;
            for (var i = 0; i <= span.Length; i++)
            {
                var end = i == span.Length || (!quoted && (span[i] == (byte)Separator || span[i] == (byte)'\r' || span[i] == (byte)'\n'));
                if (i < span.Length && span[i] == (byte)'"')
                {
                    quoted = !quoted;
                }

                if (!end)
                {
                    continue;
                }

                if (field++ == index)
                {
                    var text = Encoding.UTF8.GetString(span[start..i]);
                    if (text.Length >= 2 && text[0] == '"')
                    {
                        text = text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
                    }

                    return text.Length > 0 && text[0] == '\'' ? text[1..] : text;
                }

                if (i == span.Length || span[i] != (byte)Separator)
                {
                    break;
                }

                start = i + 1;
            }

            return null;
        }
    }
}
