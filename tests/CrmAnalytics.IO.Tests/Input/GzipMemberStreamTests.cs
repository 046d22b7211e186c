using System.IO.Compression;
using System.Text;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Tests.Input;

[TestFixture]
public sealed class GzipMemberStreamTests
{
    private static readonly byte[] Text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(i => $"{i},2024-01-01,{i % 97}.5\n")));

    private static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static byte[] Decompress(byte[] gz)
    {
        using var stream = new GzipMemberStream(new MemoryStream(gz));
        using var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    [Test]
    public void Read_OneMember_GivesTheOriginalBytes()
    {
        Assert.That(Decompress(Gzip(Text)), Is.EqualTo(Text));
    }

    [Test]
    public void Read_MultipleMembersWithEmptyOneAndNamedHeader_GivesTheConcatenation()
    {
        // The second member gets FEXTRA and FNAME fields (as gzip -N and bgzip write), rebuilt around .NET's deflate data.
        var second = Gzip(Text.AsSpan(0, 1000));
        byte[] named = [0x1f, 0x8b, 8, 0x0c, 0, 0, 0, 0, 0, 3, 4, 0, (byte)'B', (byte)'C', 2, 0, (byte)'t', (byte)'.', (byte)'c', 0, .. second[10..]];
        byte[] file = [.. Gzip(Text), .. Gzip([]), .. named];

        Assert.That(Decompress(file), Is.EqualTo(Text.Concat(Text.AsSpan(0, 1000).ToArray()).ToArray()));
    }

    [Test]
    public void Read_TruncatedAnywhere_ThrowsInsteadOfEndingEarly()
    {
        var gz = Gzip(Text);
        using (Assert.EnterMultipleScope())
        {
            // Every cut: in the header, in the deflate data, and in each byte of the 8-byte trailer.
            foreach (var length in new[] { 1, 5, 11, gz.Length / 3, gz.Length / 2, gz.Length - 9, gz.Length - 8, gz.Length - 4, gz.Length - 1 })
            {
                var ex = Assert.Throws<InvalidDataException>(() => Decompress(gz[..length]), $"cut at {length} of {gz.Length}");
                Assert.That(ex?.Message, Does.StartWith("is truncated"), $"cut at {length}");
            }
        }
    }

    [Test]
    public void Read_TrailerCrcFlipped_ThrowsCorrupt()
    {
        var gz = Gzip(Text);
        gz[^8] ^= 1;

        Assert.That(() => Decompress(gz), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("does not match its CRC-32"));
    }

    [Test]
    public void Read_PlainTextNamedGz_SaysItIsNotGzip()
    {
        Assert.That(() => Decompress(Text), Throws.InstanceOf<InvalidDataException>().With.Message.StartWith("is not gzip-compressed"));
    }

    [Test]
    public void Read_GarbageAfterLastMember_ThrowsCorrupt()
    {
        byte[] file = [.. Gzip(Text), (byte)'x', (byte)'y'];

        Assert.That(() => Decompress(file), Throws.InstanceOf<InvalidDataException>().With.Message.StartWith("is corrupt: unexpected data after gzip member 1"));
    }
}
