using System.Collections.Concurrent;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CsvHelper;
using static CrmAnalytics.IO.Input.ParquetTransactionSource;

namespace CrmAnalytics.IO.Input.Surveys;

/// <summary>
/// Reads a survey CSV record by record (survey exports are small: no parallel parsing). With UTF-8 the reader passes
/// bytes through untouched and <see cref="FieldText"/> decodes each field on its own.
/// </summary>
internal static class CsvSurveySource
{
    public static void Read(Stream stream, SurveyReadOptions options, SurveyRowHandler handler, FieldText text)
    {
        var malformed = new ConcurrentDictionary<long, CsvMalformedReason>();
        var encoding = TransactionReadOptions.TryGetEncoding(options.Encoding);
        using var reader = CsvTransactionSource.Open(stream, options.Separator, options.HasHeader, encoding, handler.FileName, malformed, out var header);
        var cols = SurveyColumns.Resolve(options.Mapping, header, handler.FileName);
        var expected = header?.Length ?? -1;
        try
        {
            while (reader.Read())
            {
                var line = reader.LineNumber;
                if (malformed.TryRemove(line, out _))
                {
                    handler.Reject(line, string.Empty, RejectReason.MalformedQuoting, SurveyRowHandler.RawRecord(cols, string.Empty, null, null, null));
                    continue;
                }

                if ((expected >= 0 && reader.FieldCount != expected) || reader.FieldCount <= cols.MaxIndex)
                {
                    handler.Reject(line, string.Empty, RejectReason.WrongColumnCount, SurveyRowHandler.RawRecord(cols, string.Empty, null, null, null));
                    continue;
                }

                string? Field(int index) => index < 0 ? null : text.Decode(reader.GetSpan(index));
                var id = Field(cols.CustomerId)!;
                var score = Field(cols.Score);
                (bool, DateOnly)? date = cols.Date < 0 ? null
                    : (handler.Parsers.TryParseDate(reader.GetSpan(cols.Date), out var d), d);
                var channel = Field(cols.Channel);
                var comment = Field(cols.Comment);
                handler.Handle(line, cols, id, new ScoreCell(score, null), date, channel, comment,
                    () => SurveyRowHandler.RawRecord(cols, id, score, Field(cols.Date), channel));
            }
        }
        catch (CsvFormatException ex)
        {
            throw new InputException($"{handler.FileName}: line {ex.LineNumber}: {ex.Message}", ex);
        }
    }
}

/// <summary>Reads a survey Parquet file one row group at a time, only the mapped columns; typed scores and dates are used as they are.</summary>
internal static class ParquetSurveySource
{
    public static async Task ReadAsync(Stream stream, SurveyReadOptions options, SurveyRowHandler handler, CancellationToken ct)
    {
        var reader = await ParquetTransactionSource.OpenAsync(stream, handler.FileName, ct).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = reader.Schema.DataFields;
            var cols = SurveyColumns.Resolve(options.Mapping, options.HasHeader ? fields.Select(f => f.Name).ToArray() : null, handler.FileName);
            if (cols.MaxIndex >= fields.Length)
            {
                throw new InputException($"{handler.FileName}: column #{cols.MaxIndex + 1} is mapped but the file has {fields.Length} columns.");
            }

            const ValueKinds numberOrText = ValueKinds.Number | ValueKinds.Text;
            ParquetTransactionSource.CheckTypes(handler.FileName, fields,
            [
                ("customer_id", cols.CustomerId, numberOrText), ("score", cols.Score, numberOrText), ("date", cols.Date, ValueKinds.Date | ValueKinds.Text),
                ("comment", cols.Comment, numberOrText), ("channel", cols.Channel, numberOrText),
            ]);

            long rowBase = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                var group = reader.OpenRowGroupReader(g);
                var rows = checked((int)group.RowCount);
                async Task<ParquetTransactionSource.ParquetColumn?> Column(int index) =>
                    index < 0 ? null : await ParquetTransactionSource.ReadColumnAsync(group, fields[index], rows, ct).ConfigureAwait(false);
                var ids = (await Column(cols.CustomerId).ConfigureAwait(false))!;
                var scores = (await Column(cols.Score).ConfigureAwait(false))!;
                var dates = await Column(cols.Date).ConfigureAwait(false);
                var channels = await Column(cols.Channel).ConfigureAwait(false);
                var comments = await Column(cols.Comment).ConfigureAwait(false);
                for (var i = 0; i < rows; i++)
                {
                    var id = ids.Text(i) ?? string.Empty;
                    var score = scores.Numbers is not null ? new ScoreCell(null, scores.Numbers[i]) : new ScoreCell(scores.Text(i), null);
                    (bool, DateOnly)? date = dates is null ? null : (dates.TryDate(i, handler.Parsers, out var d), d);
                    var channel = channels?.Text(i);
                    var row = i;
                    handler.Handle(rowBase + i + 1, cols, id, score, date, channel, comments?.Text(i),
                        () => SurveyRowHandler.RawRecord(cols, id, scores.Text(row), dates?.Text(row), channel));
                }

                rowBase += rows;
            }
        }
    }
}
