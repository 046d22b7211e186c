using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Report;

/// <summary>
/// Renders the report of a samples/ run in headless Chromium (Debian's <c>chromium</c>; <c>.ci/run</c> installs it).
/// Without Chromium the test fails; a developer machine may set <c>CRM_BROWSER_TESTS=skip</c> to skip it instead.
/// <c>CRM_UPDATE_SCREENSHOT=1</c> copies the screenshot to docs/report.png.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class ReportBrowserTests
{
    private static readonly string[] Flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];

    /// <summary>
    /// Injected into the test's copy only: records script errors, console errors and Content-Security-Policy violations
    /// (any attempted request: the page's policy is default-src 'none'), the resources the page loaded, and each chart's
    /// rendered box, then writes them into the DOM for --dump-dom.
    /// </summary>
    private const string Probe = """
        <script>
        window.__errors=[];window.__blocked=[];
        window.addEventListener('error',function(e){__errors.push('error: '+e.message);});
        document.addEventListener('securitypolicyviolation',function(e){__blocked.push(e.violatedDirective+' '+e.blockedURI);});
        (function(){var ce=console.error;console.error=function(){__errors.push('console: '+Array.prototype.join.call(arguments,' '));ce.apply(console,arguments);};})();
        window.addEventListener('load',function(){
          var charts=Array.prototype.map.call(document.querySelectorAll('svg.chart'),function(s){var r=s.getBoundingClientRect(),cs=getComputedStyle(s);
            return {label:s.getAttribute('aria-label'),width:r.width,height:r.height,visible:cs.display!=='none'&&cs.visibility!=='hidden'&&cs.opacity!=='0'};});
          var pre=document.createElement('pre');pre.id='probe';
          pre.textContent=JSON.stringify({errors:__errors,blocked:__blocked,resources:performance.getEntriesByType('resource').map(function(e){return e.name;}),charts:charts});
          document.body.appendChild(pre);});
        </script>
        """;

    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    private static string? FindChromium()
    {
        var candidates = new[] { Environment.GetEnvironmentVariable("CRM_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" };
        return candidates.FirstOrDefault(c => !string.IsNullOrEmpty(c) && File.Exists(c));
    }

    /// <summary>
    /// Installs Debian's chromium with apt-get (through sudo when not root), so that the README's test command needs
    /// nothing installed by hand on a Debian machine; .ci/run does the same before the tests.
    /// </summary>
    [OneTimeSetUp]
    public void InstallChromiumWhenMissing()
    {
        if (FindChromium() is not null || Environment.GetEnvironmentVariable("CRM_BROWSER_TESTS") == "skip" || !File.Exists("/usr/bin/apt-get"))
        {
            return;
        }

        var root = Environment.UserName == "root";
        foreach (var args in new[] { "update -qq", "install -y -qq chromium" })
        {
            var info = new ProcessStartInfo(root ? "/usr/bin/apt-get" : "sudo", root ? args : "-n /usr/bin/apt-get " + args)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            try
            {
                using var process = Process.Start(info)!;
                process.StandardOutput.ReadToEndAsync();
                process.StandardError.ReadToEndAsync();
                process.WaitForExit(600_000);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return;
            }
        }
    }

    [Test]
    [CancelAfter(120_000)]
    public void Report_InHeadlessChromium_LoadsCleanlyWithEveryChartVisible()
    {
        var chromium = FindChromium();
        if (chromium is null)
        {
            if (Environment.GetEnvironmentVariable("CRM_BROWSER_TESTS") == "skip")
            {
                Assert.Ignore("chromium is not installed and CRM_BROWSER_TESTS=skip marks a developer machine.");
            }

            Assert.Fail("chromium is not installed (apt-get install chromium; .ci/run does this). Set CRM_BROWSER_TESTS=skip to skip on a developer machine.");
            return;
        }

        var outDir = _temp["out"];
        var run = Crm.Run("score", Crm.SampleTransactions, "--preset", "sample", "--surveys", Path.Combine(DatasetPaths.Repository, "samples", "surveys.csv"), "--currency", "€", "--out", outDir);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var report = Path.Combine(outDir, "report.html");
        var html = File.ReadAllText(report);
        var expectedCharts = Regex.Count(html, "<svg class=\"chart\"");

        // The unmodified page: Chromium's own log must show no console message at all (the page has no scripts, so
        // any message is an error such as a blocked request).
        var (_, plainLog) = RunChromium(chromium, ["--enable-logging=stderr", "--v=0", "--dump-dom", new Uri(report).AbsoluteUri]);
        Assert.That(ConsoleLines(plainLog), Is.Empty, plainLog);

        // The probed copy: the policy additionally allows the inline probe script, nothing else.
        var probed = _temp["probed.html"];
        var headEnd = html.IndexOf("</head>", StringComparison.Ordinal);
        Assert.That(headEnd, Is.GreaterThan(0));
        File.WriteAllText(probed, html[..headEnd]
            .Replace("default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';", StringComparison.Ordinal) + Probe + html[headEnd..]);
        var (dom, log) = RunChromium(chromium, ["--virtual-time-budget=5000", "--window-size=1280,900", "--dump-dom", new Uri(probed).AbsoluteUri]);
        var match = ProbeResult().Match(dom);
        Assert.That(match.Success, Is.True, "the probe did not report; Chromium log:\n" + log);
        using var result = JsonDocument.Parse(System.Net.WebUtility.HtmlDecode(match.Groups[1].Value));
        var root = result.RootElement;
        var charts = root.GetProperty("charts").EnumerateArray().ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(root.GetProperty("errors").EnumerateArray().Select(e => e.GetString()), Is.Empty, "console or script errors");
            Assert.That(root.GetProperty("blocked").EnumerateArray().Select(e => e.GetString()), Is.Empty, "requests refused by the page's policy");
            Assert.That(root.GetProperty("resources").EnumerateArray().Select(e => e.GetString()), Is.Empty, "network requests");
            Assert.That(charts, Has.Length.EqualTo(expectedCharts).And.Length.GreaterThanOrEqualTo(12));
            foreach (var chart in charts)
            {
                var label = chart.GetProperty("label").GetString();
                Assert.That(chart.GetProperty("visible").GetBoolean(), Is.True, label);
                Assert.That(chart.GetProperty("width").GetDouble(), Is.GreaterThan(50), label);
                Assert.That(chart.GetProperty("height").GetDouble(), Is.GreaterThan(20), label);
            }
        }

        var shot = _temp["report.png"];
        RunChromium(chromium, ["--hide-scrollbars", "--window-size=1280,900", "--screenshot=" + shot, new Uri(report).AbsoluteUri]);
        var png = File.ReadAllBytes(shot);
        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG");
        Assert.That(png, Has.Length.GreaterThan(20_000), "the first screen has content");
        if (Environment.GetEnvironmentVariable("CRM_UPDATE_SCREENSHOT") == "1")
        {
            File.Copy(shot, Path.Combine(DatasetPaths.Repository, "docs", "report.png"), overwrite: true);
        }
    }

    private static IEnumerable<string> ConsoleLines(string log) =>
        log.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal));

    private (string Stdout, string Stderr) RunChromium(string chromium, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in Flags.Concat(["--user-data-dir=" + _temp["profile-" + Guid.NewGuid().ToString("N")]]).Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("chromium did not finish within 30 s");
        }

        return (stdout.Result, stderr.Result);
    }

    [GeneratedRegex("<pre id=\"probe\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ProbeResult();
}
