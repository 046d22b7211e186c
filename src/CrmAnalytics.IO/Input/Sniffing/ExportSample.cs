using System.Text;
using CrmAnalytics.Core;

namespace CrmAnalytics.IO.Input.Sniffing;

/// <summary>
/// The head of an export, decoded: at most <see cref="MaxBytes"/> bytes and <see cref="MaxLines"/> non-blank lines, never the
/// whole file. The encoding is decided from the bytes: a byte order mark, then UTF-16 without one (NUL bytes between the
/// characters), then UTF-8 when every byte sequence is valid, else Windows-1252.
/// </summary>
internal sealed record ExportSample(string Path, IReadOnlyList<string> Lines, string Encoding, string EncodingReason, long BytesRead, bool Truncated)
{
    /// <summary>How much of the file is read: 4 MiB holds tens of thousands of lines of a typical export.</summary>
    public const int MaxBytes = 4 << 20;

    /// <summary>The most lines sampled.</summary>
    public const int MaxLines = 20_000;

    /// <summary>The longest line the CSV reader accepts (its record limit); a longer one is not a transaction record.</summary>
    public const int MaxLineChars = 1 << 20;

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <exception cref="InputException">The file is missing, a folder, empty, binary, Parquet, or has a line longer than 1 MiB.</exception>
    public static ExportSample Read(string path, int maxBytes = MaxBytes, int maxLines = MaxLines)
    {
        var bytes = ReadHead(path, maxBytes, out var truncated);
        if (bytes.Length == 0 || bytes.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            throw new InputException($"{path}: is empty; crm init needs a header or data lines to look at.");
        }

        if (bytes is [(byte)'P', (byte)'A', (byte)'R', (byte)'1', ..])
        {
            throw new InputException($"{path}: is a Parquet file; its columns are typed already, so map them with --map (crm init reads delimited text).");
        }

        var (encoding, name, reason, skip) = DetectEncoding(path, bytes, truncated);
        var text = encoding.GetString(bytes, skip, bytes.Length - skip);
        if (truncated)
        {
            var lastBreak = text.LastIndexOf('\n');
            if (lastBreak < 0)
            {
                throw new InputException($"{path}: has no line break in its first {maxBytes / (1 << 20)} MiB; it is not a line-oriented export.");
            }

            text = text[..lastBreak];
        }

        var controls = text.Count(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n'));
        if (controls > 0 && controls * 100L >= text.Length)
        {
            throw new InputException($"{path}: looks binary ({controls:N0} control characters in the first {text.Length:N0}); crm init reads delimited text exports.");
        }

        var lines = new List<string>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            if (raw.Length > MaxLineChars)
            {
                throw new InputException($"{path}: line {lineNumber} is longer than 1 MiB; it is not a transaction record.");
            }

            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (lines.Count == maxLines)
            {
                truncated = true;
                break;
            }

            lines.Add(line);
        }

        return new ExportSample(path, lines, name, reason, bytes.Length, truncated);
    }

    private static byte[] ReadHead(string path, int maxBytes, out bool truncated)
    {
        if (Directory.Exists(path))
        {
            throw new InputException($"{path}: is a folder, not a file.");
        }

        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GzipMemberStream(file) : (Stream)file;
            var buffer = new byte[maxBytes + 1];
            var n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            truncated = n > maxBytes;
            return buffer[..Math.Min(n, maxBytes)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new InputException($"{path}: cannot be read ({ex.GetType().Name}: {ex.Message}).", ex);
        }
    }

    private static (Encoding Encoding, string Name, string Reason, int Skip) DetectEncoding(string path, byte[] bytes, bool truncated)
    {
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            return (new UTF8Encoding(false), "utf-8", "UTF-8 with a byte order mark", 3);
        }

        if (bytes is [0xFF, 0xFE, ..])
        {
            return (new UnicodeEncoding(false, false), "utf-16", "UTF-16 little-endian with a byte order mark", 2);
        }

        if (bytes is [0xFE, 0xFF, ..])
        {
            return (new UnicodeEncoding(true, false), "utf-16BE", "UTF-16 big-endian with a byte order mark", 2);
        }

        var pairs = Math.Min(bytes.Length, 4096) / 2;
        int evenNuls = 0, oddNuls = 0;
        for (var i = 0; i < pairs * 2; i += 2)
        {
            evenNuls += bytes[i] == 0 ? 1 : 0;
            oddNuls += bytes[i + 1] == 0 ? 1 : 0;
        }

        // The reader's rule for UTF-16 without a byte order mark: a NUL in at least 40% of the odd (or even) bytes.
        if (pairs >= 2 && Math.Max(evenNuls, oddNuls) * 10 >= pairs * 4 && Math.Min(evenNuls, oddNuls) * 10 < pairs)
        {
            return oddNuls >= evenNuls
                ? (new UnicodeEncoding(false, false), "utf-16", "UTF-16 little-endian without a byte order mark (NUL bytes between the characters)", 0)
                : (new UnicodeEncoding(true, false), "utf-16BE", "UTF-16 big-endian without a byte order mark (NUL bytes between the characters)", 0);
        }

        if (bytes.Contains((byte)0))
        {
            throw new InputException($"{path}: looks binary (NUL bytes that are not UTF-16 text); crm init reads delimited text exports.");
        }

        if (IsUtf8(bytes, truncated))
        {
            return (new UTF8Encoding(false), "utf-8", bytes.Any(b => b >= 0x80) ? "valid UTF-8 with non-ASCII characters" : "ASCII (read as UTF-8)", 0);
        }

        return (TransactionReadOptions.TryGetEncoding("windows-1252")!, "windows-1252", "the bytes are not valid UTF-8; Windows-1252 (Western European, Excel's ANSI) is the usual source", 0);
    }

    /// <summary>Whether the bytes are valid UTF-8; a sequence cut by the end of a truncated sample counts as valid.</summary>
    private static bool IsUtf8(byte[] bytes, bool truncated)
    {
        var span = bytes.AsSpan();
        if (truncated)
        {
            // Drop a multi-byte sequence cut at the end of the sample (at most 3 continuation bytes back).
            var cut = span.Length;
            for (var back = 1; back <= 3 && cut - back >= 0; back++)
            {
                var b = span[cut - back];
                if ((b & 0xC0) != 0x80)
                {
                    if (b >= 0xC0)
                    {
                        span = span[..(cut - back)];
                    }

                    break;
                }
            }
        }

        return System.Text.Unicode.Utf8.IsValid(span);
    }
}
