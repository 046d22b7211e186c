using System.Text;

namespace CrmAnalytics.IO.Input.Sniffing;

/// <summary>Splits a sampled line as the readers do: at a separator outside double quotes (RFC 4180), or at runs of white space.</summary>
internal static class LineSplitter
{
    /// <summary>The separator that stands for "runs of spaces or tabs" (the whitespace reader, CDNOW).</summary>
    public const char Whitespace = ' ';

    public static List<string> Split(string line, char separator, out bool quoted)
    {
        quoted = false;
        if (separator == Whitespace)
        {
            return [.. line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)];
        }

        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        while (true)
        {
            field.Clear();
            if (i < line.Length && line[i] == '"')
            {
                quoted = true;
                i++;
                while (i < line.Length)
                {
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    field.Append(line[i++]);
                }
            }

            while (i < line.Length && line[i] != separator)
            {
                field.Append(line[i++]);
            }

            fields.Add(field.ToString());
            if (i >= line.Length)
            {
                return fields;
            }

            i++;
        }
    }
}
