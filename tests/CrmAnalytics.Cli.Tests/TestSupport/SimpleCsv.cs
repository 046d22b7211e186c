using System.Text;

namespace CrmAnalytics.Cli.Tests.TestSupport;

/// <summary>
/// A deliberately small RFC 4180 reader, independent of the engine's CsvHelper-based code: comma separated, fields
/// optionally quoted with "" as an escaped quote, records ended by LF or CRLF (line breaks inside quotes kept).
/// </summary>
internal static class SimpleCsv
{
    /// <param name="separator">',' for RFC 4180, ';' for the Excel dialect. A UTF-8 BOM is skipped.</param>
    public static List<string[]> ParseFile(string path, char separator = ',')
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Records(reader, separator).ToList();
    }

    public static List<string[]> Parse(string text)
    {
        using var reader = new StringReader(text);
        return Records(reader).ToList();
    }

    public static IEnumerable<string[]> Records(TextReader reader, char separator = ',')
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        int c;
        while ((c = reader.Read()) >= 0)
        {
            any = true;
            if (quoted)
            {
                if (c == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    field.Append((char)c);
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case var _ when c == separator:
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return fields.ToArray();
                    fields.Clear();
                    any = false;
                    break;
                default:
                    field.Append((char)c);
                    break;
            }
        }

        if (quoted)
        {
            throw new InvalidDataException("Unterminated quoted field at the end of the input.");
        }

        if (any)
        {
            fields.Add(field.ToString());
            yield return fields.ToArray();
        }
    }
}
