using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests;

/// <summary>
/// <c>crm</c> records the methods a run compiles and hands them to the next run of the same command to compile in the
/// background (<see cref="JitProfile"/>). Where the profile goes, and that a fresh process writes one and reads it back
/// without changing a byte of the output.
/// </summary>
[TestFixture]
public sealed class JitProfileTests
{
    [Test]
    public void Folder_VariableSet_IsTheVariable()
    {
        Assert.That(JitProfile.Folder(name => name == JitProfile.FolderVariable ? "/var/cache/crm-jit" : null), Is.EqualTo("/var/cache/crm-jit"));
    }

    [TestCase("off")]
    [TestCase("OFF")]
    public void Folder_VariableOff_IsNone(string value)
    {
        Assert.That(JitProfile.Folder(name => name == JitProfile.FolderVariable ? value : null), Is.Null);
    }

    [Test]
    public void Folder_VariableUnset_IsCrmJitInTheUsersLocalData()
    {
        var data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        Assume.That(data, Is.Not.Empty);

        Assert.That(JitProfile.Folder(_ => null), Is.EqualTo(Path.Combine(data, "crm", "jit")));
    }

    [TestCase(new[] { "score", "x.csv" }, "score-")]
    [TestCase(new[] { "churn", "train" }, "churn-")]
    [TestCase(new[] { "../../etc/x" }, "crm-")]
    [TestCase(new[] { "--help" }, "crm-")]
    [TestCase(new string[0], "crm-")]
    public void FileName_StartsWithTheCommandOnlyWhenItIsACommandName(string[] args, string prefix)
    {
        Assert.That(JitProfile.FileName(args), Does.StartWith(prefix).And.EndWith(".jitprofile"));
    }

    [Test]
    public void FileName_SameOptionNames_SameFileWhateverTheValuesAndOrder()
    {
        var name = JitProfile.FileName(["score", "a.csv", "--preset", "sample", "--out", "out/a", "--churn-trainer", "none"]);

        Assert.That(JitProfile.FileName(["score", "b.csv", "--out=out/b", "--churn-trainer", "none", "--preset", "cdnow"]), Is.EqualTo(name));
        Assert.That(name, Does.Not.Contain("none").And.Not.Contain("sample"), "option values never reach the file name");
    }

    [Test]
    public void FileName_OtherOptionNames_OtherFile()
    {
        Assert.That(
            JitProfile.FileName(["score", "a.csv", "--preset", "sample", "--out", "o", "--churn-model", "m.zip"]),
            Is.Not.EqualTo(JitProfile.FileName(["score", "a.csv", "--preset", "sample", "--out", "o"])));
    }

    [Test]
    [CancelAfter(180_000)]
    public void Score_TwoRunsWithAProfileFolder_WritesTheProfileAndTheSameOutput()
    {
        using var temp = new TempFolder();
        var folder = temp["jit"];

        RunScore(temp["out1"], folder);
        var profiles = new DirectoryInfo(folder).GetFiles("score-*.jitprofile");
        Assert.That(profiles, Has.Length.EqualTo(1).And.All.Matches<FileInfo>(f => f!.Length > 0), "the first run records the methods it compiled");
        RunScore(temp["out2"], folder);

        Assert.That(File.ReadAllBytes(temp["out2/customers.csv"]), Is.EqualTo(File.ReadAllBytes(temp["out1/customers.csv"])));
    }

    [Test]
    [CancelAfter(120_000)]
    public void Score_ProfileOff_WritesNoProfile()
    {
        using var temp = new TempFolder();

        RunScore(temp["out"], "off");

        Assert.That(Directory.Exists(temp["off"]) || Directory.Exists(Path.Combine(Environment.CurrentDirectory, "off")), Is.False);
        Assert.That(File.Exists(temp["out/customers.csv"]), Is.True);
    }

    /// <summary>A fresh <c>crm score</c> process on samples/ (the profile is written when the process ends).</summary>
    private static void RunScore(string outDir, string profileFolder) =>
        CrmProcess.Run(new Dictionary<string, string?> { [JitProfile.FolderVariable] = profileFolder }, "score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);
}
