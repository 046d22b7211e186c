using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Robustness;

/// <summary>
/// Fuzz-style robustness (issue 17, "Proof"): real exports are mutated the way broken exports arrive (bytes dropped, bits
/// flipped, stray quotes, NULs and invalid UTF-8 inserted, files truncated, headers duplicated, gzip streams cut or
/// corrupted), over a fixed list of seeds. Every case must end in bounded time with a documented exit code and no
/// unhandled exception; a run that publishes must account for every row; a run that does not publish must leave the
/// previous output byte-identical and no temporary folder behind.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class MutatedExportTests
{
    private const int Cases = 500;
    private static readonly TimeSpan CaseTimeLimit = TimeSpan.FromSeconds(60);

    /// <summary>The exit codes a data problem may produce (README, "Exit codes"); 1 is an internal error and never allowed.</summary>
    private static readonly int[] DocumentedDataExitCodes = [0, 3, 4, 5];

    private TempFolder _temp = null!;
    private Dictionary<BaseExport, (string Input, string GoodOutput, string[] Arguments)> _bases = null!;

    internal enum BaseExport
    {
        Sample,
        SampleGzip,
        OnlineRetail,
        Cdnow,
    }

    [OneTimeSetUp]
    public void OneTimeSetUp()
    {
        _temp = new TempFolder();
        _bases = [];
        var sample = FirstLines(File.ReadAllBytes(Crm.SampleTransactions), 1200);
        // Online Retail is sorted by date: every 200th line spans the whole year (about 2,700 lines).
        var onlineRetail = EveryNthLine(File.ReadAllBytes(DatasetPaths.File("online_retail", "online_retail.csv")), 200);
        var cdnow = FirstLines(File.ReadAllBytes(DatasetPaths.File("cdnow", "CDNOW_master.txt")), 1500);
        Prepare(BaseExport.Sample, "base.csv", sample, ["--preset", "sample"]);
        Prepare(BaseExport.SampleGzip, "base.csv.gz", Gzip(sample), ["--preset", "sample"]);
        Prepare(BaseExport.OnlineRetail, "base.csv", onlineRetail, ["--preset", "online-retail"]);
        Prepare(BaseExport.Cdnow, "base.txt", cdnow, ["--preset", "cdnow"]);
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => _temp.Dispose();

    public static IEnumerable<TestCaseData> Seeds() =>
        Enumerable.Range(0, Cases).Select(seed =>
            new TestCaseData(seed).SetName($"Score_MutatedExport_Seed{seed:D3}_EndsCleanly"));

    [TestCaseSource(nameof(Seeds))]
    public void Score_MutatedExport_EndsCleanly(int seed)
    {
        var random = new Random(seed);
        var kind = (BaseExport)(seed % 4);
        var (input, goodOutput, arguments) = _bases[kind];
        var folder = Directory.CreateDirectory(_temp[$"case-{seed:D3}"]).FullName;
        var output = Path.Combine(folder, "out");
        CopyFolder(goodOutput, output);
        var before = OutputFolder.ReadAll(output);

        var (bytes, text, mutations) = Mutate(kind, File.ReadAllBytes(input), random);
        var mutated = Path.Combine(folder, Path.GetFileName(input));
        File.WriteAllBytes(mutated, bytes);

        // Churn training costs about a second per run: every tenth case trains it, the rest exercise reading and CLV.
        string[] models = seed % 10 == 0 ? [] : ["--churn-trainer", "none"];
        var run = Task.Run(() => Crm.Run(["score", mutated, .. arguments, .. models, "--out", output]));
        Assert.That(run.Wait(CaseTimeLimit), Is.True, $"seed {seed} ({mutations}) did not finish within {CaseTimeLimit.TotalSeconds} s");
        var result = run.Result;
        var context = $"seed {seed}, {kind}, mutations: {mutations}\n{result}";

        Assert.That(DocumentedDataExitCodes, Does.Contain(result.ExitCode), context);
        Assert.That(result.Error, Does.Not.Contain("Unhandled").And.Not.Contain("   at "), context);
        Assert.That(Directory.EnumerateFileSystemEntries(folder, ".out.*").Select(Path.GetFileName),
            Is.All.Not.Contains(".tmp-").And.All.Not.Contains(".old-"), context);
        if (result.ExitCode == 0)
        {
            AssertPublishedRunAccountsForEveryRow(output, bytes, text, context);
        }
        else
        {
            Assert.That(OutputFolder.ReadAll(output), Is.EqualTo(before), "the previous output changed; " + context);
        }
    }

    private static void AssertPublishedRunAccountsForEveryRow(string output, byte[] input, byte[] text, string context)
    {
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(output, "summary.json")));
        var inputSummary = summary.RootElement.GetProperty("inputs")[0];
        Assert.That(inputSummary.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(input))), context);
        var read = inputSummary.GetProperty("rows_read").GetInt64();
        var accepted = inputSummary.GetProperty("rows_accepted").GetInt64();
        var rejected = inputSummary.GetProperty("rows_rejected").GetInt64();
        Assert.That(accepted + rejected, Is.EqualTo(read), context);
        var byReason = inputSummary.GetProperty("rejects_by_reason").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.That(byReason, Is.EqualTo(rejected), context);
        Assert.That(accepted, Is.GreaterThan(0), context);

        // Every physical line after the header is a row (README, "Reading rules": a quote never spans lines); only
        // empty lines are skipped, and a line of blanks may be either.
        var (nonEmpty, nonBlank) = CountDataLines(text);
        Assert.That(read, Is.InRange(nonBlank, nonEmpty), "rows_read must count every physical line; " + context);
        foreach (var value in EnumerateNumbers(summary.RootElement))
        {
            Assert.That(double.IsFinite(value), Is.True, context);
        }
    }

    /// <summary>
    /// Lines after the header that are not empty, and those that hold more than white space. A line ends at LF, CRLF or
    /// a lone CR, as the readers split lines (old Mac exports end lines with CR alone).
    /// </summary>
    private static (long NonEmpty, long NonBlank) CountDataLines(byte[] text)
    {
        long nonEmpty = 0, nonBlank = 0;
        var header = true;
        var start = 0;
        while (start < text.Length)
        {
            var end = text.AsSpan(start).IndexOfAny((byte)'\n', (byte)'\r');
            end = end < 0 ? text.Length : start + end;
            var line = text.AsSpan(start, end - start);
            if (!header && !line.IsEmpty)
            {
                nonEmpty++;
                if (line.IndexOfAnyExcept(" \t"u8) >= 0)
                {
                    nonBlank++;
                }
            }

            header = false;
            start = end + (end + 1 < text.Length && text[end] == '\r' && text[end + 1] == '\n' ? 2 : 1);
        }

        return (nonEmpty, nonBlank);
    }

    private static IEnumerable<double> EnumerateNumbers(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                yield return element.GetDouble();
                break;
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    foreach (var v in EnumerateNumbers(p.Value))
                    {
                        yield return v;
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var v in EnumerateNumbers(item))
                    {
                        yield return v;
                    }
                }

                break;
        }
    }

    /// <summary>One to three mutations of the plain text; for the gzip base, the text is compressed afterwards and the compressed stream may itself be cut or corrupted.</summary>
    private static (byte[] Bytes, byte[] Text, string Description) Mutate(BaseExport kind, byte[] original, Random random)
    {
        var compressed = kind == BaseExport.SampleGzip;
        var text = compressed ? Gunzip(original) : original;
        var list = new List<byte>(text);
        var applied = new List<string>();
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            applied.Add(MutateText(list, random));
        }

        var plain = list.ToArray();
        if (!compressed)
        {
            return (plain, plain, string.Join("; ", applied));
        }

        var bytes = Gzip(plain);
        switch (random.Next(3))
        {
            case 0:
                var cut = random.Next(10, bytes.Length);
                bytes = bytes[..cut];
                applied.Add($"gzip truncated to {cut} of {bytes.Length} bytes");
                break;
            case 1:
                var at = random.Next(bytes.Length);
                bytes[at] ^= (byte)(1 << random.Next(8));
                applied.Add($"gzip bit flipped at {at}");
                break;
        }

        return (bytes, plain, string.Join("; ", applied));
    }

    private static string MutateText(List<byte> bytes, Random random)
    {
        if (bytes.Count == 0)
        {
            bytes.AddRange("x"u8.ToArray());
        }

        var at = random.Next(bytes.Count);
        switch (random.Next(9))
        {
            case 0:
                var length = Math.Min(random.Next(1, 64), bytes.Count - at);
                bytes.RemoveRange(at, length);
                return $"dropped {length} bytes at {at}";
            case 1:
                var flips = random.Next(1, 9);
                for (var i = 0; i < flips; i++)
                {
                    var p = random.Next(bytes.Count);
                    bytes[p] ^= (byte)(1 << random.Next(8));
                }

                return $"flipped {flips} bits";
            case 2:
                bytes.Insert(at, (byte)'"');
                return $"quote inserted at {at}";
            case 3:
                bytes.InsertRange(at, Enumerable.Repeat((byte)0, random.Next(1, 5)));
                return $"NULs inserted at {at}";
            case 4:
                byte[][] invalid = [[0xE9], [0xC3, 0x28], [0xFF, 0xFE], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80]];
                var bad = invalid[random.Next(invalid.Length)];
                bytes.InsertRange(at, bad);
                return $"invalid UTF-8 {Convert.ToHexString(bad)} inserted at {at}";
            case 5:
                var keep = random.Next(0, bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                return $"truncated to {keep} bytes";
            case 6:
                var headerEnd = bytes.IndexOf((byte)'\n');
                if (headerEnd < 0)
                {
                    return "no header to duplicate";
                }

                var header = bytes.GetRange(0, headerEnd + 1);
                var line = NthLineStart(bytes, random.Next(1, 50));
                bytes.InsertRange(line, header);
                return $"header line repeated at {line}";
            case 7:
                var firstComma = bytes.IndexOf((byte)',');
                var newline = bytes.IndexOf((byte)'\n');
                if (firstComma < 0 || newline < firstComma)
                {
                    bytes.Insert(at, (byte)'\n');
                    return $"line break inserted at {at}";
                }

                var firstName = bytes.GetRange(0, firstComma);
                bytes.InsertRange(newline, [(byte)',', .. firstName]);
                return "first header name duplicated";
            default:
                var start = NthLineStart(bytes, random.Next(1, 200));
                var end = bytes.IndexOf((byte)'\n', start);
                if (end < 0)
                {
                    return "no line to duplicate";
                }

                var copies = random.Next(1, 1000);
                var row = bytes.GetRange(start, end - start + 1).ToArray();
                bytes.InsertRange(start, Enumerable.Range(0, copies).SelectMany(_ => row));
                return $"line at {start} repeated {copies} times";
        }
    }

    private static int NthLineStart(List<byte> bytes, int n)
    {
        var position = 0;
        for (var i = 0; i < n; i++)
        {
            var next = bytes.IndexOf((byte)'\n', position);
            if (next < 0 || next + 1 >= bytes.Count)
            {
                return position;
            }

            position = next + 1;
        }

        return position;
    }

    private void Prepare(BaseExport kind, string fileName, byte[] content, string[] arguments)
    {
        var folder = Directory.CreateDirectory(_temp[$"base-{kind}"]).FullName;
        var input = Path.Combine(folder, fileName);
        File.WriteAllBytes(input, content);
        var output = Path.Combine(folder, "good");
        var run = Crm.Run(["score", input, .. arguments, "--churn-trainer", "none", "--out", output]);
        Assert.That(run.ExitCode, Is.EqualTo(0), $"the unmutated {kind} export must score cleanly: {run}");
        _bases[kind] = (input, output, arguments);
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static byte[] FirstLines(byte[] bytes, int lines)
    {
        var position = 0;
        for (var i = 0; i < lines && position < bytes.Length; i++)
        {
            var next = Array.IndexOf(bytes, (byte)'\n', position);
            position = next < 0 ? bytes.Length : next + 1;
        }

        return bytes[..position];
    }

    /// <summary>The header line and every <paramref name="n"/>th line after it.</summary>
    private static byte[] EveryNthLine(byte[] bytes, int n)
    {
        using var result = new MemoryStream();
        var position = 0;
        for (var line = 0; position < bytes.Length; line++)
        {
            var next = Array.IndexOf(bytes, (byte)'\n', position);
            var end = next < 0 ? bytes.Length : next + 1;
            if (line % n == 0)
            {
                result.Write(bytes, position, end - position);
            }

            position = end;
        }

        return result.ToArray();
    }

    private static byte[] Gzip(byte[] content)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return memory.ToArray();
    }

    private static byte[] Gunzip(byte[] content)
    {
        using var gzip = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
