using System.Text.RegularExpressions;
using CrmAnalytics.Tests.Shared;
using Microsoft.Data.Analysis;

namespace CrmAnalytics.Tests;

/// <summary>The README's "Use it as a library" example runs here, and its lines must appear here in order.</summary>
[TestFixture]
public sealed partial class ReadmeLibraryTests
{
    [Test]
    public async Task Readme_LibraryExample_RunsOnTheSampleExport()
    {
        var path = Path.Combine(DatasetPaths.Repository, "samples", "transactions.csv");
        using var console = new StringWriter();
        var stdout = Console.Out;
        Console.SetOut(console);
        try
        {
            // README, verbatim:
            var result = await Scorecard.ScoreFileAsync(path, new ScorecardOptions { Preset = "sample" });
            Console.WriteLine($"{result.Accounting.RowsAccepted:N0} of {result.Accounting.RowsRead:N0} rows accepted, as of {result.AsOf:yyyy-MM-dd}");
            foreach (var segment in result.Segments)
            {
                Console.WriteLine($"{segment.Name}: {segment.Customers:N0} customers, {segment.RevenueShare:P1} of revenue");
            }

            DataFrame customers = result.Customers;
            var clv = customers["clv_12m"];

            Assert.That(clv.Length, Is.EqualTo(result.Segments.Sum(s => s.Customers)).And.GreaterThan(0));
            Assert.That(console.ToString(), Does.Contain("rows accepted, as of ").And.Contain("Champions: "));
        }
        finally
        {
            Console.SetOut(stdout);
        }
    }

    [Test]
    public void Readme_LibraryExample_MatchesThisTest()
    {
        var readme = File.ReadAllText(Path.Combine(DatasetPaths.Repository, "README.md"));
        var section = readme[readme.IndexOf("## Use it as a library", StringComparison.Ordinal)..];
        var example = CSharpBlock().Match(section).Groups[1].Value.Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("var path = ", StringComparison.Ordinal)).ToArray();
        var test = File.ReadAllLines(Path.Combine(DatasetPaths.Repository, "tests", "CrmAnalytics.Tests", "ReadmeLibraryTests.cs")).Select(l => l.Trim()).ToArray();

        Assert.That(example, Has.Length.GreaterThan(5));
        var at = 0;
        foreach (var line in example)
        {
            var found = Array.IndexOf(test, line, at);
            Assert.That(found, Is.GreaterThanOrEqualTo(0), $"The README line '{line}' is not in ReadmeLibraryTests (in this order): keep the two in step.");
            at = found + 1;
        }
    }

    [GeneratedRegex("```csharp\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
