using CrmAnalytics.Tests.Shared;
using Microsoft.Data.Analysis;

namespace CrmAnalytics.Tests.Samples;

/// <summary>
/// samples/scorecard.dib cannot run here (no notebook kernel), so its code runs in this test, and the test checks that
/// every line of the notebook's code cells appears here in the same order: editing one without the other fails.
/// Lines that only a notebook has (<c>#r</c>, <c>display(…)</c>, the dataset path relative to samples/) are the exceptions.
/// </summary>
[TestFixture]
public sealed class NotebookTests
{
    private static string Notebook => Path.Combine(DatasetPaths.Repository, "samples", "scorecard.dib");

    [Test]
    public async Task Notebook_OnlineRetail_ScoresAndChartsAsTheNotebookDoes()
    {
        var transactionsPath = DatasetPaths.File("online_retail", "online_retail.csv");

        // Notebook cells, verbatim:
        var header = File.ReadLines(transactionsPath).First().Split(',');
        var transactions = DataFrame.LoadCsv(transactionsPath, dataTypes: Enumerable.Repeat(typeof(string), header.Length).ToArray());
        var result = await Scorecard.ScoreAsync(transactions, new ScorecardOptions { Preset = "online-retail" });

        var segments = new DataFrame(
            new StringDataFrameColumn("segment", result.Segments.Select(s => s.Name)),
            new Int64DataFrameColumn("customers", result.Segments.Select(s => (long?)s.Customers)),
            new DoubleDataFrameColumn("revenue_share", result.Segments.Select(s => (double?)s.RevenueShare)));

        var clv = result.Customers["clv_12m"].Cast<double?>().Select(v => v ?? 0).OrderByDescending(v => v).ToArray();
        var deciles = Enumerable.Range(0, 10).Select(d => clv[(d * clv.Length / 10)..((d + 1) * clv.Length / 10)].Sum()).ToArray();
        var bars = string.Concat(deciles.Select((v, d) => $"<rect x='{40 + (d * 50)}' y='{220 - (200 * v / deciles.Max()):F0}' width='40' height='{200 * v / deciles.Max():F0}' fill='steelblue'><title>decile {d + 1}: {v:N0}</title></rect>"));
        var chart = $"<svg xmlns='http://www.w3.org/2000/svg' width='560' height='240'>{bars}</svg>";

        Assert.That(segments.Rows.Count, Is.EqualTo(result.Segments.Count).And.GreaterThan(5));
        Assert.That(segments["customers"].Cast<long?>().Sum(), Is.EqualTo(result.Customers.Rows.Count));
        Assert.That(deciles.Sum(), Is.EqualTo(result.Clv!.TotalClv).Within(1e-6 * result.Clv.TotalClv));
        Assert.That(deciles, Is.Ordered.Descending);
        Assert.That(chart.Split("<rect").Length - 1, Is.EqualTo(10));
    }

    [Test]
    public void Notebook_CodeCells_MatchThisTest()
    {
        var test = File.ReadAllLines(Path.Combine(DatasetPaths.Repository, "tests", "CrmAnalytics.Tests", "Samples", "NotebookTests.cs")).Select(l => l.Trim()).ToArray();
        var at = 0;
        foreach (var line in CodeLines().Where(l => !l.StartsWith("#r ", StringComparison.Ordinal) && !l.StartsWith("display(", StringComparison.Ordinal)
                     && !l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("var transactionsPath = ", StringComparison.Ordinal)))
        {
            var found = Array.IndexOf(test, line, at);
            Assert.That(found, Is.GreaterThanOrEqualTo(0), $"The notebook line '{line}' is not in NotebookTests (in this order): keep the two in step.");
            at = found + 1;
        }

        Assert.That(at, Is.GreaterThan(10), "The notebook's code cells were not found.");
    }

    [Test]
    public void Notebook_References_TheBuiltLibraryWithItsDependencies()
    {
        var references = CodeLines().Where(l => l.StartsWith("#r ", StringComparison.Ordinal)).Select(l => l[3..].Trim('"')).ToArray();

        Assert.That(references, Has.Some.EndsWith("/CrmAnalytics.dll"));
        foreach (var reference in references)
        {
            var path = Path.GetFullPath(Path.Combine(DatasetPaths.Repository, "samples", reference));
            Assert.That(File.Exists(path), Is.True, path);
            Assert.That(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "MathNet.Numerics.dll")), Is.True, "bin/ must hold the dependencies");
        }

        var dataset = CodeLines().Single(l => l.StartsWith("var transactionsPath = ", StringComparison.Ordinal)).Split('"')[1];
        Assert.That(Path.GetFullPath(Path.Combine(DatasetPaths.Repository, "samples", dataset)), Is.EqualTo(Path.GetFullPath(Path.Combine(DatasetPaths.Repository, "..", "shared", "datasets", "online_retail", "online_retail.csv"))));
    }

    /// <summary>The trimmed, non-empty lines of the notebook's C# cells, in order.</summary>
    private static IEnumerable<string> CodeLines()
    {
        var inCode = false;
        foreach (var line in File.ReadLines(Notebook))
        {
            if (line.StartsWith("#!", StringComparison.Ordinal))
            {
                inCode = line == "#!csharp";
                continue;
            }

            if (inCode && line.Trim().Length > 0)
            {
                yield return line.Trim();
            }
        }
    }
}
