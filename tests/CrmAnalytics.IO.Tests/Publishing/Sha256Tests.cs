using CrmAnalytics.Core;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Tests.TestSupport;

namespace CrmAnalytics.IO.Tests.Publishing;

[TestFixture]
public sealed class Sha256Tests
{
    /// <summary>FIPS 180-2, appendix B.1: SHA-256("abc").</summary>
    internal const string AbcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Test]
    public async Task HashFile_Abc_MatchesFipsVector()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("abc.txt");
        await File.WriteAllTextAsync(path, "abc");

        Assert.That(Sha256.HashFile(path), Is.EqualTo(AbcDigest));
    }

    [Test]
    public void HashFile_MissingFile_ThrowsInputExceptionNamingPath()
    {
        using var temp = new TempFolder();
        var path = temp.Combine("missing.csv");

        var ex = Assert.Throws<InputException>(() => Sha256.HashFile(path));

        Assert.That(ex?.Message, Does.Contain(path));
    }
}
