using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Internals;
using CrmAnalytics.Core.Parallelism;

namespace CrmAnalytics.Core.Tests.Internals;

/// <summary><see cref="PageTouch"/> hands back the same array, still all default values, whatever its length.</summary>
public sealed class PageTouchTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(31)]
    [TestCase(Ranges.Size + 7)]
    [TestCase(3 * Ranges.Size)]
    public void All_AnyLength_ReturnsTheSameArrayOfDefaults(int length)
    {
        var rows = new CustomerSummary[length];
        var flags = new bool[length];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PageTouch.All(rows), Is.SameAs(rows));
            Assert.That(rows, Is.All.EqualTo(default(CustomerSummary)));
            Assert.That(PageTouch.All(flags), Is.SameAs(flags).And.All.False);
        }
    }
}
