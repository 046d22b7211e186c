using CrmAnalytics.Core;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.Engines;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Tests.Shared;
using CrmAnalytics.Tests.Shared.Postgres;

namespace CrmAnalytics.IO.Tests.Engines.Postgres;

/// <summary>
/// <c>--engine postgres</c> on a real server must give the native reader's customer table and row accounting, customer
/// by customer at the as-of date and 180 days earlier, on CDNOW master and Online Retail loaded into tables.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class PostgresTransactionSourceTests
{
    private static PostgresOptions Table(string table) => new() { SourceTable = table, ConnectionVariable = PostgresServer.ConnectionVariable };

    private static PostgresOptions Query(string sql) => new() { SourceQuery = sql, ConnectionVariable = PostgresServer.ConnectionVariable };

    private static IEnumerable<TestCaseData> Tables()
    {
        yield return new TestCaseData(new[] { "cdnow", "CDNOW_master.txt" }, "cdnow", "cdnow", 23_570).SetName("ReadAsync_CdnowMasterTable_EqualsNative");
        yield return new TestCaseData(new[] { "online_retail", "online_retail.csv" }, "online-retail", "online_retail", 4_338).SetName("ReadAsync_OnlineRetailTable_EqualsNative");
        yield return new TestCaseData(new[] { "online_retail", "online_retail.csv" }, "online-retail", "online_retail_typed", 4_338).SetName("ReadAsync_OnlineRetailTypedTable_EqualsNativeOnCsv");
    }

    /// <summary>Also checks the rejects sample, which comes from the server: the first 100 records per reason in record order, naming the table and the column.</summary>
    [TestCaseSource(nameof(Tables))]
    public async Task ReadAsync_Table_EqualsNative(string[] file, string preset, string table, int customers)
    {
        _ = PostgresServer.Cluster;
        var options = TransactionPresets.Get(preset);
        var rejects = new ListRejectSink();

        var native = await TransactionReader.ReadAsync(DatasetPaths.File(file), options, NullRejectSink.Instance);
        var engine = await PostgresTransactionSource.ReadAsync(Table(table), options, rejects);

        var (compared, differences) = EngineEquality.Compare(native, engine, native.Builder.DefaultAsOf().AddDays(-180));
        Assert.That(differences, Is.Empty);
        Assert.That(compared, Is.EqualTo(customers));
        Assert.That(engine.Accounting.RowsRead, Is.EqualTo(native.Accounting.RowsRead));
        var sampled = rejects.Rows.GroupBy(r => r.Reason.Code()).ToDictionary(g => g.Key, g => g.ToList());
        Assert.That(sampled.ToDictionary(s => s.Key, s => (long)s.Value.Count),
            Is.EquivalentTo(engine.Accounting.ByReason().ToDictionary(r => r.Key, r => Math.Min(r.Value, ReductionQuery.SamplePerReason))));
        Assert.That(rejects.Rows.Select(r => r.File).Distinct(), Is.EqualTo(rejects.Rows.Count == 0 ? Array.Empty<string>() : new[] { table }));
        foreach (var rows in sampled.Values)
        {
            Assert.That(rows.Select(r => r.Raw), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        }

        if (sampled.TryGetValue(RejectReason.MissingCustomerId.Code(), out var missing))
        {
            Assert.That(missing.Select(r => r.Column).Distinct(), Is.EqualTo(new[] { "CustomerID" }));
            Assert.That(missing[0].Raw, Does.StartWith("CustomerID=,InvoiceDate="));
        }

        TestContext.Out.WriteLine($"{table}: {compared} customers equal; rows read {engine.Accounting.RowsRead}, accepted {engine.Accounting.RowsAccepted}, " +
            string.Join(", ", engine.Accounting.ByReason().Select(r => $"{r.Key} {r.Value}")));
    }

    /// <summary>The as-of date is pushed down too: lines on or after it are date_after_as_of, as natively.</summary>
    [Test]
    public async Task ReadAsync_CdnowWithAsOf_EqualsNativeWithDateAfterAsOf()
    {
        _ = PostgresServer.Cluster;
        var options = TransactionPresets.Cdnow with { AsOf = new DateOnly(1997, 10, 1) };

        var native = await TransactionReader.ReadAsync(DatasetPaths.File("cdnow", "CDNOW_master.txt"), options, NullRejectSink.Instance);
        var engine = await PostgresTransactionSource.ReadAsync(Table("cdnow"), options, NullRejectSink.Instance);

        Assert.That(engine.Accounting.Count(RejectReason.DateAfterAsOf), Is.GreaterThan(0));
        Assert.That(EngineEquality.Compare(native, engine).Differences, Is.Empty);
    }

    /// <summary>A query works as a table does: the mapping resolves against its result columns.</summary>
    [Test]
    public async Task ReadAsync_SourceQueryRenamingColumns_EqualsNative()
    {
        _ = PostgresServer.Cluster;
        var engine = Query("SELECT customer_id AS cust, date AS day, dollar_value AS value FROM cdnow;");
        var options = TransactionPresets.Cdnow with { Mapping = new ColumnMapping { CustomerId = "cust", Date = "day", Amount = "value" } };

        var native = await TransactionReader.ReadAsync(DatasetPaths.File("cdnow", "CDNOW_master.txt"), TransactionPresets.Cdnow, NullRejectSink.Instance);
        var read = await PostgresTransactionSource.ReadAsync(engine, options, NullRejectSink.Instance);

        Assert.That(EngineEquality.Compare(native, read).Differences, Is.Empty);
        Assert.That(read.Path, Is.EqualTo("source-query"));
    }

    [Test]
    public async Task ReadAsync_QueryWithWrongColumns_InputExceptionNamingColumnsFound()
    {
        _ = PostgresServer.Cluster;
        var engine = Query("SELECT customer_id AS cust, date FROM cdnow");

        var ex = await Assert.ThrowsAsync<InputException>(() => PostgresTransactionSource.ReadAsync(engine, TransactionPresets.Cdnow, NullRejectSink.Instance));

        Assert.That(ex!.Message, Does.Contain("'cust'").And.Contain("'date'").And.Contain("customer_id"));
        Assert.That(ex.ExitCode, Is.EqualTo(ExitCodes.InputUnreadable));
    }

    [Test]
    public async Task ReadAsync_MissingTable_InputExceptionWithServerReason()
    {
        _ = PostgresServer.Cluster;

        var ex = await Assert.ThrowsAsync<InputException>(() => PostgresTransactionSource.ReadAsync(Table("no_such_table"), TransactionPresets.Cdnow, NullRejectSink.Instance));

        Assert.That(ex!.Message, Does.Contain("42P01").And.Contain("no_such_table"));
    }

    /// <summary>A floating-point customer id has no exact text in SQL: refused, naming the column and the cast to use.</summary>
    [Test]
    public async Task ReadAsync_DoubleCustomerId_InputException()
    {
        _ = PostgresServer.Cluster;
        var engine = Query("SELECT CAST(customer_id AS double precision) AS customer_id, date, dollar_value FROM cdnow");

        var ex = await Assert.ThrowsAsync<InputException>(() => PostgresTransactionSource.ReadAsync(engine, TransactionPresets.Cdnow, NullRejectSink.Instance));

        Assert.That(ex!.Message, Does.Contain("double precision").And.Contain("cast it to bigint"));
    }

    [Test]
    public async Task ReadAsync_NothingListening_SourceUnreachableException()
    {
        const string variable = "CRM_PG_IO_TESTS_UNREACHABLE";
        Environment.SetEnvironmentVariable(variable, $"Host=127.0.0.1;Port={PostgresCluster.FreePort()};Username=crm;Password=secret-pw;Database=shop;Timeout=5");
        try
        {
            var engine = new PostgresOptions { SourceTable = "cdnow", ConnectionVariable = variable };

            var ex = await Assert.ThrowsAsync<SourceUnreachableException>(() => PostgresTransactionSource.ReadAsync(engine, TransactionPresets.Cdnow, NullRejectSink.Instance));

            Assert.That(ex!.ExitCode, Is.EqualTo(ExitCodes.SourceUnreachable));
            Assert.That(ex.Message, Does.Contain("cannot connect to PostgreSQL at 127.0.0.1").And.Contain(variable).And.Not.Contain("secret-pw"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [TestCase(null, null, "exactly one")]
    [TestCase("cdnow", "SELECT 1", "exactly one")]
    public void Validate_NotExactlyOneSource_Error(string? table, string? query, string message)
    {
        var errors = new PostgresOptions { SourceTable = table, SourceQuery = query, ConnectionVariable = "PATH" }.Validate();

        Assert.That(errors, Has.One.Contains(message));
    }

    [Test]
    public void Validate_VariableNotSet_ErrorNamingIt()
    {
        var errors = new PostgresOptions { SourceTable = "t", ConnectionVariable = "CRM_PG_SURELY_UNSET_VARIABLE" }.Validate();

        Assert.That(errors, Has.One.Contains("CRM_PG_SURELY_UNSET_VARIABLE").And.Contains("not set"));
    }
}
