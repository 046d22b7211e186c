using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>What the published files say: the row accounting of summary.json, rejects.csv, and CSV injection escaping.</summary>
[TestFixture]
public sealed class ScoreOutputContentTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_SampleWithAsOf_SummaryAccountsForEveryRow()
    {
        var outDir = _temp["out"];
        var input = Crm.SampleTransactions;

        var run = Crm.Run("score", input, "--preset", "sample", "--as-of", "2025-12-01", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        var read = root.GetProperty("inputs")[0];
        var rowsRead = read.GetProperty("rows_read").GetInt64();
        var rowsAccepted = read.GetProperty("rows_accepted").GetInt64();
        var rowsRejected = read.GetProperty("rows_rejected").GetInt64();
        var byReason = read.GetProperty("rejects_by_reason").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var dataRows = SimpleCsv.ParseFile(input).Count - 1;
        var rejects = SimpleCsv.ParseFile(Path.Combine(outDir, "rejects.csv")).Skip(1).ToList();
        var customerRows = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv")).Count - 1;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rowsRead, Is.EqualTo(dataRows), "every data row of the file is read");
            Assert.That(rowsRead, Is.EqualTo(rowsAccepted + rowsRejected));
            Assert.That(byReason.Values.Sum(), Is.EqualTo(rowsRejected));
            Assert.That(byReason.GetValueOrDefault("date_after_as_of"), Is.GreaterThan(0), "the sample runs to 2025-12-28, past the as-of date");
            Assert.That(rejects, Has.Count.EqualTo(rowsRejected), "one rejects.csv row per rejected row");
            Assert.That(rejects.GroupBy(r => r[3]).ToDictionary(g => g.Key, g => (long)g.Count()), Is.EquivalentTo(byReason));
            Assert.That(read.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(input)))));
            Assert.That(read.GetProperty("size_bytes").GetInt64(), Is.EqualTo(new FileInfo(input).Length));
            Assert.That(root.GetProperty("as_of").GetString(), Is.EqualTo("2025-12-01"));
            Assert.That(root.GetProperty("parameters").GetProperty("as_of_source").GetString(), Is.EqualTo("--as-of"));
            Assert.That(root.GetProperty("customers").GetProperty("count").GetInt64(), Is.EqualTo(customerRows));
            Assert.That(root.GetProperty("exit_code").GetInt32(), Is.EqualTo(0));
        }
    }

    [Test]
    public void Score_Sample_SummaryHasAPeakWorkingSetForEveryTimedStage()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        var stages = root.GetProperty("timings_ms").EnumerateObject().Select(p => p.Name).Where(n => n != "total").ToArray();
        var peaks = root.GetProperty("peak_working_set_bytes_by_stage").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var overall = root.GetProperty("peak_working_set_bytes").GetInt64();
        using (Assert.EnterMultipleScope())
        {
            // The CLV fits and columns, churn training and scoring are timed apart (the columns run after training).
            Assert.That(stages, Is.EquivalentTo(new[] { "read", "summarize", "score", "clv_holdout", "clv_fit", "churn_train", "clv", "churn", "drift", "write" }));
            Assert.That(peaks.Keys, Is.EquivalentTo(stages), "one peak per timed stage");
            Assert.That(peaks.Values, Has.All.GreaterThan(0).And.All.LessThanOrEqualTo(overall), "a stage's peak never exceeds the run's");
        }
    }

    [Test]
    public void Score_SampleWithoutAsOf_AsOfIsTheDayAfterTheLastAcceptedRow()
    {
        var outDir = _temp["out"];
        var rows = SimpleCsv.ParseFile(Crm.SampleTransactions);
        var header = rows[0];
        int Col(string name) => Array.IndexOf(header, name);
        // Accepted rows in the sample preset: a customer id and a non-zero quantity × unit price.
        var lastAccepted = rows.Skip(1)
            .Where(r => r[Col("customer_id")].Length > 0
                && decimal.Parse(r[Col("quantity")], CultureInfo.InvariantCulture) * decimal.Parse(r[Col("unit_price")], CultureInfo.InvariantCulture) != 0)
            .Max(r => DateOnly.ParseExact(r[Col("date")][..10], "yyyy-MM-dd", CultureInfo.InvariantCulture));

        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("as_of").GetString(), Is.EqualTo(lastAccepted.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    [Test]
    public void Score_KnownBadRows_RejectsCsvIsExactlyAsHandWorked()
    {
        // Line 1 is the header. With --as-of 2024-01-07 (exclusive), rows dated 2024-01-07 or later are outside the window.
        var input = _temp.Write("t.csv",
            "customer_id,date,amount\n" +
            "A,2024-01-01,10\n" +     // 2: accepted
            "B,2024-13-01,5\n" +      // 3: month 13                      -> date, unparseable_date (malformed)
            ",2024-01-02,7\n" +       // 4: guest checkout                -> customer_id, missing_customer_id (excluded)
            "C,2024-01-03,abc\n" +    // 5: not a number                  -> amount, unparseable_amount (malformed)
            "D,2024-01-04\n" +        // 6: two fields, header has three  -> (whole record), wrong_column_count (malformed)
            "E,2024-01-05,0\n" +      // 7: zero amount                   -> amount, zero_amount (excluded)
            "G,2024-01-07,3\n" +      // 8: on the as-of date             -> date, date_after_as_of (excluded)
            "=X,2024-02-30,1\n" +     // 9: 30 February                   -> date, unparseable_date; raw record escaped with '
            "H,2024-01-02,4\n");      // 10: accepted
        var outDir = _temp["out"];

        // 4 malformed of 9 rows = 44 %: allowed by the raised threshold.
        var run = Crm.Run("score", input, "--as-of", "2024-01-07", "--max-reject-rate", "0.5", "--out", outDir, "--clv-model", "none", "--churn-trainer", "none");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        const string expected =
            "file,line,column,reason,raw_record\r\n" +
            "t.csv,3,date,unparseable_date,\"B,2024-13-01,5\"\r\n" +
            "t.csv,4,customer_id,missing_customer_id,\",2024-01-02,7\"\r\n" +
            "t.csv,5,amount,unparseable_amount,\"C,2024-01-03,abc\"\r\n" +
            "t.csv,6,,wrong_column_count,\"D,2024-01-04\"\r\n" +
            "t.csv,7,amount,zero_amount,\"E,2024-01-05,0\"\r\n" +
            "t.csv,8,date,date_after_as_of,\"G,2024-01-07,3\"\r\n" +
            "t.csv,9,date,unparseable_date,\"'=X,2024-02-30,1\"\r\n";
        Assert.That(File.ReadAllText(Path.Combine(outDir, "rejects.csv")), Is.EqualTo(expected));

        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var read = summary.RootElement.GetProperty("inputs")[0];
        var counts = (read.GetProperty("rows_read").GetInt64(), read.GetProperty("rows_accepted").GetInt64(),
            read.GetProperty("rows_rejected").GetInt64(), read.GetProperty("rows_malformed").GetInt64());
        Assert.That(counts, Is.EqualTo((9L, 2L, 7L, 4L)));
        Assert.That(read.GetProperty("rejects_by_reason").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())), Is.EqualTo(new[]
        {
            ("date_after_as_of", 1L), ("missing_customer_id", 1L), ("unparseable_amount", 1L), ("unparseable_date", 2L),
            ("wrong_column_count", 1L), ("zero_amount", 1L),
        }));
    }

    [Test]
    public void Score_FormulaLikeCustomerIds_AreEscapedInCustomerAndSegmentFiles()
    {
        var input = _temp.Write("t.csv",
            "customer_id,date,amount\n" +
            "=cmd|' /C calc'!A0,2024-01-01,10\n" +
            "+1,2024-01-02,20\n" +
            "@x,2024-01-03,30\n" +
            "-2,2024-01-04,10\n" +
            "-2,2024-01-05,-15\n");   // a return larger than the purchase: monetary_total = 10 - 15 = -5
        var outDir = _temp["out"];

        var run = Crm.Run("score", input, "--out", outDir, "--clv-model", "none", "--churn-trainer", "none");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var customers = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
        var header = customers[0];
        var rows = customers.Skip(1).ToDictionary(r => r[Array.IndexOf(header, "customer_id")]);
        Assert.That(rows.Keys, Is.EquivalentTo(new[] { "'=cmd|' /C calc'!A0", "'+1", "'@x", "'-2" }));
        var minus2 = rows["'-2"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(minus2[Array.IndexOf(header, "monetary_total")], Is.EqualTo("-5"), "a negative number is not text and keeps its sign");
            Assert.That(minus2[Array.IndexOf(header, "returns_value")], Is.EqualTo("15"));
            Assert.That(rows["'@x"][Array.IndexOf(header, "monetary_total")], Is.EqualTo("30"));
            foreach (var row in rows.Values)
            {
                Assert.That(row.Skip(1).Where(cell => cell.StartsWith('\'')), Is.Empty, "only the customer id is escaped");
            }

            var segmentIds = Directory.EnumerateFiles(Path.Combine(outDir, "segments"), "*.csv")
                .SelectMany(f => SimpleCsv.ParseFile(f).Skip(1).Select(r => r[0]))
                .ToArray();
            Assert.That(segmentIds, Is.EquivalentTo(rows.Keys));
        }
    }
}
