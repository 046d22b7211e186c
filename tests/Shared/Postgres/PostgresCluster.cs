using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CrmAnalytics.Tests.Shared.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: <c>initdb</c> in a temp folder, a free port, the unix socket in the
/// same folder (no TCP), trust authentication, durability off. As root it runs as <c>nobody</c>, because initdb and
/// the server refuse root. <see cref="Dispose"/> stops it and deletes the folder.
/// </summary>
/// <remarks>
/// The binaries come from <c>CRM_PG_BIN</c> or Debian's <c>/usr/lib/postgresql/N/bin</c> (<c>apt-get install postgresql</c>;
/// <c>.ci/run</c> does it). Without them the tests fail; <c>CRM_PG_TESTS=skip</c> marks a developer machine that skips them.
/// </remarks>
internal sealed class PostgresCluster : IDisposable
{
    public const string SkipVariable = "CRM_PG_TESTS";
    private const string User = "crm";
    private readonly string _bin;
    private readonly string? _runAs;
    private bool _running;

    private PostgresCluster(string bin, string folder, int port, string? runAs)
    {
        _bin = bin;
        Folder = folder;
        Port = port;
        _runAs = runAs;
    }

    /// <summary>The temp folder: the data directory (<c>data</c>), the socket and the server log.</summary>
    public string Folder { get; }

    public int Port { get; }

    /// <summary>An Npgsql connection string to the <c>postgres</c> database over the unix socket.</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host={Folder};Port={Port};Username={User};Database=postgres;Pooling=false");

    /// <summary>The folder of initdb, pg_ctl and psql; null when PostgreSQL is not installed.</summary>
    public static string? FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("CRM_PG_BIN") is { Length: > 0 } bin && File.Exists(Path.Combine(bin, "initdb")))
        {
            return bin;
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => b == "/usr/lib/postgresql/15/bin").ThenByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
    }

    /// <summary>
    /// Installs Debian's postgresql with apt-get (through sudo when not root) when it is missing, so that the README's
    /// test command needs nothing installed by hand on a Debian machine; .ci/run does the same before the tests.
    /// </summary>
    public static void InstallWhenMissing()
    {
        if (FindBinaries() is not null || Environment.GetEnvironmentVariable(SkipVariable) == "skip" || !File.Exists("/usr/bin/apt-get"))
        {
            return;
        }

        var root = Environment.UserName == "root";
        foreach (var args in new[] { "update -qq", "install -y -qq postgresql" })
        {
            try
            {
                Run(root ? "/usr/bin/apt-get" : "sudo", root ? args : "-n /usr/bin/apt-get " + args, 600_000, ("DEBIAN_FRONTEND", "noninteractive"));
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// A started cluster, or null when the binaries are missing and <c>CRM_PG_TESTS=skip</c> allows skipping.
    /// </summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed (and skipping is not allowed), or the cluster does not start.</exception>
    public static PostgresCluster? StartOrSkip()
    {
        InstallWhenMissing();
        var bin = FindBinaries();
        if (bin is null)
        {
            return Environment.GetEnvironmentVariable(SkipVariable) == "skip" ? null
                : throw new InvalidOperationException($"PostgreSQL is not installed (apt-get install postgresql; .ci/run does this). Set {SkipVariable}=skip to skip on a developer machine.");
        }

        var root = Environment.UserName == "root";
        var folder = Directory.CreateTempSubdirectory("crm-pg-").FullName;
        var cluster = new PostgresCluster(bin, folder, FreePort(), root ? "nobody" : null);
        try
        {
            cluster.Start();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    /// <summary>A TCP port nothing listens on at the moment (the OS's pick for port 0).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Start()
    {
        if (_runAs is not null)
        {
            Run("chown", $"{_runAs} {Folder}", 30_000);
        }

        var data = Path.Combine(Folder, "data");
        AsOwner("initdb", $"-D {data} -U {User} -A trust -E UTF8 --locale=C --no-sync", 120_000);
        var settings = string.Create(CultureInfo.InvariantCulture,
            $"-k {Folder} -p {Port} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        AsOwner("pg_ctl", $"-D {data} -l {Path.Combine(Folder, "server.log")} -o \"{settings}\" -w -t 60 start", 90_000);
        _running = true;
    }

    /// <summary>Runs SQL (psql commands such as <c>\copy</c> included) in the <c>postgres</c> database; stops at the first error.</summary>
    /// <exception cref="InvalidOperationException">psql failed (its output is in the message).</exception>
    public string Psql(string sql)
    {
        var script = Path.Combine(Path.GetTempPath(), $"crm-pg-{Guid.NewGuid():N}.sql");
        File.WriteAllText(script, sql);
        try
        {
            return Run(Path.Combine(_bin, "psql"), string.Create(CultureInfo.InvariantCulture,
                $"-X -q -v ON_ERROR_STOP=1 -h {Folder} -p {Port} -U {User} -d postgres -f {script}"), 600_000, ("PGCLIENTENCODING", "UTF8"));
        }
        finally
        {
            File.Delete(script);
        }
    }

    public void Dispose()
    {
        try
        {
            if (_running)
            {
                _running = false;
                AsOwner("pg_ctl", $"-D {Path.Combine(Folder, "data")} -m immediate -w stop", 60_000);
            }
        }
        finally
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private void AsOwner(string tool, string args, int timeoutMs) =>
        Run(_runAs is null ? Path.Combine(_bin, tool) : "runuser", _runAs is null ? args : $"-u {_runAs} -- {Path.Combine(_bin, tool)} {args}", timeoutMs);

    private static string Run(string file, string args, int timeoutMs, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = "/" };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {args} did not finish in {timeoutMs / 1000} s.");
        }

        return process.ExitCode == 0 ? output.Result
            : throw new InvalidOperationException($"{file} {args} failed with exit code {process.ExitCode}: {error.Result}{output.Result}");
    }
}
