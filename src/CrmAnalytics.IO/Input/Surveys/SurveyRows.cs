using System.Text;
using System.Text.Unicode;
using CrmAnalytics.Core.Nps;
using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input.Surveys;

/// <summary>The survey mapping resolved against one file's header: 0-based indices (-1 = not used) and the names used in rejects.</summary>
internal sealed record SurveyColumns(int CustomerId, int Score, int Date, int Comment, int Channel, string[] Names)
{
    public int MaxIndex { get; } = Math.Max(Math.Max(Math.Max(CustomerId, Score), Math.Max(Date, Comment)), Channel);

    public string CustomerIdName => Names[0];

    public string ScoreName => Names[1];

    public string DateName => Names[2];

    /// <exception cref="Core.InputException">A mapped column is missing; the message lists the columns found.</exception>
    public static SurveyColumns Resolve(SurveyColumnMapping mapping, IReadOnlyList<string>? header, string fileName)
    {
        var resolver = new ColumnResolver(header, fileName);
        int Find(string? spec, string key, bool required)
        {
            if (spec is not null && spec.EndsWith('?'))
            {
                return MappingSpec.Find(spec[..^1], header, fileName);
            }

            return resolver.Find(spec, key, required);
        }

        var id = Find(mapping.CustomerId, "customer_id", true);
        var score = Find(mapping.Score, "score", true);
        var date = Find(mapping.Date, "date", false);
        var comment = Find(mapping.Comment, "comment", false);
        var channel = Find(mapping.Channel, "channel", false);
        resolver.ThrowIfMissing();
        return new SurveyColumns(id, score, date, comment, channel,
            [resolver.Name(id), resolver.Name(score), resolver.Name(date), resolver.Name(comment), resolver.Name(channel)]);
    }
}

/// <summary>
/// Decodes text fields one at a time: valid UTF-8 as UTF-8, anything else with a single-byte fallback encoding, so no
/// byte sequence can fail a field (and with it the row).
/// </summary>
internal sealed class FieldText(Encoding fallback)
{
    /// <summary>Fields that were not valid UTF-8 and were decoded with the fallback encoding.</summary>
    public long FallbackDecodes { get; private set; }

    public string Decode(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        FallbackDecodes++;
        return fallback.GetString(bytes);
    }
}

/// <summary>A score cell as read: text to parse, a typed number (Parquet), or nothing.</summary>
internal readonly record struct ScoreCell(string? Text, double? Number)
{
    public static ScoreCell Missing => default;
}

/// <summary>
/// The survey row rules, shared by every format, and the row accounting. Malformed values (date, score) are checked
/// before by-design exclusions (missing score, missing customer id, date after the as-of date), as for transactions.
/// </summary>
internal sealed class SurveyRowHandler(SurveyReadOptions options, string fileName, IRejectSink rejects)
{
    private readonly FieldParsers _parsers = new(options.DateFormat, '.');
    private readonly HashSet<string> _missing = new(options.MissingValues.Select(v => v.Trim()), StringComparer.OrdinalIgnoreCase);
    private readonly int _asOfDay = options.AsOf?.DayNumber ?? int.MaxValue;

    public RowAccounting Accounting { get; } = new();

    public List<SurveyResponse> Responses { get; } = [];

    public long Comments { get; private set; }

    public string FileName => fileName;

    public FieldParsers Parsers => _parsers;

    public void Reject(long line, string column, RejectReason reason, ReadOnlySpan<byte> raw)
    {
        Accounting.Reject(reason);
        rejects.Reject(fileName, line, column, reason, raw);
    }

    /// <summary>Applies the rules to one record whose fields are decoded; <paramref name="raw"/> is called only for a reject.</summary>
    /// <param name="date">Null when the date is not mapped; otherwise the parsed date, or null inside when it did not parse.</param>
    public void Handle(long line, SurveyColumns cols, string customerId, ScoreCell score, (bool Parsed, DateOnly Value)? date, string? channel, string? comment, Func<byte[]> raw)
    {
        if (date is { Parsed: false })
        {
            Reject(line, cols.DateName, RejectReason.UnparseableDate, raw());
            return;
        }

        var reason = CheckScore(score, out var value);
        if (reason is { } r)
        {
            Reject(line, cols.ScoreName, r, raw());
            return;
        }

        if (customerId.Trim().Length == 0)
        {
            Reject(line, cols.CustomerIdName, RejectReason.MissingCustomerId, raw());
            return;
        }

        if (date is { } d && d.Value.DayNumber >= _asOfDay)
        {
            Reject(line, cols.DateName, RejectReason.DateAfterAsOf, raw());
            return;
        }

        var hasComment = !string.IsNullOrWhiteSpace(comment) && !_missing.Contains(comment.Trim());
        if (hasComment)
        {
            Comments++;
        }

        Accounting.Accept();
        Responses.Add(new SurveyResponse(customerId.Trim(), value, date?.Value, string.IsNullOrWhiteSpace(channel) ? null : channel.Trim(), hasComment, line));
    }

    private RejectReason? CheckScore(ScoreCell cell, out int score)
    {
        score = 0;
        double number;
        if (cell.Number is { } n)
        {
            number = n;
        }
        else
        {
            var text = cell.Text?.Trim();
            if (string.IsNullOrEmpty(text) || _missing.Contains(text))
            {
                return RejectReason.MissingScore;
            }

            if (!_parsers.TryParseNumber(text.AsSpan(), out number))
            {
                return RejectReason.UnparseableScore;
            }
        }

        return NpsScale.Check(number, out score) switch
        {
            ScoreCheck.Valid => null,
            ScoreCheck.NotInteger => RejectReason.NonIntegerScore,
            _ => RejectReason.ScoreOutOfRange,
        };
    }

    /// <summary>The raw record of a reject: the mapped fields as name=value, the comment left out (customer free text).</summary>
    public static byte[] RawRecord(SurveyColumns cols, string customerId, string? score, string? date, string? channel)
    {
        var raw = new StringBuilder();
        ParquetTransactionSource.Append(raw, cols.Names[0], customerId);
        ParquetTransactionSource.Append(raw, cols.Names[1], score);
        if (cols.Date >= 0) ParquetTransactionSource.Append(raw, cols.Names[2], date);
        if (cols.Channel >= 0) ParquetTransactionSource.Append(raw, cols.Names[4], channel);
        return Encoding.UTF8.GetBytes(raw.ToString());
    }
}
