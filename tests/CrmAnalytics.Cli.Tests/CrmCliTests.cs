using System.Text.RegularExpressions;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests;

[TestFixture]
public sealed class CrmCliTests
{
    [Test]
    public void Run_Version_PrintsTheAssemblyVersionAndExitsZero()
    {
        var version = typeof(CrmCli).Assembly.GetName().Version!;

        var run = Crm.Run("--version");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        Assert.That(run.Output.Trim(), Does.Match(@"^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$"));
        Assert.That(run.Output.Trim(), Does.StartWith($"{version.Major}.{version.Minor}.{version.Build}"));
    }

    [TestCase("", TestName = "Run_NoCommand_ExitsTwo")]
    [TestCase("frobnicate", TestName = "Run_UnknownCommand_ExitsTwo")]
    [TestCase("segments", TestName = "Run_SegmentsWithoutSubcommand_ExitsTwo")]
    public void Run_InvalidCommandLine_ExitsTwoWithUsageHint(string commandLine)
    {
        var run = Crm.Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("crm --help"));
    }

    [Test]
    public void Run_Help_ListsEveryCommandAndExitsZero()
    {
        var run = Crm.Run("--help");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        foreach (var command in new[] { "score", "validate", "sample", "segments" })
        {
            Assert.That(Regex.IsMatch(run.Output, $@"^\s+{command}\b", RegexOptions.Multiline), Is.True, command);
        }
    }

    [Test]
    public void ScoreHelp_AbsoluteChurnBands_NameTheThresholdsDefaults()
    {
        // The defaults come from ChurnRiskThresholds (high 0.7, medium 0.4); the help text once had them swapped.
        var run = Crm.Run("score", "--help");

        Assert.That(run.ExitCode, Is.EqualTo(0), run.ToString());
        var help = Regex.Replace(run.Output, @"\s+", " ");
        Assert.That(help, Does.Contain("high at or above this probability (with --churn-medium; default 0.7)"));
        Assert.That(help, Does.Contain("medium at or above this probability (with --churn-high; default 0.4)"));
    }
}
