using System.Globalization;
using CrmAnalytics.IO.Engines;
using CrmAnalytics.IO.Input;

namespace CrmAnalytics.IO.Tests.Engines;

/// <summary>
/// The pushdown SQL's date literals are Gregorian ISO dates whatever the process culture: under a Thai locale (Buddhist
/// era, 2024 = 2567) they read DATE '2567-03-10', and the engine dropped every line as after the as-of date.
/// </summary>
[TestFixture]
public sealed class PushdownSqlCultureTests
{
    [Test]
    public void Generate_UnderThaiCulture_DateLiteralsAreGregorian([Values] SqlDialectName dialect)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("th-TH");
        try
        {
            var options = TransactionPresets.All["sample"] with { AsOf = new DateOnly(2024, 3, 10), EarliestDate = new DateOnly(2001, 2, 3) };

            var sql = PushdownSql.Generate(dialect, "transactions", options);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(sql, Does.Contain("2024-03-10").And.Contain("2001-02-03"));
                Assert.That(sql, Does.Not.Contain("2567").And.Not.Contain("2544"));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
