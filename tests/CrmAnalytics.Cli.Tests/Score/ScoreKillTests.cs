using System.Diagnostics;
using CrmAnalytics.Cli.Tests.TestSupport;

namespace CrmAnalytics.Cli.Tests.Score;

/// <summary>
/// kill -9 at any moment: the published output is the previous one, complete and byte-identical, or, when the kill lands
/// after the run switched its output into place, the run's own complete output; never a mix. The next run recovers
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
        var watch = Stopwatch.StartNew();
        var first = Crm.Run("score", input, "--preset", "sample", "--as-of", "2025-06-01", "--out", outDir);
        var runMs = watch.ElapsedMilliseconds;
        Assert.That(first.ExitCode, Is.EqualTo(0), first.ToString());
        var before = OutputFolder.ReadAll(outDir);

        // The kills land at fixed shares of a full run's time, so that they fall in reading, modelling and writing on a
        // fast machine as on a slow one (fixed delays up to 3.5 s began to land after the switch once the run took 3.4 s).
        var crm = Path.Combine(AppContext.BaseDirectory, "crm.dll");
        var killed = 0;
        foreach (var delayMs in new[] { 0.08, 0.2, 0.4, 0.6, 0.8 }.Select(share => (int)Math.Max(300, share * runMs)))
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

            var after = OutputFolder.ReadAll(outDir);
            if (!Same(after, before))
            {
                // Killed after its output was switched into place: the output must be the run's own and complete,
                // every file its summary lists and nothing else.
                using var summary = System.Text.Json.JsonDocument.Parse(after["summary.json"]);
                var listed = summary.RootElement.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()!);
                Assert.That(after.Keys.Where(k => !k.StartsWith('.')), Is.EqualTo(listed.Order(StringComparer.Ordinal)), $"killed after {delayMs} ms: the published output changed and is not one run's complete output");
                Assert.That(summary.RootElement.GetProperty("exit_code").GetInt32(), Is.Zero);
                before = after;
                continue;
            }

            killed++;
        }

        TestContext.Out.WriteLine($"{killed} of 5 runs killed mid-run");
        Assert.That(killed, Is.GreaterThanOrEqualTo(3), "most kills must land inside a run, or the test proves nothing");
        var next = Crm.Run("score", input, "--preset", "sample", "--out", outDir);

        Assert.That(next.ExitCode, Is.EqualTo(0), next.ToString());
        Assert.That(OutputFolder.Entries(parent), Is.EqualTo(new[] { ".DIR.lock", "DIR" }), "the killed runs' temporary folders are gone");
        Assert.That(File.Exists(Path.Combine(outDir, "summary.json")), Is.True);
    }

    /// <summary>The same files, path for path and byte for byte.</summary>
    private static bool Same(SortedDictionary<string, byte[]> a, SortedDictionary<string, byte[]> b) =>
        a.Count == b.Count && a.All(file => b.TryGetValue(file.Key, out var bytes) && bytes.AsSpan().SequenceEqual(file.Value));
}
