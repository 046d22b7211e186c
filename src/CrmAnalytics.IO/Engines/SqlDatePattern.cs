using System.Text;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Engines;

/// <summary>
/// A date format the reduction can parse in SQL: a regular expression for the shape, and the fixed positions of the
/// year, month, day and (checked, then dropped) time fields. Only fixed-width .NET tokens translate exactly.
/// </summary>
/// <param name="Pattern">The whole text's shape, without backslashes (see <see cref="SqlDialect.FullMatch"/>).</param>
/// <param name="Fields">Each field's token letter, 1-based start and width in the text.</param>
internal sealed record SqlDatePattern(string Pattern, IReadOnlyList<(char Token, int Start, int Width)> Fields)
{
    /// <summary>The default: ISO 8601 <c>yyyy-MM-dd</c>, optionally followed by a time after a space or 'T' that is not used.</summary>
    public static SqlDatePattern Iso { get; } = new("[0-9]{4}-[0-9]{2}-[0-9]{2}([ T].*)?", [('y', 1, 4), ('M', 6, 2), ('d', 9, 2)]);

    /// <summary>
    /// The pattern of <paramref name="dateFormat"/> (null: <see cref="Iso"/>). Tokens yyyy, MM, dd, HH, mm and ss and the
    /// literals space - / . : T translate; any other token (M, d, MMM, tt, fff, quoted text) has no exact SQL shape.
    /// </summary>
    /// <exception cref="ConfigurationException">The format has a token that cannot be parsed exactly in SQL.</exception>
    public static SqlDatePattern For(string? dateFormat)
    {
        if (dateFormat is null)
        {
            return Iso;
        }

        var pattern = new StringBuilder();
        var fields = new List<(char, int, int)>();
        var position = 1;
        var i = 0;
        while (i < dateFormat.Length)
        {
            var c = dateFormat[i];
            var run = 1;
            while (i + run < dateFormat.Length && dateFormat[i + run] == c)
            {
                run++;
            }

            var width = (c, run) switch
            {
                ('y', 4) or ('M', 2) or ('d', 2) or ('H', 2) or ('m', 2) or ('s', 2) => run,
                _ when c is ' ' or '-' or '/' or '.' or ':' or 'T' => 0,
                _ => throw new ConfigurationException(
                    $"--date-format '{dateFormat}': '{new string(c, run)}' cannot be parsed exactly in SQL (the engines take yyyy, MM, dd, HH, mm, ss and the separators - / . : T and space); use --engine native."),
            };
            if (width == 0)
            {
                pattern.Append(c is '.' or '-' ? $"[{c}]" : c.ToString());
                position += run;
                if (run > 1)
                {
                    pattern.Append('{').Append(run).Append('}');
                }
            }
            else
            {
                pattern.Append("[0-9]{").Append(width).Append('}');
                fields.Add((c, position, width));
                position += width;
            }

            i += run;
        }

        if (!fields.Any(f => f.Item1 == 'y') || !fields.Any(f => f.Item1 == 'M') || !fields.Any(f => f.Item1 == 'd'))
        {
            throw new ConfigurationException($"--date-format '{dateFormat}' needs yyyy, MM and dd for the engines; use --engine native.");
        }

        return new SqlDatePattern(pattern.ToString(), fields);
    }

    public (int Start, int Width) Field(char token) => Fields.Where(f => f.Token == token).Select(f => (f.Start, f.Width)).First();

    public bool Has(char token) => Fields.Any(f => f.Token == token);
}
