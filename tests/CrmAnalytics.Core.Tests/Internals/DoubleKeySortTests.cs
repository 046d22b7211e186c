using CrmAnalytics.Core.Internals;

namespace CrmAnalytics.Core.Tests.Internals;

/// <summary><see cref="DoubleKeySort"/> against <see cref="Array.Sort{TKey, TValue}(TKey[], TValue[])"/> on the same keys.</summary>
public sealed class DoubleKeySortTests
{
    private static double[] RandomKeys(int n, int seed, bool withNaN)
    {
        var random = new Random(seed);
        double[] specials = [-0.0, 0.0, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, -double.MaxValue, double.Epsilon, -double.Epsilon, -1e-310];
        var keys = new double[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = random.Next(4) switch
            {
                0 => specials[random.Next(specials.Length)],
                1 => random.Next(-30, 30),
                2 => Math.Round((random.NextDouble() - 0.2) * 500, 2),
                _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)),
            };
        }

        if (withNaN)
        {
            keys[random.Next(n)] = double.NaN;
        }

        return keys;
    }

    /// <summary>Sorts copies both ways and checks the keys match (by CompareTo) and each item still carries its own key.</summary>
    private static void AssertSortsLikeArraySort(double[] keys)
    {
        var n = keys.Length;
        var expectedKeys = (double[])keys.Clone();
        var expectedItems = Enumerable.Range(0, n).ToArray();
        Array.Sort(expectedKeys, expectedItems);
        var actualKeys = (double[])keys.Clone();
        var actualItems = Enumerable.Range(0, n).ToArray();

        DoubleKeySort.Sort(actualKeys, actualItems);

        var keyMismatches = Enumerable.Range(0, n).Count(i => actualKeys[i].CompareTo(expectedKeys[i]) != 0);
        var itemMismatches = Enumerable.Range(0, n).Count(i => keys[actualItems[i]].CompareTo(actualKeys[i]) != 0);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(keyMismatches, Is.Zero);
            Assert.That(itemMismatches, Is.Zero);
            Assert.That(actualItems.Order(), Is.EqualTo(Enumerable.Range(0, n)));
        }
    }

    [TestCase(100_000, 1)]
    [TestCase(1_000, 2)]
    [TestCase(5, 3)]
    [TestCase(2, 4)]
    [TestCase(1, 5)]
    [TestCase(0, 6)]
    public void Sort_RandomKeysWithTiesAndSpecials_SameOrderAsArraySort(int n, int seed)
    {
        AssertSortsLikeArraySort(RandomKeys(n, seed, withNaN: false));
    }

    [TestCase(10_000, 7)]
    [TestCase(3, 8)]
    public void Sort_KeysWithNaN_SameAsArraySortExactly(int n, int seed)
    {
        // NaN falls back to Array.Sort itself, so even the order within ties and the sign of zeros are the same.
        var keys = RandomKeys(n, seed, withNaN: true);
        var expectedKeys = (double[])keys.Clone();
        var expectedItems = Enumerable.Range(0, n).ToArray();
        Array.Sort(expectedKeys, expectedItems);
        var actualItems = Enumerable.Range(0, n).ToArray();

        DoubleKeySort.Sort(keys, actualItems);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(expectedKeys.Select(BitConverter.DoubleToInt64Bits)));
            Assert.That(actualItems, Is.EqualTo(expectedItems));
        }
    }

    [Test]
    public void Sort_OnlyLowestDigitVaries_OneOddPassStillSorted()
    {
        // 1 + k·2⁻⁵² for k = 0…255 differ in the lowest 11-bit digit only: one pass runs, and its result is copied back.
        var keys = Enumerable.Range(0, 256).Select(k => BitConverter.UInt64BitsToDouble(BitConverter.DoubleToUInt64Bits(1.0) + (ulong)k)).ToArray();
        new Random(9).Shuffle(keys);

        AssertSortsLikeArraySort(keys);
    }

    [Test]
    public void Sort_AllKeysEqual_EveryPassSkippedItemsUnchanged()
    {
        double[] keys = [2.5, 2.5, 2.5, 2.5];
        int[] items = [3, 1, 0, 2];

        DoubleKeySort.Sort(keys, items);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys, Is.EqualTo(new[] { 2.5, 2.5, 2.5, 2.5 }));
            Assert.That(items, Is.EqualTo(new[] { 3, 1, 0, 2 }));
        }
    }

    [Test]
    public void Sort_NegativeZero_ReadsPositiveZeroBetweenNegativesAndPositives()
    {
        double[] keys = [1.0, -0.0, -1.0];
        int[] items = [0, 1, 2];

        DoubleKeySort.Sort(keys, items);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(keys.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(new[] { -1.0, 0.0, 1.0 }.Select(BitConverter.DoubleToInt64Bits)));
            Assert.That(items, Is.EqualTo(new[] { 2, 1, 0 }));
        }
    }

    /// <summary>Packed customer ids: unique unsigned keys, the high bit set or not, some differing only in the low digit.</summary>
    [TestCase(0, 1)]
    [TestCase(1, 2)]
    [TestCase(50_000, 3)]
    public void Sort_UnsignedUniqueKeys_SameOrderAsArraySort(int n, int seed)
    {
        var random = new Random(seed);
        var keys = new HashSet<ulong>();
        while (keys.Count < n)
        {
            var k = (ulong)random.NextInt64() << 1 ^ (ulong)random.Next(2) << 63;
            keys.Add(random.Next(4) == 0 ? k & 0xFFF : k);
        }

        var actual = keys.ToArray();
        var expected = (ulong[])actual.Clone();
        var actualItems = Enumerable.Range(0, n).ToArray();
        var expectedItems = (int[])actualItems.Clone();

        DoubleKeySort.Sort(actual, actualItems);
        Array.Sort(expected, expectedItems);

        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(actualItems, Is.EqualTo(expectedItems));
    }

    [Test]
    public void Sort_LengthsDiffer_Throws()
    {
        Assert.That(() => DoubleKeySort.Sort([1.0, 2.0], new int[3]), Throws.ArgumentException);
    }
}
