using CrmAnalytics.Core;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.IO.Tests.TestSupport;

namespace CrmAnalytics.IO.Tests.Publishing;

[TestFixture]
public sealed class OutputOwnershipTests
{
    private TempFolder _temp = null!;
    private string _target = null!;

    [SetUp]
    public void CreateFolder()
    {
        _temp = new TempFolder();
        _target = _temp.Combine("out");
    }

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    private string Write(string relative, string content = "x")
    {
        var path = Path.Combine(_target, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Test]
    public void ThrowIfNotReplaceable_MissingOrEmptyFolder_Passes()
    {
        OutputOwnership.ThrowIfNotReplaceable(_target, []);
        Directory.CreateDirectory(_target);

        Assert.That(() => OutputOwnership.ThrowIfNotReplaceable(_target, []), Throws.Nothing);
    }

    [Test]
    public void ThrowIfNotReplaceable_MarkedOutput_Passes()
    {
        Write("customers.csv");
        Write("segments/others.csv");
        Write(OutputOwnership.MarkerFile, """{"tool": "crm", "files": ["customers.csv", "segments/others.csv"]}""");

        Assert.That(() => OutputOwnership.ThrowIfNotReplaceable(_target, []), Throws.Nothing);
    }

    [TestCase("notes.txt", "notes.txt")]
    [TestCase("segments/mine.csv", "segments/mine.csv")]
    [TestCase("empty-folder/", "empty-folder")]
    public void ThrowIfNotReplaceable_MarkedOutputWithSomethingAdded_ThrowsNamingIt(string added, string named)
    {
        Write("customers.csv");
        Write("segments/others.csv");
        Write(OutputOwnership.MarkerFile, """{"tool": "crm", "files": ["customers.csv", "segments/others.csv"]}""");
        if (added.EndsWith('/'))
        {
            Directory.CreateDirectory(Path.Combine(_target, added));
        }
        else
        {
            Write(added);
        }

        var ex = Assert.Throws<OutputException>(() => OutputOwnership.ThrowIfNotReplaceable(_target, []))!;

        Assert.That(ex.Message, Does.Contain($"'{_target}' is not crm's output: it holds '{named}'"));
    }

    [Test]
    public void ThrowIfNotReplaceable_MarkerOfAnotherTool_Throws()
    {
        Write("customers.csv");
        Write(OutputOwnership.MarkerFile, """{"tool": "other", "files": ["customers.csv"]}""");

        Assert.That(() => OutputOwnership.ThrowIfNotReplaceable(_target, []), Throws.InstanceOf<OutputException>());
    }

    [Test]
    public void ThrowIfNotReplaceable_UnmarkedOutputWhoseFilesSummaryJsonLists_Passes()
    {
        Write("customers.csv");
        Write("segments/others.csv");
        Write("summary.json", """{"outputs": ["customers.csv", "segments/others.csv"]}""");

        Assert.That(() => OutputOwnership.ThrowIfNotReplaceable(_target, []), Throws.Nothing);
    }

    [Test]
    public void ThrowIfNotReplaceable_UnmarkedOutputWithAnUnlistedFile_Throws()
    {
        Write("customers.csv");
        Write("thesis.docx");
        Write("summary.json", """{"outputs": ["customers.csv"]}""");

        Assert.That(() => OutputOwnership.ThrowIfNotReplaceable(_target, []),
            Throws.InstanceOf<OutputException>().With.Message.Contains("'thesis.docx'"));
    }

    [Test]
    public void ThrowIfNotReplaceable_UnreadableSummary_Throws()
    {
        Write("summary.json", "{ not json");

        Assert.That(() => OutputOwnership.ThrowIfNotReplaceable(_target, []), Throws.InstanceOf<OutputException>());
    }

    [TestCase("out/export.csv")]
    [TestCase("out/a/b/export.csv")]
    public void ThrowIfNotReplaceable_FolderHoldingAnInput_ThrowsEvenWhenOwned(string input)
    {
        Write(OutputOwnership.MarkerFile, """{"tool": "crm", "files": []}""");

        Assert.That(() => OutputOwnership.ThrowIfNotReplaceable(_target, [_temp.Combine(input)]),
            Throws.InstanceOf<OutputException>().With.Message.Contains("holds the input"));
    }

    [Test]
    public void ThrowIfNotReplaceable_InputInASiblingWithTheSamePrefix_Passes()
    {
        Assert.That(() => OutputOwnership.ThrowIfNotReplaceable(_target, [_temp.Combine("out2", "export.csv")]), Throws.Nothing);
    }

    [Test]
    public void Commit_WritesAMarkerThatMakesTheOutputReplaceable()
    {
        using (var publisher = OutputPublisher.Begin(_target, []))
        {
            File.WriteAllText(publisher.PathOf("customers.csv"), "new");
            CustomerCsvWriter.WriteSegmentFiles(publisher.WorkingDirectory, [TestCustomers.Standard()], ["champions"]);
            publisher.Commit();
        }

        var marker = File.ReadAllText(Path.Combine(_target, OutputOwnership.MarkerFile));
        Assert.That(marker, Does.Contain("\"tool\": \"crm\"").And.Contain("\"customers.csv\"").And.Contain("\"segments/champions.csv\""));
        Assert.That(() => OutputOwnership.ThrowIfNotReplaceable(_target, []), Throws.Nothing);
    }

    [Test]
    public void Commit_FileAddedToTheTargetDuringTheRun_RefusesAndKeepsIt()
    {
        using var publisher = OutputPublisher.Begin(_target, []);
        File.WriteAllText(publisher.PathOf("customers.csv"), "new");
        Write("thesis.docx", "mine");

        Assert.That(publisher.Commit, Throws.InstanceOf<OutputException>().With.Message.Contains("'thesis.docx'"));
        Assert.That(File.ReadAllText(Path.Combine(_target, "thesis.docx")), Is.EqualTo("mine"));
    }
}
