using CrmAnalytics.Tests.Shared.Postgres;

namespace CrmAnalytics.Cli.Tests.Engines.Postgres;

/// <summary>
/// One throwaway PostgreSQL cluster for this namespace's tests, with CDNOW master loaded as table <c>cdnow</c>; its
/// connection string is in <see cref="ConnectionVariable"/>. Stopped and deleted after the last test, also when one fails.
/// </summary>
[SetUpFixture]
public sealed class PostgresServer
{
    public const string ConnectionVariable = "CRM_PG_CLI_TESTS_CONNECTION";

    private static readonly PostgresTestServer Server = new(ConnectionVariable);

    internal static PostgresCluster Cluster => Server.Cluster;

    [OneTimeSetUp]
    public void Start() => Server.Start((cluster, folder) => PostgresDatasets.LoadCdnow(cluster, "cdnow", folder));

    [OneTimeTearDown]
    public void Stop() => Server.Stop();
}
