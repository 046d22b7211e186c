using System.Text.Json;
using CrmAnalytics.Cli.Input;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Input;

/// <summary>
/// Issue 17 items 8, 9, 12 and 14 (amounts): implausible dates, by-design exclusions that swallow the export, a row dated
/// 9999-12-31 and amounts that would overflow a total, each on the base input (<c>crm sample --customers 600 --seed 3</c>).
/// </summary>
[TestFixture]
public sealed class RowPlausibilityTests
{
    /// <summary>The base input's last row is dated 2025-12-27; the nightly job runs two weeks later.</summary>
    private static readonly DateOnly RunDate = new(2026, 1, 10);

    private TempFolder _temp = null!;
    private string _input = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempFolder();
        _input = Crm.Sample600(_temp["sample"]);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_Rows0001And1900_RejectedAsImplausibleDateWithAWarning()
    {
        var input = WithCells(_temp["dates.csv"], (2, "date", "0001-01-01"), (3, "date", "1900-01-01 10:00:00"));

        var run = Score(input);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var reasons = RejectsByReason(run);
        Assert.That(reasons.GetValueOrDefault("implausible_date"), Is.EqualTo(2));
        Assert.That(run.Error, Does.Contain("2 rows have an implausible date"));
        Assert.That(MaxAgeDays(), Is.LessThan(1000), "no customer is 739,611 days old");
    }

    [Test]
    public void Score_OneRowDated2030_IsRejectedAndDoesNotMoveTheAsOf()
    {
        var input = WithCells(_temp["future.csv"], (40, "date", "2030-06-01"));

        var run = Score(input);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(RejectsByReason(run).GetValueOrDefault("implausible_date"), Is.EqualTo(1));
        Assert.That(Summary().RootElement.GetProperty("as_of").GetString(), Is.EqualTo("2025-12-28"), "the day after the last plausible row");
    }

    [Test]
    public void Score_RowDated99991231_IsRejectedNotACrash()
    {
        var input = WithCells(_temp["max.csv"], (40, "date", "9999-12-31"));

        var run = Score(input);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(RejectsByReason(run).GetValueOrDefault("implausible_date"), Is.EqualTo(1));
    }

    [Test]
    public void Score_RowDated99991231WithTheLargestFutureMargin_IsStillImplausible()
    {
        // The calendar's last day can never be accepted: the default as-of would be the day after it.
        var input = WithCells(_temp["max.csv"], (40, "date", "9999-12-31"));

        var run = Score(input, "--as-of", "9000-12-31", "--future-days", TransactionInputOptions.MaxFutureDays.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(RejectsByReason(run).GetValueOrDefault("implausible_date"), Is.EqualTo(1));
    }

    [TestCase("9999-12-31")]
    [TestCase("9001-01-01")]
    public void Score_AsOfPastTheLatestAsOf_ExitsTwoNamingTheLimit(string asOf)
    {
        var run = Score(_input, "--as-of", asOf);

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--as-of").And.Contain("9000-12-31"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Score_BackfillAsOfBeforeTheData_RowsAfterItAreExcludedNotImplausible()
    {
        var run = Score(_input, "--as-of", "2025-01-01");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var reasons = RejectsByReason(run);
        Assert.That(reasons.GetValueOrDefault("implausible_date"), Is.EqualTo(0));
        Assert.That(reasons.GetValueOrDefault("date_after_as_of"), Is.GreaterThan(1000));
    }

    [Test]
    public void Score_EarliestDateAfterMostRows_CountsThemAsMalformedAndExitsFour()
    {
        var run = Score(_input, "--earliest-date", "2025-06-01");

        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        Assert.That(run.Error, Does.Contain("implausible_date"));
    }

    [Test]
    public void Score_FutureDaysZero_RejectsRowsAfterTheRunDate()
    {
        var input = WithCells(_temp["tomorrow.csv"], (40, "date", "2026-01-11"));

        Assert.That(RejectsByReason(Score(input, "--future-days", "1")).GetValueOrDefault("implausible_date"), Is.EqualTo(0), "tomorrow is within a day");
        Assert.That(RejectsByReason(Score(input, "--future-days", "0")).GetValueOrDefault("implausible_date"), Is.EqualTo(1));
    }

    [Test]
    public void LatestPlausibleDate_NearTheEndOfTheCalendar_StopsAtItsLastDayButOne()
    {
        Assert.That(TransactionInputOptions.LatestPlausibleDate(RunDate, new DateOnly(9999, 12, 1), 3653), Is.EqualTo(new DateOnly(9999, 12, 30)));
        Assert.That(TransactionInputOptions.LatestPlausibleDate(RunDate, new DateOnly(2020, 1, 1), 7), Is.EqualTo(new DateOnly(2026, 1, 17)), "a backfill keeps the run date's ceiling");
        Assert.That(TransactionInputOptions.LatestPlausibleDate(RunDate, new DateOnly(2030, 1, 1), 7), Is.EqualTo(new DateOnly(2030, 1, 8)));
    }

    [Test]
    public void Score_98PercentOfRowsWithoutCustomerId_ExitsFourAndPublishesNothing()
    {
        var input = WithoutCustomerIds(_temp["guests.csv"], keepEvery: 50);

        var run = Score(input);

        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        Assert.That(run.Error, Does.Contain("--max-excluded-rate").And.Contain("missing_customer_id"));
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    [Test]
    public void Score_TwoThirdsOfRowsWithoutCustomerId_PublishesWithAWarning()
    {
        var input = WithoutCustomerIds(_temp["guests.csv"], keepEvery: 3);

        var run = Score(input, "--clv-model", "none");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Error, Does.Contain("excluded by design").And.Contain("missing_customer_id"));
    }

    [Test]
    public void Score_RealisticGuestCheckoutShare_NoExclusionWarning()
    {
        var run = Score(_input);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Error, Does.Not.Contain("excluded by design"));
    }

    [Test]
    public void Score_MaxExcludedRateOne_Publishes98PercentGuestExport()
    {
        var input = WithoutCustomerIds(_temp["guests.csv"], keepEvery: 50);

        var run = Score(input, "--max-excluded-rate", "1", "--clv-model", "none");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Error, Does.Contain("excluded by design"));
    }

