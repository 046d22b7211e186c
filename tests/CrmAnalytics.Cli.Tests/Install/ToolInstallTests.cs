using CrmAnalytics.Core;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using CrmAnalytics.Stages.Score;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.Install;

/// <summary>
/// Issue 14: <c>crm</c> installs as a .NET tool the way the README's "Install" section says. The package is packed from
/// the build this test run already made (<c>--no-build</c>, the test assembly's configuration), so the pack neither
/// rebuilds the solution nor races the other test projects' build outputs; it is installed into a temporary
/// <c>--tool-path</c> with a <c>nuget.config</c> that lists only the pack folder, so the install needs no feed.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ToolInstallTests
{
    private const string PackageId = "CrmAnalytics.Cli";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(4);

    private TempFolder _temp = null!;
    private string _toolPath = null!;
    private string _dotnetRoot = null!;

    [OneTimeSetUp]
    public void OneTimeSetUp()
    {
        _temp = new TempFolder();
        _toolPath = _temp["tools"];
        _dotnetRoot = DotnetRoot();
        var packages = _temp["packages"];
        var configuration = typeof(ToolInstallTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

        var pack = Dotnet(
            "pack", Path.Combine(DatasetPaths.Repository, "src", "CrmAnalytics.Cli"), "-c", configuration, "--no-build",
            "-o", packages, "-p:PublishDir=" + _temp["publish"] + Path.DirectorySeparatorChar);
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());
        Assert.That(File.Exists(Path.Combine(packages, $"{PackageId}.{ToolInfo.Version}.nupkg")), Is.True, pack.ToString());

        var config = _temp.Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var install = Dotnet("tool", "install", "--tool-path", _toolPath, "--configfile", config, "--add-source", packages, PackageId);
        Assert.That(install.ExitCode, Is.Zero, install.ToString());
    }

    [OneTimeTearDown]
    public void OneTimeTearDown() => _temp.Dispose();

    [Test]
    public void InstalledTool_Version_PrintsTheBuiltVersion()
    {
        var result = InstalledCrm("--version");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output.Trim(), Is.EqualTo(ToolInfo.Version));
    }

    [Test]
    public void InstalledTool_ScoreSamples_ExitsZeroAndPublishesTheOutputs()
    {
        var outDir = _temp["out"];

        var result = InstalledCrm("score", Crm.SampleTransactions, "--preset", "sample", "--out", outDir);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        foreach (var file in new[] { "customers.csv", "customers.parquet", "summary.json", "rejects.csv", "report.html" })
        {
            Assert.That(new FileInfo(Path.Combine(outDir, file)), Has.Length.GreaterThan(0), file);
        }

        Assert.That(Directory.EnumerateFiles(Path.Combine(outDir, "segments"), "*.csv").Count(), Is.GreaterThan(1));
        var customers = SimpleCsv.ParseFile(Path.Combine(outDir, "customers.csv"));
        Assert.That(customers[0][0], Is.EqualTo("customer_id"));
        Assert.That(customers, Has.Count.GreaterThan(100), "one row per customer of samples/transactions.csv");
    }

    [Test]
    public void Readme_InstallSection_PacksAndInstallsThisPackage()
    {
        var readme = File.ReadAllText(Path.Combine(DatasetPaths.Repository, "README.md"));
        var install = readme.IndexOf("\n## Install\n", StringComparison.Ordinal);
        var next = readme.IndexOf("\n## ", install + 1, StringComparison.Ordinal);

        Assert.That(install, Is.GreaterThan(readme.IndexOf("dotnet test CrmAnalytics.sln", StringComparison.Ordinal)), "Install follows the two opening commands");
        Assert.That(next, Is.EqualTo(readme.IndexOf("\n## What it does", StringComparison.Ordinal)), "and comes before everything else");
        var section = readme[install..next];
        Assert.That(section, Does.Contain("dotnet pack src/CrmAnalytics.Cli -c Release -o ./packages"));
        Assert.That(section, Does.Contain($"dotnet tool install --global --add-source ./packages {PackageId}"));
        Assert.That(section, Does.Contain($"dotnet tool install --tool-path /opt/crm --add-source ./packages {PackageId}"));
    }

    private CliResult InstalledCrm(params string[] args) =>
        Run(Path.Combine(_toolPath, OperatingSystem.IsWindows() ? "crm.exe" : "crm"), args);

    private CliResult Dotnet(params string[] args) =>
        Run(Path.Combine(_dotnetRoot, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"), args);

    private CliResult Run(string fileName, string[] args)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _temp.Path,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The tool's launcher finds the runtime through DOTNET_ROOT: the one running these tests.
        info.Environment["DOTNET_ROOT"] = _dotnetRoot;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(StepTimeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{Path.GetFileName(fileName)} {string.Join(' ', args)} did not finish within {StepTimeout}");
        }

        return new CliResult(process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <summary>The dotnet installation whose runtime runs this test: <c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>.</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
}
