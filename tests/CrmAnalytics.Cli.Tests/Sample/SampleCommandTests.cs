using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Sample;

[TestFixture]
public sealed class SampleCommandTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public void Sample_SameSeedTwice_WritesIdenticalBytes()
    {
        var first = Generate("a", seed: 7);
        var second = Generate("b", seed: 7);

        Assert.That(first, Is.Not.Empty);
        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Sample_DifferentSeed_WritesDifferentBytes()
    {
        var seven = Generate("a", seed: 7);
        var eight = Generate("b", seed: 8);

        Assert.That(eight, Is.Not.EqualTo(seven));
    }

    [Test]
    public void Sample_Output_ScoresWithTheSamplePreset()
    {
        var dir = _temp["sample"];
        var sample = Crm.Run("sample", "--customers", "50", "--seed", "7", "--out", dir);
        Assert.That(sample.ExitCode, Is.EqualTo(0), sample.ToString());
        var file = Path.Combine(dir, "transactions.csv");
        Assert.That(sample.Output.Trim(), Is.EqualTo(file), "stdout names the file written");

        var score = Crm.Run("score", file, "--preset", "sample", "--out", _temp["out"], "--churn-trainer", "none");

        Assert.That(score.ExitCode, Is.EqualTo(0), score.ToString());
        var customers = SimpleCsv.ParseFile(Path.Combine(_temp["out"], "customers.csv"));
        Assert.That(customers.Count - 1, Is.InRange(1, 50));
    }

    private byte[] Generate(string folder, int seed)
    {
        var dir = _temp[folder];
        var run = Crm.Run("sample", "--customers", "50", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", dir);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "transactions.csv" }), "no .tmp file left behind");
        return File.ReadAllBytes(Path.Combine(dir, "transactions.csv"));
    }
}
