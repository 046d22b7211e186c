using System.Globalization;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>
/// <c>crm score</c> on the real exports in ../shared/datasets, checked against the numbers in their SOURCE.md files and
/// against an independent scan of the raw file.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ScoreRealDataTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_CdnowMaster_MatchesSourceCounts()
    {
        var outDir = _temp["out"];

        var run = Crm.Run("score", DatasetPaths.File("cdnow", "CDNOW_master.txt"), "--preset", "cdnow", "--out", outDir);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        var read = root.GetProperty("inputs")[0];
        using (Assert.EnterMultipleScope())
        {
            // SOURCE.md: 69,659 rows, 23,570 customers, dates 1997-01-01..1998-06-30 (so as-of defaults to 1998-07-01).
            Assert.That(read.GetProperty("rows_read").GetInt64(), Is.EqualTo(69_659));
            Assert.That(read.GetProperty("rows_accepted").GetInt64(), Is.EqualTo(69_659), "the preset keeps the 80 $0.00 rows as occasions");
            Assert.That(root.GetProperty("customers").GetProperty("count").GetInt64(), Is.EqualTo(23_570));
            Assert.That(root.GetProperty("as_of").GetString(), Is.EqualTo("1998-07-01"));
            Assert.That(read.GetProperty("sha256").GetString(), Is.EqualTo("eff6889ed364c5199d6eacbbeb7a6d559971df4406ac876f322c373f00a072ef"));
        }
    }

    /// <summary>
    /// SOURCE.md: 541,909 rows, 135,080 without CustomerID, 4,372 distinct ids. The scan below checks the claim that
    /// exactly one of those ids has only zero-price lines (so it never reaches the customer summary) instead of trusting it.
    /// Then the Parquet copy of the same data must give the same customer table, byte for byte.
    /// </summary>
    [Test]
    public void Score_OnlineRetailCsvAndParquet_MatchIndependentScanAndEachOther()
    {
        var csvPath = DatasetPaths.File("online_retail", "online_retail.csv");
        var scan = ScanOnlineRetail(csvPath);
        Assert.That(scan.RowsWithoutId, Is.EqualTo(135_080), "SOURCE.md count of rows with no CustomerID");
        Assert.That(scan.Ids, Is.EqualTo(4_372), "SOURCE.md count of distinct CustomerID");
        Assert.That(scan.IdsWithNonZeroAmount, Is.EqualTo(4_371), "one id has only zero-price lines");

        var csvOut = _temp["csv"];
        var parquetOut = _temp["parquet"];
        var csvRun = Crm.Run("score", csvPath, "--preset", "online-retail", "--out", csvOut);
        var parquetRun = Crm.Run("score", DatasetPaths.File("online_retail", "online_retail.parquet"), "--preset", "online-retail", "--out", parquetOut);

        Assert.That(csvRun.ExitCode, Is.EqualTo(0), csvRun.ToString());
        Assert.That(parquetRun.ExitCode, Is.EqualTo(0), parquetRun.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(csvOut, "summary.json")));
        var root = summary.RootElement;
        var read = root.GetProperty("inputs")[0];
        var customers = root.GetProperty("customers");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(read.GetProperty("rows_read").GetInt64(), Is.EqualTo(scan.Rows).And.EqualTo(541_909));
            Assert.That(read.GetProperty("rejects_by_reason").GetProperty("missing_customer_id").GetInt64(), Is.EqualTo(scan.RowsWithoutId));
            Assert.That(read.GetProperty("rejects_by_reason").GetProperty("zero_amount").GetInt64(), Is.EqualTo(scan.ZeroRowsWithId));
            Assert.That(read.GetProperty("rows_malformed").GetInt64(), Is.Zero);
            Assert.That(customers.GetProperty("count").GetInt64() + customers.GetProperty("without_purchases").GetInt64(), Is.EqualTo(scan.IdsWithNonZeroAmount));
            Assert.That(root.GetProperty("as_of").GetString(), Is.EqualTo("2011-12-10"), "SOURCE.md: last invoice 2011-12-09 12:50");
        }

        Assert.That(File.ReadAllBytes(Path.Combine(parquetOut, "customers.csv")), Is.EqualTo(File.ReadAllBytes(Path.Combine(csvOut, "customers.csv"))),
            "the Parquet and CSV copies of Online Retail give the same customer table");
    }

    private sealed record OnlineRetailScan(long Rows, long RowsWithoutId, long ZeroRowsWithId, int Ids, int IdsWithNonZeroAmount);

    /// <summary>Counts rows and customer ids with the test's own CSV reader and decimal arithmetic.</summary>
    private static OnlineRetailScan ScanOnlineRetail(string path)
    {
        using var reader = new StreamReader(path);
        using var records = SimpleCsv.Records(reader).GetEnumerator();
        Assert.That(records.MoveNext(), Is.True);
        var header = records.Current;
        Assert.That(header, Is.EqualTo(new[] { "InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country" }));
        long rows = 0;
        long withoutId = 0;
        long zeroWithId = 0;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var nonZero = new HashSet<string>(StringComparer.Ordinal);
        while (records.MoveNext())
        {
            var r = records.Current;
            rows++;
            Assert.That(r, Has.Length.EqualTo(8), $"record {rows}");
            var id = r[6].Trim();
            if (id.Length == 0)
            {
                withoutId++;
                continue;
            }

            ids.Add(id);
            var amount = decimal.Parse(r[3], NumberStyles.Float, CultureInfo.InvariantCulture) * decimal.Parse(r[5], NumberStyles.Float, CultureInfo.InvariantCulture);
            if (amount == 0)
            {
                zeroWithId++;
            }
            else
            {
                nonZero.Add(id);
            }
        }

        return new OnlineRetailScan(rows, withoutId, zeroWithId, ids.Count, nonZero.Count);
    }
}
