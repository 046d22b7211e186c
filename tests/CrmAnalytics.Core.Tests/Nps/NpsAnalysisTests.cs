using CrmAnalytics.Core.Nps;

namespace CrmAnalytics.Core.Tests.Nps;

public sealed class NpsAnalysisTests
{
    private static SurveyResponse R(string id, int score, string? date = null, long line = 0, string? channel = null) =>
        new(id, score, date is null ? null : DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), channel, false, line);

    [Test]
    public void LatestByCustomer_SeveralResponses_TakesLatestDateThenLaterLine()
    {
        var latest = NpsAnalysis.LatestByCustomer(
        [
            R("a", 3, "2024-01-05", 2),
            R("a", 10, "2024-03-01", 3),
            R("a", 7, "2024-02-01", 4),
            R("b", 9, "2024-01-01", 5),
            R("b", 2, "2024-01-01", 6),
        ]);

        Assert.That(latest["a"], Is.EqualTo(new CustomerNps(10, NpsCategory.Promoter, new DateOnly(2024, 3, 1))));
        Assert.That(latest["b"], Is.EqualTo(new CustomerNps(2, NpsCategory.Detractor, new DateOnly(2024, 1, 1))));
    }

    [Test]
    public void LatestByCustomer_Undated_TakesLastInFile()
    {
        var latest = NpsAnalysis.LatestByCustomer([R("a", 8, line: 9), R("a", 1, line: 4)]);

        Assert.That(latest["a"].Score, Is.EqualTo(8));
        Assert.That(latest["a"].Date, Is.Null);
    }

    // January: 10, 9, 0 → 2 promoters, 1 detractor → NPS 100 × (2 − 1) / 3 = 33.33; February: 7 → 0. Undated left out.
    [Test]
    public void ByMonth_DatedResponses_GroupsByCalendarMonthAscending()
    {
        var groups = NpsAnalysis.ByMonth([R("x", 7, "2024-02-10"), R("a", 10, "2024-01-31"), R("b", 9, "2024-01-01"), R("c", 0, "2024-01-15"), R("d", 10)], 2);

        Assert.That(groups.Select(g => g.Key), Is.EqualTo(new[] { "2024-01", "2024-02" }));
        Assert.That(groups[0].Result.Nps, Is.EqualTo(100.0 / 3).Within(1e-9));
        Assert.That(groups[0].Result.TooSmall, Is.False);
        Assert.That(groups[1].Result.Counts, Is.EqualTo(new NpsCounts(0, 1, 0)));
        Assert.That(groups[1].Result.TooSmall, Is.True);
    }

    [Test]
    public void Group_WithOrder_ListsOrderedKeysFirstThenOthersOrdinal()
    {
        var groups = NpsAnalysis.Group(
            [("Lost", NpsCategory.Detractor), ("Zeta", NpsCategory.Promoter), ("Champions", NpsCategory.Promoter), ("Alpha", NpsCategory.Passive)],
            1,
            ["Champions", "Empty", "Lost"]);

        Assert.That(groups.Select(g => g.Key), Is.EqualTo(new[] { "Champions", "Lost", "Alpha", "Zeta" }));
        Assert.That(groups[1].Result.Nps, Is.EqualTo(-100.0));
    }
}
