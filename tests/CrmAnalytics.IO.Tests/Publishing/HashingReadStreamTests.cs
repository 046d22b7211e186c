using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Tests.Input;
using CrmAnalytics.IO.Tests.TestSupport;

namespace CrmAnalytics.IO.Tests.Publishing;

[TestFixture]
public sealed class HashingReadStreamTests
{
    [Test]
    public void Finish_AbcReadByteByByte_MatchesFipsVector()
    {
        using var stream = new HashingReadStream(new MemoryStream("abc"u8.ToArray()));

        while (stream.ReadByte() >= 0)
        {
        }

        // FIPS 180-2, appendix B.1.
        Assert.That(stream.Finish(), Is.EqualTo(new FileHash(Sha256Tests.AbcDigest, 3)));
    }

    [Test]
    public async Task Finish_ManyUnevenReads_IsTheHashOfEveryByte()
    {
        // 3 MB in reads of 1 byte to 100 KB, sync and async: more chunks than the queue holds, so the reader waits on the hash.
        var bytes = new byte[3_000_000];
        new Random(7).NextBytes(bytes);
        using var stream = new HashingReadStream(new MemoryStream(bytes));
        var sizes = new[] { 1, 4096, 65_536, 100_000, 17 };
        var buffer = new byte[100_000];
        var k = 0;
        int n;
        do
        {
            var size = sizes[k++ % sizes.Length];
            n = k % 2 == 0 ? stream.Read(buffer, 0, size) : await stream.ReadAsync(buffer.AsMemory(0, size));
        }
        while (n > 0);

        Assert.That(stream.Finish(), Is.EqualTo(new FileHash(Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length)));
    }

    [Test]
    public void Finish_ReaderStoppedEarly_HashesTheRestToo()
    {
        var bytes = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("customer_id,date,amount\n", 10_000)));
        using var stream = new HashingReadStream(new MemoryStream(bytes));
        var head = new byte[100];
        stream.ReadExactly(head);

        Assert.That(stream.Finish(), Is.EqualTo(new FileHash(Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length)));
    }

    [Test]
    public void Dispose_WithoutFinish_EndsTheHashingThread()
    {
        var stream = new HashingReadStream(new MemoryStream(new byte[1_000_000]));
        stream.ReadExactly(new byte[500_000]);

        Assert.DoesNotThrow(stream.Dispose);
        Assert.DoesNotThrow(stream.Dispose);
    }

    [TestCase("t.csv")]
    [TestCase("t.csv.gz")]
    public async Task TransactionReader_TextFile_HashIsTheFilesBytes(string name)
    {
        using var temp = new TempFolder();
        var path = temp.Combine(name);
        var csv = "customer_id,date,amount\n" + string.Concat(Enumerable.Range(0, 50_000).Select(i => $"C{i % 997},2024-01-{1 + (i % 28):00},{i % 50}.25\n"));
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            await using var file = File.Create(path);
            await using var gz = new GZipStream(file, CompressionLevel.Fastest);
            await gz.WriteAsync(Encoding.UTF8.GetBytes(csv));
        }
        else
        {
            await File.WriteAllTextAsync(path, csv);
        }

        var result = await TransactionReader.ReadAsync(path, TransactionPresets.Generic, new CollectingRejectSink());

        var bytes = await File.ReadAllBytesAsync(path);
        Assert.That(result.Accounting.RowsAccepted, Is.EqualTo(50_000));
        // For .gz the hash is of the compressed file, as Sha256.HashFile gives for the file on disk.
        Assert.That(result.Hash, Is.EqualTo(new FileHash(Sha256.HashFile(path), bytes.Length)));
        Assert.That(result.Hash!.Sha256, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
    }
}
