namespace CrmAnalytics.Tests.Shared.Postgres;

/// <summary>
/// The state behind a test project's PostgreSQL <c>[SetUpFixture]</c>: one cluster per test run, its connection string in
/// an environment variable, and a scratch folder for loading data; <see cref="Stop"/> removes all three, also after a failure.
/// </summary>
internal sealed class PostgresTestServer(string connectionVariable)
{
    private PostgresCluster? _cluster;
    private string? _folder;

    /// <summary>The running cluster; ignores the test when <c>CRM_PG_TESTS=skip</c> let the fixture skip it.</summary>
    public PostgresCluster Cluster => _cluster ?? throw new IgnoreException($"PostgreSQL is not installed and {PostgresCluster.SkipVariable}=skip marks a developer machine.");

    /// <param name="load">Loads the tests' tables, given the cluster and a scratch folder.</param>
    public void Start(Action<PostgresCluster, string> load)
    {
        _cluster = PostgresCluster.StartOrSkip();
        if (_cluster is null)
        {
            return;
        }

        Environment.SetEnvironmentVariable(connectionVariable, _cluster.ConnectionString);
        _folder = Directory.CreateTempSubdirectory("crm-pg-data-").FullName;
        load(_cluster, _folder);
    }

    public void Stop()
    {
        Environment.SetEnvironmentVariable(connectionVariable, null);
        try
        {
            _cluster?.Dispose();
        }
        finally
        {
            _cluster = null;
            if (_folder is not null)
            {
                Directory.Delete(_folder, recursive: true);
                _folder = null;
            }
        }
    }
}
