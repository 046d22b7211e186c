using System.Collections.Concurrent;
using CrmAnalytics.Core.Parallelism;

namespace CrmAnalytics.Core.Tests.Parallelism;

public sealed class RangesTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(Ranges.Size - 1)]
    [TestCase(Ranges.Size)]
    [TestCase(Ranges.Size + 1)]
    [TestCase((3 * Ranges.Size) + 17)]
    public void For_Count_CoversEveryIndexExactlyOnceInRangesWithinBounds(int count)
    {
        var hits = new int[count];
        var ranges = new ConcurrentBag<(int Start, int End)>();

        Ranges.For(count, (start, end) =>
        {
            ranges.Add((start, end));
            for (var i = start; i < end; i++)
            {
                Interlocked.Increment(ref hits[i]);
            }
        });

        var expectedRanges = (count + Ranges.Size - 1) / Ranges.Size;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(hits, Is.All.EqualTo(1));
            Assert.That(ranges, Has.Count.EqualTo(expectedRanges));
            Assert.That(Ranges.Count(count), Is.EqualTo(expectedRanges));
            Assert.That(ranges, Is.All.Matches<(int Start, int End)>(r =>
                r.Start >= 0 && r.Start < r.End && r.End <= count && r.Start % Ranges.Size == 0 && r.End - r.Start <= Ranges.Size));
            Assert.That(ranges.Select(r => r.Start), Is.Unique);
        }
    }

    [Test]
    public void For_CountZero_NeverCallsTheBody()
    {
        var calls = 0;

        Ranges.For(0, (_, _) => Interlocked.Increment(ref calls));

        Assert.That(calls, Is.Zero);
    }

    [Test]
    public void For_NegativeCount_Throws() =>
        Assert.That(() => Ranges.For(-1, (_, _) => { }), Throws.InstanceOf<ArgumentOutOfRangeException>());
}
