using System.Globalization;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Input.Sniffing;

/// <summary>One mapped field: the mapping key, the column (name, or 1-based number without a header), why, and a few sampled values.</summary>
public sealed record SniffedRole(string Key, string Column, string Why, IReadOnlyList<string> Samples);

/// <summary>What <see cref="ExportSniffer.Sniff"/> found.</summary>
/// <param name="Options">Read options that read the export as sniffed (format, separator, header, encoding, mapping, number and date formats, cancel prefix).</param>
/// <param name="Findings">One line per decision, with the evidence.</param>
/// <param name="Doubts">What could not be decided for sure, with the alternative to try.</param>
/// <param name="Roles">The mapped columns, in mapping-key order.</param>
/// <param name="Sample">How much of the file was looked at.</param>
public sealed record ExportSniffResult(TransactionReadOptions Options, IReadOnlyList<string> Findings, IReadOnlyList<string> Doubts, IReadOnlyList<SniffedRole> Roles, string Sample);

/// <summary>
/// Guesses how to read a delimited export that is not one of the presets, from its first lines only
/// (<see cref="ExportSample"/>: at most 4 MiB and 20,000 lines). In the manner of DuckDB's CSV sniffer: the separator
/// gives the most lines the same field count; the header is the first line when it does not fit the types of the
/// columns below it; each column's type, date format and number format come from its values; and the field mapping
/// from the header names in several languages, or from the value shapes when there is no header. Every guess is
/// finally checked with the reader's own parsers on the sampled values.
/// </summary>
public static class ExportSniffer
{
    private static readonly char[] Separators = [',', ';', '\t', '|', LineSplitter.Whitespace];

    /// <exception cref="InputException">The file is empty, binary, Parquet, has a line over 1 MiB, has one column only, or has no
    /// customer, date or money column that can be found.</exception>
    public static ExportSniffResult Sniff(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var sample = ExportSample.Read(path);
        var findings = new List<string>();
        var doubts = new List<string>();
        findings.Add($"encoding: {sample.Encoding} ({sample.EncodingReason})");

        var (separator, rows, width, consistent, quoted) = ChooseSeparator(sample);
        findings.Add(string.Create(CultureInfo.InvariantCulture,
            $"separator: {Describe(separator)} ({width} columns on {consistent:N0} of {sample.Lines.Count:N0} sampled lines)"));
        if (consistent < sample.Lines.Count * 0.9)
        {
            doubts.Add(string.Create(CultureInfo.InvariantCulture, $"only {consistent:N0} of {sample.Lines.Count:N0} sampled lines have {width} fields; the others will be rejected as wrong_column_count"));
        }

        if (separator != LineSplitter.Whitespace)
        {
            findings.Add(quoted > 0 ? string.Create(CultureInfo.InvariantCulture, $"quote: \" (in {quoted:N0} lines)") : "quote: \" (the reader's; no quoted field sampled)");
        }

        var hasHeader = DetectHeader(rows, width, out var headerWhy);
        findings.Add($"header: {(hasHeader ? "yes" : "no")} ({headerWhy})");
        if (headerWhy.StartsWith("every column", StringComparison.Ordinal))
        {
            doubts.Add("every column holds text, so the header could not be told from the data by type; assumed the first line is a header");
        }

        var header = hasHeader ? rows[0].Select(h => h.Trim()).ToArray() : null;
        var columns = Columns(hasHeader ? rows.Skip(1) : rows, width);
        var numeric = columns.Where(c => c.Date is null && c.NumericShare >= 0.9).ToArray();
        var numbers = NumberFormatGuess.Guess(numeric.SelectMany(c => c.Values.Where(NumberFormatGuess.LooksNumeric)), separator);
        findings.Add($"decimal separator: {Describe(numbers.Decimal)} ({numbers.Why})");
        findings.Add(numbers.Thousands is { } t ? $"thousands separator: {Describe(t)}" : "thousands separator: none");
        if (numbers.Doubt is not null)
        {
            doubts.Add(numbers.Doubt);
        }

        Dictionary<ColumnRole, int> roles;
        try
        {
            roles = header is null ? RolesFromValues(columns, doubts) : RolesFromHeader(header, columns, doubts);
        }
        catch (InputException ex)
        {
            throw new InputException($"{path}: {ex.Message}; map the columns with --map (see crm score --help).", ex);
        }

        var date = roles[ColumnRole.Date];
        var dateGuess = columns[date].Date!;
        findings.Add($"date format: {dateGuess.Format ?? "ISO 8601 (the default)"} ({dateGuess.Why})");
        if (dateGuess.Alternative is { } alternative)
        {
            doubts.Add($"dates: day and month are both 12 or less in every sampled value: chose {dateGuess.Format}; if the export is {(alternative.StartsWith('M') ? "American" : "European")}, use --date-format \"{alternative}\"");
        }

        var options = new TransactionReadOptions
        {
            Format = separator == LineSplitter.Whitespace ? TransactionFormat.Whitespace : TransactionFormat.Csv,
            Separator = separator == LineSplitter.Whitespace ? ',' : separator,
            HasHeader = hasHeader,
            Encoding = sample.Encoding,
            DateFormat = dateGuess.Format,
            DecimalSeparator = numbers.Decimal,
            ThousandsSeparator = numbers.Thousands,
            Mapping = Mapping(roles, header),
            CancelledOrderPrefix = CancelPrefix(roles, columns, numbers, findings),
        };

        var mapped = new List<SniffedRole>();
        foreach (var (key, column) in options.Mapping.Mapped())
        {
            var index = header is null ? int.Parse(column, CultureInfo.InvariantCulture) - 1 : Array.FindIndex(header, h => h == column);
            var role = roles.First(r => r.Value == index).Key;
            mapped.Add(new SniffedRole(key, column, Why(role, header, columns[index]), columns[index].Values.Where(v => v.Length > 0).Distinct().Take(3).ToArray()));
            Verify(key, column, columns[index], options, doubts);
        }

        if (roles.TryGetValue(ColumnRole.Returns, out var returns) && header is not null)
        {
            findings.Add($"returns: column '{header[returns]}' is not mapped: crm counts negative amounts{(options.CancelledOrderPrefix is null ? string.Empty : " and cancelled orders")} as returns");
        }

        var sampled = string.Create(CultureInfo.InvariantCulture, $"the first {sample.Lines.Count:N0} lines ({sample.BytesRead / 1024.0:N0} KiB)") + (sample.Truncated ? " of a longer file" : ", the whole file");
        return new ExportSniffResult(options, findings, doubts, mapped, sampled);
    }

