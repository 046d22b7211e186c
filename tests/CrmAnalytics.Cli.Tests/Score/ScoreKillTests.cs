using System.Diagnostics;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>
/// kill -9 at any moment: the previous published output stays complete and byte-identical, and the next run recovers
/// (DESIGN.md, "Write"; issue "Nightly job operations").
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ScoreKillTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    [CancelAfter(180_000)]
    public void KillNine_DuringRuns_LeavesThePreviousOutputCompleteAndTheNextRunRecovers()
    {
        // A 40,000-customer export (about 300k lines): a full run takes a few seconds, so the kills land in reading,
        // modelling and writing.
        var sample = Crm.Run("sample", "--customers", "40000", "--seed", "3", "--out", _temp["big"]);
        Assert.That(sample.ExitCode, Is.EqualTo(0), sample.ToString());
        var input = Path.Combine(_temp["big"], "transactions.csv");
        var parent = Directory.CreateDirectory(_temp["published"]).FullName;
        var outDir = Path.Combine(parent, "DIR");
        var first = Crm.Run("score", input, "--preset", "sample", "--as-of", "2025-06-01", "--out", outDir);
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        var before = OutputFolder.ReadAll(outDir);

        var crm = Path.Combine(AppContext.BaseDirectory, "crm.dll");
        var killed = 0;
        foreach (var delayMs in new[] { 300, 800, 1500, 2500, 3500 })
        {
            var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { crm, "score", input, "--preset", "sample", "--out", outDir })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var finished = process.WaitForExit(delayMs);
            if (!finished)
            {
                process.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no cleanup
                process.WaitForExit();
            }

            if (finished)
            {
                // The run completed before the kill: it published a new complete output; compare against that from now on.
                Assert.That(process.ExitCode, Is.EqualTo(0));
                before = OutputFolder.ReadAll(outDir);
                continue;
            }

            killed++;
            Assert.That(OutputFolder.ReadAll(outDir), Is.EqualTo(before), $"killed after {delayMs} ms: the published output changed");
        }

        TestContext.Out.WriteLine($"{killed} of 5 runs killed mid-run");
        Assert.That(killed, Is.GreaterThanOrEqualTo(3), "most kills must land inside a run, or the test proves nothing");
        var next = Crm.Run("score", input, "--preset", "sample", "--out", outDir);

        Assert.That(next.ExitCode, Is.EqualTo(0), next.ToString());
        Assert.That(OutputFolder.Entries(parent), Is.EqualTo(new[] { ".DIR.lock", "DIR" }), "the killed runs' temporary folders are gone");
        Assert.That(File.Exists(Path.Combine(outDir, "summary.json")), Is.True);
    }
}
