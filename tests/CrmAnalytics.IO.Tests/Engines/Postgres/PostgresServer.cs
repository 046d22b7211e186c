using CrmAnalytics.Tests.Shared.Postgres;

namespace CrmAnalytics.IO.Tests.Engines.Postgres;

/// <summary>
/// One throwaway PostgreSQL cluster for this namespace's tests, with CDNOW master (table <c>cdnow</c>) and Online Retail
/// (table <c>online_retail</c>, and <c>online_retail_typed</c> with integer, numeric, timestamp and bigint columns) loaded.
/// Stopped and deleted after the last test, also when one fails.
/// </summary>
[SetUpFixture]
public sealed class PostgresServer
{
    /// <summary>The environment variable the tests' <see cref="IO.Engines.PostgresOptions"/> name.</summary>
    public const string ConnectionVariable = "CRM_PG_IO_TESTS_CONNECTION";

    private static readonly PostgresTestServer Server = new(ConnectionVariable);

    internal static PostgresCluster Cluster => Server.Cluster;

    [OneTimeSetUp]
    public void Start() => Server.Start((cluster, folder) =>
    {
        PostgresDatasets.LoadCdnow(cluster, "cdnow", folder);
        PostgresDatasets.LoadOnlineRetail(cluster, "online_retail");
        cluster.Psql("""
            CREATE TABLE online_retail_typed AS SELECT "InvoiceNo", CAST("Quantity" AS integer) AS "Quantity", CAST("InvoiceDate" AS timestamp) AS "InvoiceDate",
              CAST("UnitPrice" AS numeric(12, 3)) AS "UnitPrice", CAST(NULLIF("CustomerID", '') AS bigint) AS "CustomerID" FROM online_retail;
            """);
    });

    [OneTimeTearDown]
    public void Stop() => Server.Stop();
}
