using System.Text;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Core;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Init;

/// <summary>Issue 14: <c>crm init</c>'s contract: the job file is never replaced without --force, absurd inputs end in exit 3 naming the file, only a sample is sniffed, and logs hold no cell values.</summary>
[TestFixture]
public sealed class InitCommandTests
{
    private const string Export = "customer_id,date,amount\nc-secret-1,2024-01-05,10.00\nc-secret-2,2024-01-06,20.00\n";

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Init_JobFileExists_ExitsSixAndKeepsIt()
    {
        var export = _temp.Write("orders.csv", Export);
        var job = _temp.Write("job.json", "{ \"mine\": true }");

        var run = Crm.Run("init", export, "--out", job);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.OutputFailed), run.ToString());
        Assert.That(run.Error, Does.Contain(job).And.Contain("--force"));
        Assert.That(File.ReadAllText(job), Is.EqualTo("{ \"mine\": true }"));
    }

    [Test]
    public void Init_JobFileExistsWithForce_ReplacesItWithARunnableJob()
    {
        var export = _temp.Write("orders.csv", Export);
        var job = _temp.Write("job.json", "{ \"mine\": true }");

        var run = Crm.RunOn(InitJob.Today, "init", export, "--out", job, "--force");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(File.ReadAllText(job), Does.Contain("\"transactions\": \"orders.csv\""));
        Assert.That(Crm.RunOn(InitJob.Today, "run", "--check", job).ExitCode, Is.EqualTo(0));
        Assert.That(Directory.GetFiles(_temp.Path), Has.Length.EqualTo(2), "no temporary file is left beside the job");
    }

    [Test]
    public void Init_AnyExport_StderrHasNoCellValuesAndStdoutAtMostThreePerColumn()
    {
        var lines = Enumerable.Range(1, 50).Select(i => $"secret-{i:D3},2024-01-{1 + (i % 28):D2},{i}.50");
        var export = _temp.Write("orders.csv", "Kunde;Datum;Betrag\n".Replace(';', ',') + string.Join('\n', lines) + "\n");

        var run = Crm.RunOn(InitJob.Today, "init", export, "--out", _temp["job.json"], "--verbose");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Error, Does.Not.Contain("secret-"));
        Assert.That(File.ReadAllText(_temp["job.json"]), Does.Not.Contain("secret-"), "the job file holds no cell values");
        Assert.That(run.Output.Split("secret-").Length - 1, Is.EqualTo(3), "three sampled customer ids on stdout");
    }

    [Test]
    public void Init_NoValidate_WritesTheJobWithoutReadingTheWholeExport()
    {
        var export = _temp.Write("orders.csv", Export);

        var run = Crm.Run("init", export, "--out", _temp["job.json"], "--no-validate");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("wrote ").And.Not.Contain("rows_read"));
    }

    /// <summary>
    /// Only the first 4 MiB are sniffed: lines after them (here with another separator and no valid date) change nothing in
    /// the guesses, and the explanation says the file is longer.
    /// </summary>
    [Test]
    public void Init_ExportLongerThanTheSample_SniffsOnlyItsHead()
    {
        var path = _temp["big.csv"];
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("customer_id,date,amount\n");
            for (var i = 0; writer.BaseStream.Length < 5L << 20; i++)
            {
                writer.Write($"c{i % 997},2024-01-{1 + (i % 28):D2},{i % 100}.25\n");
                if (i % 10_000 == 0)
                {
                    writer.Flush();
                }
            }

            for (var i = 0; i < 100_000; i++)
            {
                writer.Write("x;not a date;1,5;y;z\n");
            }
        }

        var run = Crm.Run("init", path, "--out", _temp["job.json"], "--no-validate");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output, Does.Contain("of a longer file").And.Contain("separator: ','").And.Not.Contain("unsure"));
    }

    [Test]
    public void Init_EmptyExport_ExitsThreeNamingIt()
    {
        var export = _temp.Write("empty.csv", "\n\n");

        AssertRefused(export, "is empty");
    }

    [Test]
    public void Init_BinaryFile_ExitsThreeNamingIt()
    {
        var export = _temp["image.csv"];
        File.WriteAllBytes(export, [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 256))]);

        AssertRefused(export, "looks binary");
    }

    [Test]
    public void Init_OneColumn_ExitsThreeNamingIt()
    {
        var export = _temp.Write("ids.csv", "customer_id\n1\n2\n3\n");

        AssertRefused(export, "one column only");
    }

    [Test]
    public void Init_LineLongerThanOneMebibyte_ExitsThreeNamingIt()
    {
        var export = _temp.Write("long.csv", "customer_id,date,amount\n1,2024-01-01," + new string('9', 1_100_000) + "\n");

        AssertRefused(export, "line 2 is longer than 1 MiB");
    }

    [Test]
    public void Init_NoLineBreakInTheSample_ExitsThreeNamingIt()
    {
        var export = _temp.Write("one-line.csv", new string('a', (4 << 20) + 10));

        AssertRefused(export, "no line break");
    }

    [Test]
    public void Init_Parquet_ExitsThreeSayingToMapIt()
    {
        AssertRefused(DatasetPaths.File("online_retail", "online_retail.parquet"), "is a Parquet file");
    }

    [Test]
    public void Init_MissingExport_ExitsThreeNamingIt()
    {
        AssertRefused(_temp["missing.csv"], "does not exist");
    }

    private void AssertRefused(string export, string reason)
    {
        var run = Crm.Run("init", export, "--out", _temp["job.json"]);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.InputUnreadable), run.ToString());
        Assert.That(run.Error, Does.Contain(export).And.Contain(reason));
        Assert.That(File.Exists(_temp["job.json"]), Is.False);
    }
}
