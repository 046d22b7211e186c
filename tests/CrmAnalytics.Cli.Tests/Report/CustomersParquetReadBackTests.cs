using System.Buffers;
using System.Globalization;
using CrmAnalytics.Cli.Tests.TestSupport;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;
using CrmAnalytics.Tests.Shared;
using DuckDB.NET.Data;

namespace CrmAnalytics.Cli.Tests.Report;

/// <summary>
/// The <c>customers.parquet</c> of <c>crm score</c> on CDNOW (REQUIRED dates, counts and money) reads back, as
/// <c>crm report</c>, drift and merge read it, cell for cell as DuckDB reads the same file.
/// </summary>
[TestFixture]
public sealed class CustomersParquetReadBackTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void SetUp() => _temp = new TempFolder();

    [TearDown]
    public void TearDown() => _temp.Dispose();

    [Test]
    public async Task ReadAsync_CdnowCustomersParquetAfterNegativeIntsInArrayPool_EqualsDuckDbCellForCell()
    {
        var run = Crm.Run("score", DatasetPaths.File("cdnow", "CDNOW_master.txt"), "--preset", "cdnow", "--as-of", "1998-07-01", "--out", _temp["out"]);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        string[] columns = ["customer_id", "first_purchase_date", "orders", "r_score", "f_score", "monetary_total"];

        // What an earlier renter may leave in the shared pool (23,570 rows rent from its 2^15 bucket): Parquet.Net 6.1's
        // nullable read took such a -1 as a REQUIRED cell's definition level, read null and shifted later cells.
        foreach (var array in Enumerable.Range(0, 64).Select(_ => ArrayPool<int>.Shared.Rent(1 << 15)).ToArray())
        {
            Array.Fill(array, -1);
            ArrayPool<int>.Shared.Return(array);
        }

        var table = await CustomerTableReader.ReadAsync(_temp["out"], columns, []);

        var expected = columns.Select(_ => new List<string?>()).ToArray();
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"SELECT customer_id, strftime(first_purchase_date, '%Y-%m-%d'), orders, r_score, f_score, monetary_total FROM read_parquet('{Path.Combine(_temp["out"], OutputFileNames.CustomersParquet)}')";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var c = 0; c < columns.Length; c++)
                {
                    expected[c].Add(reader.IsDBNull(c) ? null : Convert.ToString(reader.GetValue(c), CultureInfo.InvariantCulture));
                }
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(table.Rows, Is.EqualTo(23_570));
            Assert.That(Enumerable.Range(0, table.Rows).Count(i => table.Number("orders", i) > 1), Is.EqualTo(11_516), "repeat customers");
            for (var c = 0; c < columns.Length; c++)
            {
                Assert.That(table[columns[c]], Is.EqualTo(expected[c]), columns[c]);
            }
        }
    }
}
