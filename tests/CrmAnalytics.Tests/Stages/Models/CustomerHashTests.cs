using CrmAnalytics.Core.Customers;
using CrmAnalytics.Stages.Models;

namespace CrmAnalytics.Tests.Stages.Models;

public sealed class CustomerHashTests
{
    // Reference values: the FNV test suite of Landon Curt Noll (isthe.com/chongo/src/fnv/test_fnv.c), FNV-1a 64.
    [TestCase("", 0xcbf29ce484222325UL)]
    [TestCase("a", 0xaf63dc4c8601ec8cUL)]
    [TestCase("foobar", 0x85944171f73967e8UL)]
    public void Fnv1a64_ReferenceVectors_Match(string text, ulong expected)
    {
        Assert.That(CustomerHash.Fnv1a64(text), Is.EqualTo(expected));
    }

    [Test]
    public void Fnv1a64_NonAscii_HashesUtf8Bytes()
    {
        // "é" is C3 A9 in UTF-8: two rounds from the offset basis.
        var expected = unchecked(((CustomerHash.OffsetBasis ^ 0xC3) * CustomerHash.Prime ^ 0xA9) * CustomerHash.Prime);

        Assert.That(CustomerHash.Fnv1a64("é"), Is.EqualTo(expected));
    }

    // MD5 reference digests: RFC 1321 appendix A.5 ("" d41d8cd98f00b204e9800998ecf8427e, "abc" 900150983cd24fb0d6963f7d28e17f72);
    // "é" (UTF-8 C3 A9) 66ddcd97cfdeabb2f6fb8a999b4bc76f. The key is the first 15 hex digits.
    [TestCase("", 0xd41d8cd98f00b20L)]
    [TestCase("abc", 0x900150983cd24fbL)]
    [TestCase("é", 0x66ddcd97cfdeabbL)]
    public void ShardKey_ReferenceVectors_FirstFifteenHexDigitsOfMd5(string id, long expected)
    {
        Assert.That(CustomerHash.ShardKey(id), Is.EqualTo(expected));
    }

    [Test]
    public void Contains_AbcInShardOfItsKey()
    {
        // 0x900150983cd24fb = 648541476951500027, which is 3 mod 4 and 5 mod 11.
        Assert.That(new ShardSpec(3, 4).Contains("abc"), Is.True);
        Assert.That(new ShardSpec(5, 11).Contains("abc"), Is.True);
        Assert.That(new ShardSpec(0, 4).Contains("abc"), Is.False);
    }

    [Test]
    public void Contains_EveryIdInExactlyOneShard()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => $"cust-{i}").ToArray();
        var shards = Enumerable.Range(0, 4).Select(i => new ShardSpec(i, 4)).ToArray();

        Assert.That(ids.Select(id => shards.Count(s => s.Contains(id))), Is.All.EqualTo(1));
        Assert.That(shards.Select(s => ids.Count(s.Contains)), Is.All.InRange(200, 300), "about a quarter each");
        Assert.That(new ShardSpec(0, 1).Contains("anything"), Is.True);
    }

    [Test]
    public void Draw_ShuffledInput_SameSampleOfTheGivenSize()
    {
        var customers = Enumerable.Range(0, 500).Select(i => Customer($"c{i}")).ToArray();
        var shuffled = customers.OrderBy(c => CustomerHash.Fnv1a64("shuffle" + c.CustomerId)).ToArray();

        var a = FitSample.Draw(Summary(customers), 50, seed: 3).Customers.Select(c => c.CustomerId).Order(StringComparer.Ordinal);
        var b = FitSample.Draw(Summary(shuffled), 50, seed: 3).Customers.Select(c => c.CustomerId).Order(StringComparer.Ordinal);
        var other = FitSample.Draw(Summary(customers), 50, seed: 4).Customers.Select(c => c.CustomerId).Order(StringComparer.Ordinal);

        Assert.That(a.ToArray(), Has.Length.EqualTo(50).And.EqualTo(b.ToArray()));
        Assert.That(other.ToArray(), Is.Not.EqualTo(a.ToArray()), "another seed, another sample");
        Assert.That(FitSample.Draw(Summary(customers), 600, seed: 3).Customers, Has.Count.EqualTo(500));
    }

    private static CustomerSummaryResult Summary(CustomerSummary[] customers) => new(new DateOnly(2025, 1, 1), customers, 0);

    private static CustomerSummary Customer(string id) => new()
    {
        CustomerId = id,
        FirstPurchase = new DateOnly(2024, 1, 1),
        LastPurchase = new DateOnly(2024, 1, 1),
        Orders = 1,
        TxDays = 0,
        AgeDays = 366,
        RecencyDays = 366,
        GrossSpend = 10,
        ReturnsValue = 0,
        ReturnLines = 0,
        MeanRepeatValue = 0,
        GapStdDays = 0,
        Windows = default,
    };
}
