using System.Text.RegularExpressions;
using CrmAnalytics.Cli;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests;

/// <summary>The README is a contract: its first command runs, its test command is what CI runs, its column table is the code's.</summary>
[TestFixture]
public sealed partial class ReadmeTests
{
    private static string Readme => File.ReadAllText(Path.Combine(DatasetPaths.Repository, "README.md"));

    private static IReadOnlyList<string> ShellBlocks() =>
        ShellBlock().Matches(Readme).Select(m => m.Groups[1].Value.Trim()).ToList();

    [Test]
    public void Readme_FirstCommand_ScoresTheSamplesAndPublishes()
    {
        var command = ShellBlocks()[0];
        Assert.That(command, Does.StartWith("dotnet run --project src/CrmAnalytics.Cli"));
        var args = command[(command.IndexOf(" -- ", StringComparison.Ordinal) + 4)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var outDir = Path.Combine(Path.GetTempPath(), "crm-readme-" + Guid.NewGuid().ToString("N"));
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out")
            {
                args[i + 1] = outDir;
            }
            else if (args[i].StartsWith("samples/", StringComparison.Ordinal))
            {
                args[i] = Path.Combine(DatasetPaths.Repository, args[i]);
            }
        }

        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = CrmCli.Run(args, output, error);

            Assert.That(exit, Is.Zero, error.ToString());
            Assert.That(File.Exists(Path.Combine(outDir, "customers.parquet")) && File.Exists(Path.Combine(outDir, "summary.json")), Is.True);
        }
        finally
        {
            if (Directory.Exists(outDir))
            {
                Directory.Delete(outDir, recursive: true);
            }
        }
    }

    [Test]
    public void Readme_SecondCommand_IsWhatCiRuns()
    {
        var testCommand = ShellBlocks()[1];
        var ci = File.ReadAllText(Path.Combine(DatasetPaths.Repository, ".ci", "run"));

        Assert.That(testCommand, Does.StartWith("dotnet test"));
        Assert.That(ci, Does.Contain(testCommand + " 2>&1"));
    }

    [Test]
    public void Readme_ColumnTable_MatchesTheCodeContract()
    {
        Assert.That(Readme.Replace("\r\n", "\n", StringComparison.Ordinal), Does.Contain(CustomerColumns.ToMarkdownTable(NpsColumns.AppendTo(CustomerColumns.For(12, churn: true, clvIntervals: true))).Replace("\r\n", "\n", StringComparison.Ordinal)));
    }

    [GeneratedRegex("```sh\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
