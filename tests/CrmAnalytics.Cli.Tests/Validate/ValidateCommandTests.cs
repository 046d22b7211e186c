using System.Globalization;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Validate;

[TestFixture]
public sealed class ValidateCommandTests
{
    private const string Secret = "SECRET-VALUE-123";

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Validate_SampleTransactions_PrintsRowAccountingAndWritesNothing()
    {
        // Independent count: the sample preset rejects rows without a customer id, then rows whose quantity × unit price is 0.
        var rows = SimpleCsv.ParseFile(Crm.SampleTransactions);
        var header = rows[0];
        int Col(string name) => Array.IndexOf(header, name);
        var data = rows.Skip(1).ToList();
        var rejected = data.Count(r => r[Col("customer_id")].Length == 0
            || decimal.Parse(r[Col("quantity")], CultureInfo.InvariantCulture) * decimal.Parse(r[Col("unit_price")], CultureInfo.InvariantCulture) == 0);
        var before = OutputFolder.Entries(Path.GetDirectoryName(Crm.SampleTransactions)!);

        var run = Crm.Run("validate", Crm.SampleTransactions, "--preset", "sample");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.That(lines, Does.Contain($"rows_read: {data.Count}"));
        Assert.That(lines, Does.Contain($"rows_accepted: {data.Count - rejected}"));
        Assert.That(lines, Does.Contain($"rows_rejected: {rejected}"));
        Assert.That(OutputFolder.Entries(Path.GetDirectoryName(Crm.SampleTransactions)!), Is.EqualTo(before));
    }

    /// <summary>Bad rows carry a distinctive value in each kind of cell; stdout and stderr may name lines, columns and reasons, never values.</summary>
    [TestCase(new string[0], 4, TestName = "Validate_TooManyBadRowsWithSecretValues_NeverPrintsCellValues")]
    [TestCase(new[] { "--max-reject-rate", "1", "--verbose" }, 0, TestName = "Validate_BadRowsWithSecretValuesVerbose_NeverPrintsCellValues")]
    [TestCase(new[] { "--preview", "0" }, 4, TestName = "Validate_BadRowsWithSecretValuesNoPreview_NeverPrintsCellValues")]
    public void Validate_BadRowsWithSecretValues_NeverPrintsCellValues(string[] extra, int expectedExit)
    {
        var input = _temp.Write("secret.csv", SecretExport);

        var run = Crm.Run(["validate", input, .. extra]);

        Assert.That(run.ExitCode, Is.EqualTo(expectedExit), run.ToString());
        Assert.That(run.Output, Does.Not.Contain(Secret));
        Assert.That(run.Error, Does.Not.Contain(Secret));
        if (expectedExit == 0)
        {
            Assert.That(run.Output, Does.Contain("rows_read: 5").And.Contain("rows_rejected: 4"));
        }
    }

    [Test]
    public void Validate_BadRows_PreviewListsLineColumnAndReason()
    {
        var input = _temp.Write("secret.csv", SecretExport);

        var run = Crm.Run("validate", input, "--max-reject-rate", "1");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var preview = run.Output.Split('\n').SkipWhile(l => !l.StartsWith("first rejects", StringComparison.Ordinal)).Skip(1)
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        Assert.That(preview, Is.EqualTo(new[]
        {
            "3\tamount\tunparseable_amount", "4\tdate\tunparseable_date", "5\t*\twrong_column_count", "6\t*\tmalformed_quoting",
        }));
    }

    [Test]
    public void Score_BadRowsWithSecretValues_LogsNoCellValues()
    {
        var input = _temp.Write("secret.csv", SecretExport);
        var outDir = _temp["out"];

        var run = Crm.Run("score", input, "--out", outDir, "--max-reject-rate", "1", "--verbose", "--clv-model", "none", "--churn-trainer", "none");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output + run.Error, Does.Not.Contain(Secret));
        Assert.That(File.ReadAllText(Path.Combine(outDir, "rejects.csv")), Does.Contain(Secret), "the raw records belong in rejects.csv, not in the log");
    }

    /// <summary>Line 2 is good; 3: the id with an amount that is not a number; 4: the date; 5: an extra field; 6: an unterminated quote.</summary>
    private const string SecretExport =
        "customer_id,date,amount\n" +
        "A,2024-01-01,10\n" +
        Secret + ",2024-01-02,abc\n" +
        "B," + Secret + ",5\n" +
        "C,2024-01-03,4," + Secret + "\n" +
        "D,2024-01-04,\"" + Secret + "\n";

    [Test]
    public void Validate_WithSurveys_ReportsTheSurveyAccountingAndFirstRejectsAndWritesNothing()
    {
        var surveys = Path.Combine(CrmAnalytics.Tests.Shared.DatasetPaths.Repository, "samples", "surveys.csv");
        var before = OutputFolder.Entries(Path.GetDirectoryName(surveys)!);

        var run = Crm.Run("validate", Crm.SampleTransactions, "--preset", "sample", "--surveys", surveys);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        var survey = lines.SkipWhile(l => !l.StartsWith("survey file:", StringComparison.Ordinal)).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(survey, Is.Not.Empty);
            Assert.That(survey[0], Is.EqualTo("survey file: surveys.csv (Csv)"));
            Assert.That(survey, Does.Contain("rows_read: 427").And.Contain("rows_accepted: 422").And.Contain("rows_rejected: 5"));
            Assert.That(survey, Does.Contain("missing_score: 2").And.Contain("score_out_of_range: 1"));
            Assert.That(survey, Does.Contain("responses: 422"));
            Assert.That(survey.Count(l => l.Contains("\tscore\t", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(3), "the first survey rejects: line, column, reason");
            Assert.That(OutputFolder.Entries(Path.GetDirectoryName(surveys)!), Is.EqualTo(before));
        }
    }

    [Test]
    public void Validate_SurveysWithTooManyBadRows_ExitsFour()
    {
        var surveys = _temp.Write("bad.csv", "customer_id,score\n10000,11\n10001,12\n10002,9\n");

        var run = Crm.Run("validate", Crm.SampleTransactions, "--preset", "sample", "--surveys", surveys);

        Assert.That(run.ExitCode, Is.EqualTo(4), run.ToString());
        Assert.That(run.Output, Does.Contain("rows_rejected: 2"));
    }
}