    [Test]
    public void Score_Amounts1e308_RejectedAsAmountOutOfRangeAndEveryTotalFinite()
    {
        // Two rows of one customer: 1e308 + 1e308 would be +Infinity in its monetary total.
        var input = WithCells(_temp["huge.csv"], (2, "unit_price", "1e308"), (3, "unit_price", "1e308"), (2, "quantity", "1"), (3, "quantity", "1"));

        var run = Score(input);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(RejectsByReason(run).GetValueOrDefault("amount_out_of_range"), Is.EqualTo(2));
        var rows = SimpleCsv.ParseFile(Path.Combine(_temp["out"], "customers.csv"));
        var monetary = Array.IndexOf(rows[0], "monetary_total");
        Assert.That(rows.Skip(1).Select(r => double.Parse(r[monetary], System.Globalization.CultureInfo.InvariantCulture)), Has.All.Matches<double>(double.IsFinite));
    }

    private CliResult Score(string input, params string[] more) =>
        Crm.RunOn(RunDate, ["score", input, "--preset", "sample", "--out", _temp["out"], "--churn-trainer", "none", .. more]);

    private JsonDocument Summary() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_temp["out"], "summary.json")));

    private Dictionary<string, long> RejectsByReason(CliResult run)
    {
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = Summary();
        return summary.RootElement.GetProperty("inputs")[0].GetProperty("rejects_by_reason").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
    }

    private int MaxAgeDays()
    {
        var rows = SimpleCsv.ParseFile(Path.Combine(_temp["out"], "customers.csv"));
        var age = Array.IndexOf(rows[0], "age_days");
        return rows.Skip(1).Max(r => int.Parse(r[age], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The base input with the given cells replaced; lines are 1-based (line 1 is the header).</summary>
    private string WithCells(string path, params (int Line, string Column, string Value)[] cells)
    {
        var lines = File.ReadAllLines(_input);
        var header = lines[0].Split(',');
        foreach (var (line, column, value) in cells)
        {
            var fields = lines[line - 1].Split(',');
            fields[Array.IndexOf(header, column)] = value;
            lines[line - 1] = string.Join(',', fields);
        }

        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>The base input with the customer id emptied on every row but each <paramref name="keepEvery"/>-th.</summary>
    private string WithoutCustomerIds(string path, int keepEvery)
    {
        var lines = File.ReadAllLines(_input);
        var id = Array.IndexOf(lines[0].Split(','), "customer_id");
        for (var i = 1; i < lines.Length; i++)
        {
            if (i % keepEvery != 0)
            {
                var fields = lines[i].Split(',');
                fields[id] = string.Empty;
                lines[i] = string.Join(',', fields);
            }
        }

        File.WriteAllLines(path, lines);
        return path;
    }
}