    private static (char Separator, List<List<string>> Rows, int Width, int Consistent, int Quoted) ChooseSeparator(ExportSample sample)
    {
        (char, List<List<string>>, int, int, int)? best = null;
        foreach (var separator in Separators)
        {
            var rows = new List<List<string>>(sample.Lines.Count);
            var quoted = 0;
            foreach (var line in sample.Lines)
            {
                rows.Add(LineSplitter.Split(line, separator, out var q));
                quoted += q ? 1 : 0;
            }

            var (width, consistent) = rows.GroupBy(r => r.Count).Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).ThenByDescending(g => g.Key).First();
            if (width < 2)
            {
                continue;
            }

            // The most lines of one width wins; then the wider reading; then the order of Separators.
            if (best is not { } b || consistent > b.Item4 || (consistent == b.Item4 && width > b.Item3))
            {
                best = (separator, rows, width, consistent, quoted);
            }
        }

        if (best is not { } chosen)
        {
            throw new InputException($"{sample.Path}: has one column only: no separator ({string.Join(", ", Separators.Select(Describe))}) splits its lines into two or more fields.");
        }

        var (sep, all, w, c, qd) = chosen;
        return (sep, all.Where(r => r.Count == w).ToList(), w, c, qd);
    }

    /// <summary>
    /// DuckDB's rule: the first line is a header when some column below it is typed (numbers or dates) and the first
    /// line's cell in it is not. When every column is text, a first line of distinct non-empty names is taken as a header.
    /// </summary>
    private static bool DetectHeader(List<List<string>> rows, int width, out string why)
    {
        if (rows.Count < 2)
        {
            why = "one line only; taken as a header";
            return true;
        }

        var below = Columns(rows.Skip(1), width);
        var typed = 0;
        for (var i = 0; i < width; i++)
        {
            var column = below[i];
            var first = rows[0][i].Trim();
            if (column.Date is not null)
            {
                typed++;
                if (first.Length > 0 && DateFormatGuess.Guess([first]) is null)
                {
                    why = $"column {i + 1} holds dates below a first line that is not one";
                    return true;
                }
            }
            else if (column.NumericShare >= 0.9)
            {
                typed++;
                if (first.Length > 0 && !NumberFormatGuess.LooksNumeric(first))
                {
                    why = $"column {i + 1} holds numbers below a first line that is not one";
                    return true;
                }
            }
        }

        if (typed > 0)
        {
            why = "the first line has the same types as the lines below it";
            return false;
        }

        why = "every column holds text; the first line's cells are distinct names";
        return rows[0].Select(c => c.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() == width && rows[0].All(c => c.Trim().Length > 0);
    }

    private static ColumnStats[] Columns(IEnumerable<List<string>> rows, int width)
    {
        var values = Enumerable.Range(0, width).Select(_ => new List<string>()).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < width; i++)
            {
                values[i].Add(row[i].Trim());
            }
        }

        return [.. values.Select((v, i) => new ColumnStats(i, v))];
    }

    private static Dictionary<ColumnRole, int> RolesFromHeader(string[] header, ColumnStats[] columns, List<string> doubts)
    {
        var usable = new bool[header.Length];
        for (var i = 0; i < header.Length; i++)
        {
            usable[i] = header[i].Length > 0 && header[i].IndexOfAny([',', '=', '|']) < 0
                && header.Count(h => string.Equals(h, header[i], StringComparison.OrdinalIgnoreCase)) == 1;
        }

        var candidates = new List<(int Column, ColumnRole Role, double Score)>();
        for (var i = 0; i < header.Length; i++)
        {
            foreach (var role in Enum.GetValues<ColumnRole>())
            {
                var score = ColumnRoles.Score(header[i], role);
                if (score > 0 && usable[i] && Fits(role, columns[i]))
                {
                    candidates.Add((i, role, score));
                }
                else if (score >= 2 && !usable[i])
                {
                    doubts.Add($"column {i + 1} looks like {Key(role)} but its name is empty, repeated, or holds ',', '=' or '|', which --map cannot name");
                }
            }
        }

        var roles = new Dictionary<ColumnRole, int>();
        foreach (var (column, role, _) in candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Column))
        {
            if (!roles.ContainsKey(role) && !roles.ContainsValue(column))
            {
                roles[role] = column;
            }
        }

        ChooseMoney(roles, columns, header, doubts);
        FillFromValues(roles, columns, doubts, header);
        return roles;
    }

    /// <summary>Amount when it is complete; else quantity × unit price when both are; a unit price alone is the amount.</summary>
    private static void ChooseMoney(Dictionary<ColumnRole, int> roles, ColumnStats[] columns, string[] header, List<string> doubts)
    {
        var hasPair = roles.TryGetValue(ColumnRole.Quantity, out var qty) & roles.TryGetValue(ColumnRole.UnitPrice, out var price);
        if (roles.TryGetValue(ColumnRole.Amount, out var amount))
        {
            if (hasPair && columns[amount].EmptyShare > 0.01 && columns[qty].EmptyShare <= 0.01 && columns[price].EmptyShare <= 0.01)
            {
                doubts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{header[amount]}' is empty on {columns[amount].EmptyShare:P0} of sampled rows (an order total on its first line only?): used quantity × unit price instead"));
                roles.Remove(ColumnRole.Amount);
            }
            else
            {
                roles.Remove(ColumnRole.Quantity);
                roles.Remove(ColumnRole.UnitPrice);
            }
        }
        else if (!hasPair)
        {
            roles.Remove(ColumnRole.Quantity);
            if (roles.Remove(ColumnRole.UnitPrice, out var alone))
            {
                roles[ColumnRole.Amount] = alone;
                doubts.Add($"no amount or quantity column: the price '{header[alone]}' is taken as each row's amount");
            }
        }
    }

    private static Dictionary<ColumnRole, int> RolesFromValues(ColumnStats[] columns, List<string> doubts)
    {
        var roles = new Dictionary<ColumnRole, int>();
        FillFromValues(roles, columns, doubts, null);
        return roles;
    }

    /// <summary>
    /// Roles the header did not name, from value shapes: the first date column; the rightmost numeric column with
    /// fractions as the amount (else the rightmost numeric one); the leftmost remaining column whose values repeat as
    /// the customer id.
    /// </summary>
    private static void FillFromValues(Dictionary<ColumnRole, int> roles, ColumnStats[] columns, List<string> doubts, string[]? header)
    {
        bool Free(int i) => !roles.ContainsValue(i);
        if (!roles.ContainsKey(ColumnRole.Date))
        {
            var dates = columns.Where(c => Free(c.Index) && c.Date is not null && (!c.AllDigits || c.Date.Format == "yyyyMMdd")).ToArray();
            if (dates.Length == 0)
            {
                throw new InputException("no column holds dates in a format crm can read (ISO 8601, yyyyMMdd, dd.MM.yyyy, dd/MM/yyyy, MM/dd/yyyy, … with or without a time)");
            }

            roles[ColumnRole.Date] = dates[0].Index;
            Note(doubts, dates, header, "date", "the first column of dates");
        }

        if (!roles.ContainsKey(ColumnRole.Amount) && !roles.ContainsKey(ColumnRole.Quantity))
        {
            var money = columns.Where(c => Free(c.Index) && c.Date is null && c.NumericShare >= 0.9 && c.HasFraction).Reverse().ToArray();
            if (money.Length == 0)
            {
                money = [.. columns.Where(c => Free(c.Index) && c.Date is null && c.NumericShare >= 0.9 && c.Distinct > 1).Reverse()];
            }

            // Without a header the leftmost numeric column is more likely the customer id than money.
            if (header is null && money.Length > 1 && !money[0].HasFraction)
            {
                money = money[..^1];
            }

            if (money.Length == 0)
            {
                throw new InputException("no column holds money: no amount, or quantity and unit price, by name or as numbers (crm needs a money value per row)");
            }

            roles[ColumnRole.Amount] = money[0].Index;
            Note(doubts, money, header, "amount", money[0].HasFraction ? "the rightmost column of numbers with decimals" : "the rightmost column of numbers");
        }

        if (!roles.ContainsKey(ColumnRole.CustomerId))
        {
            var ids = columns.Where(c => Free(c.Index) && c.Date is null && !c.HasFraction && c.NonEmpty > 0)
                .OrderByDescending(c => c.Distinct < c.NonEmpty).ThenBy(c => c.Index).ToArray();
            if (ids.Length == 0)
            {
                throw new InputException("no column can be the customer id");
            }

            roles[ColumnRole.CustomerId] = ids[0].Index;
            Note(doubts, ids, header, "customer_id", "the leftmost column whose values repeat");
        }
    }

    private static void Note(List<string> doubts, ColumnStats[] candidates, string[]? header, string key, string rule)
    {
        string Name(int i) => header is null ? $"column {i + 1}" : $"'{header[i]}'";
        var others = candidates.Skip(1).Take(3).Select(c => Name(c.Index)).ToArray();
        doubts.Add($"{key}: {(header is null ? "no header" : "no header name fits")}: chose {Name(candidates[0].Index)}, {rule}" +
            (others.Length > 0 ? $"; other candidates: {string.Join(", ", others)}" : string.Empty));
    }

    private static bool Fits(ColumnRole role, ColumnStats column) => role switch
    {
        ColumnRole.Date => column.Date is not null,
        ColumnRole.Amount or ColumnRole.Quantity or ColumnRole.UnitPrice => column.Date is null && column.NumericShare >= 0.9,
        ColumnRole.CustomerId or ColumnRole.OrderId => column.NonEmpty > 0 && (column.Date is null || column.AllDigits),
        _ => true,
    };

    private static ColumnMapping Mapping(Dictionary<ColumnRole, int> roles, string[]? header)
    {
        string? Column(ColumnRole role) => roles.TryGetValue(role, out var i)
            ? header is null ? (i + 1).ToString(CultureInfo.InvariantCulture) : header[i]
            : null;
        return new ColumnMapping
        {
            CustomerId = Column(ColumnRole.CustomerId),
            Date = Column(ColumnRole.Date),
            Amount = Column(ColumnRole.Amount),
            Quantity = Column(ColumnRole.Quantity),
            UnitPrice = Column(ColumnRole.UnitPrice),
            OrderId = Column(ColumnRole.OrderId),
        };
    }

    /// <summary>
    /// Online Retail's rule, found in the data: order ids that are a letter followed by digits, where the other ids are
    /// digits only, and whose rows carry negative money, mark cancelled orders.
    /// </summary>
    private static string? CancelPrefix(Dictionary<ColumnRole, int> roles, ColumnStats[] columns, NumberFormatGuess numbers, List<string> findings)
    {
        if (!roles.TryGetValue(ColumnRole.OrderId, out var order))
        {
            return null;
        }

        var money = roles.TryGetValue(ColumnRole.Amount, out var a) ? a : roles[ColumnRole.Quantity];
        var parsers = new FieldParsers(null, numbers.Decimal, numbers.Thousands);
        var ids = columns[order].Values;
        var digitsOnly = ids.Count(v => v.Length > 0 && v.All(char.IsAsciiDigit));
        var prefixed = ids.Select((v, row) => (v, row)).Where(p => p.v.Length > 1 && char.IsAsciiLetter(p.v[0]) && p.v[1..].All(char.IsAsciiDigit)).ToArray();
        foreach (var group in prefixed.GroupBy(p => p.v[0]))
        {
            var negative = group.Count(p => parsers.TryParseNumber(columns[money].Values[p.row].AsSpan(), out var x) && x < 0);
            if (digitsOnly > group.Count() && negative >= group.Count() * 0.8)
            {
                findings.Add(string.Create(CultureInfo.InvariantCulture, $"cancellations: order ids starting with '{group.Key}' ({group.Count():N0} sampled rows, {negative:N0} with negative money)"));
                return group.Key.ToString();
            }
        }

        return null;
    }

    /// <summary>Parses the sampled values of a mapped column with the reader's own parsers; failures become a doubt.</summary>
    private static void Verify(string key, string column, ColumnStats stats, TransactionReadOptions options, List<string> doubts)
    {
        var parsers = new FieldParsers(options.DateFormat, options.DecimalSeparator, options.ThousandsSeparator);
        var values = stats.Values.Where(v => v.Length > 0).ToArray();
        var failing = key switch
        {
            "date" => values.Count(v => !parsers.TryParseDate(v.AsSpan(), out _)),
            "amount" or "quantity" or "unit_price" => values.Count(v => !parsers.TryParseNumber(v.AsSpan(), out _)),
            _ => 0,
        };
        var empty = stats.Values.Count - values.Length;
        if (failing > 0)
        {
            doubts.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: {failing:N0} of {values.Length:N0} sampled values of '{column}' do not parse; those rows will be rejected"));
        }

        var zeros = key == "amount" ? values.Count(v => parsers.TryParseNumber(v.AsSpan(), out var x) && x == 0) : 0;
        if (zeros > 0)
        {
            doubts.Add(string.Create(CultureInfo.InvariantCulture,
                $"amount: {zeros:N0} sampled rows have an amount of 0; they are rejected as zero_amount (excluded by design) unless the job says \"zero-amount\": \"Purchase\" (free items that are real purchases)"));
        }

        if (empty > 0 && key != "order_id")
        {
            var what = key == "customer_id" ? "missing_customer_id (excluded by design: guest checkouts)" : "malformed";
            doubts.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: {empty:N0} of {stats.Values.Count:N0} sampled rows have no value in '{column}'; they will be rejected as {what}"));
        }
    }

    private static string Why(ColumnRole role, string[]? header, ColumnStats column) =>
        header is null ? "from the values" : ColumnRoles.Score(header[column.Index], role) switch
        {
            >= 3 => "header name",
            >= 2 => "header name contains a keyword",
            > 0 => "header name, weak",
            _ => "from the values",
        };

    private static string Key(ColumnRole role) => role switch
    {
        ColumnRole.CustomerId => "customer_id",
        ColumnRole.Date => "date",
        ColumnRole.Amount => "amount",
        ColumnRole.Quantity => "quantity",
        ColumnRole.UnitPrice => "unit_price",
        ColumnRole.OrderId => "order_id",
        _ => "returns",
    };

    internal static string Describe(char c) => c switch
    {
        '\t' => "tab",
        ' ' => "white space",
        _ => $"'{c}'",
    };

    /// <summary>What a sampled column holds.</summary>
    private sealed class ColumnStats
    {
        public ColumnStats(int index, List<string> values)
        {
            Index = index;
            Values = values;
            var nonEmpty = values.Where(v => v.Length > 0).ToArray();
            NonEmpty = nonEmpty.Length;
            EmptyShare = values.Count == 0 ? 1 : 1.0 - ((double)NonEmpty / values.Count);
            NumericShare = NonEmpty == 0 ? 0 : (double)nonEmpty.Count(NumberFormatGuess.LooksNumeric) / NonEmpty;
            HasFraction = NumericShare >= 0.9 && nonEmpty.Any(v => v.IndexOfAny(['.', ',']) > 0 && v.Length - v.LastIndexOfAny(['.', ',']) - 1 is 1 or 2);
            AllDigits = NonEmpty > 0 && nonEmpty.All(v => v.All(char.IsAsciiDigit));
            Distinct = nonEmpty.Distinct(StringComparer.Ordinal).Count();
            Date = DateFormatGuess.Guess(nonEmpty);
        }

        public int Index { get; }

        public List<string> Values { get; }

        public int NonEmpty { get; }

        public double EmptyShare { get; }

        public double NumericShare { get; }

        public bool HasFraction { get; }

        public bool AllDigits { get; }

        public int Distinct { get; }

        public DateFormatGuess? Date { get; }
    }
}
