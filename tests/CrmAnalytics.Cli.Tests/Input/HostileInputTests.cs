using System.Text;
using System.Text.Json;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Input;

/// <summary>The input repros of issue 17 on its base export, <c>crm sample --customers 600 --seed 3</c>, run in process.</summary>
[TestFixture]
public sealed class HostileInputTests
{
    private TempFolder _temp = null!;
    private string[] _lines = null!;

    [OneTimeSetUp]
    public void OneTimeSetUp()
    {
        _temp = new TempFolder();
        var run = Crm.Run("sample", "--customers", "600", "--seed", "3", "--out", _temp["sample"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        _lines = File.ReadAllLines(_temp["sample/transactions.csv"]);
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => _temp.Dispose();

    private static JsonElement Input(string outDir)
    {
        using var summary = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(outDir, "summary.json")));
        return summary.RootElement.GetProperty("inputs")[0].Clone();
    }

    [Test]
    public void Score_UnterminatedQuoteOnLine102_ReadsEveryLineAndKeepsEveryCustomer()
    {
        var lines = _lines.ToArray();
        lines[101] = "\"10292,2024-02-01,5.00";
        var input = _temp.Write("quote/t.csv", string.Join('\n', lines) + "\n");

        var run = Crm.Run("score", input, "--preset", "sample", "--out", _temp["quote/out"]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var read = Input(_temp["quote/out"]);
        Assert.That(read.GetProperty("rows_read").GetInt64(), Is.EqualTo(lines.Length - 1), "every physical data line is counted");
        Assert.That(read.GetProperty("rejects_by_reason").GetProperty("malformed_quoting").GetInt64(), Is.EqualTo(1));
        Assert.That(read.GetProperty("rows_accepted").GetInt64() + read.GetProperty("rows_rejected").GetInt64(), Is.EqualTo(lines.Length - 1));
        var customers = SimpleCsv.ParseFile(_temp["quote/out/customers.csv"]).Count - 1;
        Assert.That(customers, Is.EqualTo(600));
    }

    [Test]
    public void Score_TruncatedGzip_Exits3AndPublishesNothing()
    {
        var run = Crm.Run("sample", "--customers", "600", "--seed", "3", "--gzip", "--out", _temp["gz"]);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var gz = File.ReadAllBytes(_temp["gz/transactions.csv.gz"]);
        Assert.That(gz, Has.Length.GreaterThan(20_000));
        File.WriteAllBytes(_temp["gz/head.csv.gz"], gz[..20_000]);

        var score = Crm.Run("score", _temp["gz/head.csv.gz"], "--preset", "sample", "--out", _temp["gz/out"]);

        Assert.That(score.ExitCode, Is.EqualTo(3), score.ToString());
        Assert.That(score.Error, Does.Contain("head.csv.gz: is truncated"));
        Assert.That(Directory.Exists(_temp["gz/out"]), Is.False, "nothing is published");
    }

    [Test]
    public void Validate_InvalidUtf8Ids_RejectsEachWithWarningNamingEncodingOption()
    {
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(string.Join('\n', _lines) + "\n"));
        foreach (var last in new byte[] { 0xe9, 0xe8, 0xe7 })
        {
            bytes.AddRange("900001,caf"u8.ToArray());
            bytes.Add(last);
            bytes.AddRange(",2024-02-01 10:00:00,SKU1,1,5.00\n"u8.ToArray());
        }

        var input = Path.Combine(_temp.Path, "enc.csv");
        File.WriteAllBytes(input, [.. bytes]);

        var run = Crm.Run("validate", input, "--preset", "sample");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("invalid_encoding: 3"));
        Assert.That(run.Error, Does.Contain("3 rows have a customer id that is not valid utf-8").And.Contain("--encoding latin1"));
        Assert.That(run.Error, Does.Not.Contain("caf"));
    }

    [Test]
    public void Score_HeaderlessFile_StderrHasNoCellValues()
    {
        var input = _temp.Write("headerless.csv", "10292,2024-01-13,10.95\n10293,2024-01-14,3.50\n");

        var run = Crm.Run("score", input, "--out", _temp["headerless-out"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Not.Contain("10292").And.Not.Contain("2024-01-13").And.Not.Contain("10.95"));
        Assert.That(run.Error, Does.Contain("#1 number, #2 date, #3 number"));
    }

    [Test]
    public void Nps_HeaderlessSurvey_StderrHasNoCommentOrId()
    {
        var input = _temp.Write("survey.csv", "c-981,9,2024-03-01,I loved the staff at Lyon\nc-982,3,2024-03-02,never again\n");

        var run = Crm.Run("nps", input);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Not.Contain("loved").And.Not.Contain("c-981").And.Not.Contain("never again"));
    }

    [Test]
    public void Score_CustomersFileWithoutIdColumn_StderrHasNoIds()
    {
        var attributes = _temp.Write("attrs.csv", "10292,gold,jane@example.com\n10293,silver,joe@example.com\n");

        var run = Crm.Run("score", _temp["sample/transactions.csv"], "--preset", "sample", "--customers", attributes, "--out", _temp["attrs-out"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Not.Contain("10292").And.Not.Contain("gold").And.Not.Contain("jane@"));
    }

    [Test]
    public void Validate_FolderAsInput_SaysItIsAFolder()
    {
        var run = Crm.Run("validate", _temp["sample"]);

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("is a folder, not a file"));
    }

    [Test]
    public void Validate_CsvRenamedGz_SaysItIsNotGzip()
    {
        File.Copy(_temp["sample/transactions.csv"], _temp["renamed.csv.gz"], overwrite: true);

        var run = Crm.Run("validate", _temp["renamed.csv.gz"], "--preset", "sample");

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("is not gzip-compressed"));
    }

    [Test]
    public void Validate_Utf16WithoutBom_SaysSoWithoutNulBytes()
    {
        var input = Path.Combine(_temp.Path, "utf16.csv");
        File.WriteAllBytes(input, Encoding.Unicode.GetBytes(string.Join('\n', _lines.Take(50)) + "\n"));

        var run = Crm.Run("validate", input, "--preset", "sample");

        Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error, Does.Contain("looks like UTF-16 without a byte-order mark"));
        Assert.That(run.Error.IndexOf('\0', StringComparison.Ordinal), Is.EqualTo(-1));
    }
}
