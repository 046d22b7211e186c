namespace CrmAnalytics.IO.Input.Sniffing;

/// <summary>
/// The decimal and thousands separators of an export's numbers, voted on by every numeric-looking value of its columns.
/// A value decides when it can be read one way only: <c>1.234,50</c> (both, the last one is the decimal),
/// <c>1.234.567</c> (a repeated one groups), <c>12,5</c> or <c>0,500</c> (one that is not followed by exactly three digits,
/// or follows a zero or more than three digits, is the decimal). <c>1,234</c> alone could be either and does not vote.
/// </summary>
/// <param name="Thousands">The digit-group separator, or null when no value carries one.</param>
/// <param name="Doubt">Why the choice is uncertain, or null.</param>
internal sealed record NumberFormatGuess(char Decimal, char? Thousands, string Why, string? Doubt)
{
    /// <summary>Whether a value looks like a number: digits with at most a sign, separators and an exponent.</summary>
    public static bool LooksNumeric(string value)
    {
        var s = value.Trim().TrimStart('-', '+');
        if (s.Length == 0 || !char.IsAsciiDigit(s[0]) || !char.IsAsciiDigit(s[^1]))
        {
            return false;
        }

        var exponent = s.IndexOfAny(['e', 'E']);
        if (exponent > 0)
        {
            s = s[..exponent];
        }

        return s.Length > 0 && s.All(c => char.IsAsciiDigit(c) || c is '.' or ',' or ' ' or '\'');
    }

    /// <param name="values">The numeric-looking values of the numeric columns.</param>
    /// <param name="fieldSeparator">The field separator: when nothing decides, <c>;</c> suggests a European export with decimal commas.</param>
    public static NumberFormatGuess Guess(IEnumerable<string> values, char fieldSeparator)
    {
        int dotDecimal = 0, commaDecimal = 0, undecided = 0, undecidedCommas = 0;
        var groups = new Dictionary<char, int>();
        foreach (var raw in values)
        {
            var s = raw.Trim().TrimStart('-', '+');
            if (s.IndexOfAny(['e', 'E']) > 0)
            {
                dotDecimal += s.Contains('.') ? 1 : 0;
                continue;
            }

            foreach (var g in new[] { ' ', '\'' })
            {
                if (s.Contains(g))
                {
                    groups[g] = groups.GetValueOrDefault(g) + 1;
                    s = s.Replace(g.ToString(), string.Empty, StringComparison.Ordinal);
                }
            }

            var dots = s.Count(c => c == '.');
            var commas = s.Count(c => c == ',');
            if (dots > 0 && commas > 0)
            {
                var dotLast = s.LastIndexOf('.') > s.LastIndexOf(',');
                (dotLast ? ref dotDecimal : ref commaDecimal)++;
                groups[dotLast ? ',' : '.'] = groups.GetValueOrDefault(dotLast ? ',' : '.') + 1;
            }
            else if (dots + commas >= 2)
            {
                var c = dots > 0 ? '.' : ',';
                groups[c] = groups.GetValueOrDefault(c) + 1;
            }
            else if (dots + commas == 1)
            {
                var c = dots > 0 ? '.' : ',';
                var at = s.IndexOf(c);
                var after = s.Length - at - 1;
                if (after != 3 || at > 3 || s.StartsWith('0'))
                {
                    (c == '.' ? ref dotDecimal : ref commaDecimal)++;
                }
                else
                {
                    undecided++;
                    undecidedCommas += c == ',' ? 1 : 0;
                }
            }
        }

        char dec;
        string why;
        string? doubt = null;
        if (dotDecimal > 0 || commaDecimal > 0)
        {
            dec = commaDecimal > dotDecimal ? ',' : '.';
            why = $"{Math.Max(dotDecimal, commaDecimal):N0} values have a decimal '{dec}'";
            if (Math.Min(dotDecimal, commaDecimal) > 0)
            {
                doubt = $"{Math.Min(dotDecimal, commaDecimal):N0} values read as a decimal '{(dec == '.' ? ',' : '.')}' instead; they will be rejected";
            }
        }
        else if (undecided > 0)
        {
            dec = fieldSeparator == ';' ? ',' : '.';
            why = $"no value decides it; '{dec}' because the fields are separated by '{fieldSeparator}'";
            doubt = $"{undecided:N0} values like 1{(dec == '.' ? ',' : '.')}234 could be thousands or decimals: chose decimal '{dec}'; if wrong, use --decimal-separator {(dec == '.' ? "," : ".")}";
        }
        else
        {
            dec = fieldSeparator == ';' ? ',' : '.';
            why = "no value has a fraction; the default";
        }

        var other = dec == '.' ? ',' : '.';
        char? thousands = groups.Where(g => g.Key != dec).OrderByDescending(g => g.Value).Select(g => (char?)g.Key).FirstOrDefault();
        if (thousands is null && (other == ',' ? undecidedCommas : undecided - undecidedCommas) > 0)
        {
            // With the decimal decided, 1,234 is a grouped thousand.
            thousands = other;
        }

        return new NumberFormatGuess(dec, thousands, why, doubt);
    }
}
