using System.Globalization;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>
/// Issue 14: <c>--csv-dialect excel</c> writes the customer lists as Excel opens them in a decimal-comma locale (BOM,
/// ';', ',' in numbers), the same table as the default RFC 4180 files, and crm reads its own Excel output back.
/// </summary>
[TestFixture]
public sealed class ScoreCsvDialectTests
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Score_CsvDialectExcel_WritesTheDefaultTableWithBomSemicolonsAndDecimalCommas()
    {
        var rfc = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["rfc"]);
        var excel = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["excel"], "--csv-dialect", "excel");
        Assert.That(rfc.ExitCode, Is.Zero, rfc.ToString());
        Assert.That(excel.ExitCode, Is.Zero, excel.ToString());

        string[] files = ["customers.csv", "segments/champions.csv", "segments/churn-warning.csv"];
        foreach (var file in files)
        {
            var rfcPath = Path.Combine(_temp["rfc"], file);
            var excelPath = Path.Combine(_temp["excel"], file);
            Assert.That(File.ReadAllBytes(rfcPath)[0], Is.Not.EqualTo((byte)0xEF), "the default has no BOM: " + file);
            Assert.That(File.ReadAllBytes(excelPath).AsSpan(0, 3).SequenceEqual("\uFEFF"u8), Is.True, "UTF-8 BOM: " + file);

            var expected = SimpleCsv.ParseFile(rfcPath);
            var actual = SimpleCsv.ParseFile(excelPath, ';');
            Assert.That(actual, Has.Count.EqualTo(expected.Count).And.Count.GreaterThan(1), file);
            Assert.That(actual[0], Is.EqualTo(expected[0]), file);
            for (var row = 1; row < expected.Count; row++)
            {
                Assert.That(actual[row], Has.Length.EqualTo(expected[row].Length), $"{file} row {row}");
                for (var col = 0; col < expected[row].Length; col++)
                {
                    AssertSameCell(expected[row][col], actual[row][col], $"{file} row {row} column {expected[0][col]}");
                }
            }
        }

        Assert.That(File.ReadAllText(Path.Combine(_temp["excel"], "customers.csv")), Does.Match(@";\d+,\d+;"), "some decimal commas");
    }

    [Test]
    public void Score_ExcelCsvOnlyTwice_ComparesWithTheExcelTableOfThePreviousRun()
    {
        string[] args = ["score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], "--format", "csv", "--csv-dialect", "excel"];
        var first = Crm.Run(args);
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        var customers = SimpleCsv.ParseFile(Path.Combine(_temp["out"], "customers.csv"), ';').Count - 1;

        var second = Crm.Run(args);
        var report = Crm.Run("report", _temp["out"]);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(report.ExitCode, Is.Zero, report.ToString());
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp["out"], "summary.json")));
        var drift = summary.RootElement.GetProperty("drift");
        Assert.That(drift.ValueKind, Is.EqualTo(JsonValueKind.Object), "the previous customers.csv was read");
        Assert.That(drift.GetProperty("previous_customers").GetInt32(), Is.EqualTo(customers));
        Assert.That(drift.GetProperty("changed_customers").GetInt32(), Is.Zero, "the same input scores the same");

        // The previous CLV values come back from a CSV rounded to cents, so the PSI is small but not 0; read with decimal
        // commas it must be exactly the PSI of the same two runs in the default dialect.
        string[] rfcArgs = ["score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["rfc"], "--format", "csv"];
        Assert.That((Crm.Run(rfcArgs).ExitCode, Crm.Run(rfcArgs).ExitCode), Is.EqualTo((0, 0)));
        using var rfcSummary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_temp["rfc"], "summary.json")));
        var rfcPsi = rfcSummary.RootElement.GetProperty("drift").GetProperty("clv_psi").GetDouble();
        Assert.That(drift.GetProperty("clv_psi").GetDouble(), Is.EqualTo(rfcPsi).Within(1e-12).And.LessThan(0.01), "CLV values read back with decimal commas");
    }

    [Test]
    public void Score_UnknownCsvDialect_ExitsTwo()
    {
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--out", _temp["out"], "--csv-dialect", "excel-de");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(Directory.Exists(_temp["out"]), Is.False);
    }

    /// <summary>A number is the same number read in each dialect's culture; any other cell is the same text.</summary>
    private static void AssertSameCell(string rfc, string excel, string where)
    {
        if (double.TryParse(rfc, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            Assert.That(excel, Does.Not.Contain('.'), where);
            Assert.That(double.Parse(excel, NumberStyles.Float, German), Is.EqualTo(number), where);
        }
        else
        {
            Assert.That(excel, Is.EqualTo(rfc), where);
        }
    }
}
