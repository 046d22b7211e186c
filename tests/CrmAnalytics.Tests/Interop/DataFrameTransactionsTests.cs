using CrmAnalytics.Core;
using Microsoft.Data.Analysis;

namespace CrmAnalytics.Tests.Interop;

/// <summary>Transactions from a DataFrame: the mapping, row rules and rejects of a file, with the column and row index in each reject.</summary>
[TestFixture]
public sealed class DataFrameTransactionsTests
{
    private static readonly ScorecardOptions NoModels = new() { ClvModel = "none", ChurnTrainer = "none", MaxRejectRate = 0.5 };

    private static DataFrame Text(params (string Name, string?[] Values)[] columns) =>
        new(columns.Select(c => new StringDataFrameColumn(c.Name, c.Values)));

    [Test]
    public async Task ScoreAsync_BadCells_RejectNamesColumnAndRowIndex()
    {
        var frame = Text(
            ("customer_id", ["a", "b", "a", "", "c"]),
            ("date", ["2024-01-05", "2024-02-30", "2024-03-01", "2024-03-02", "2024-03-03"]),
            ("amount", ["10.5", "3", "ten", "4", "7.25"]));

        var result = await Scorecard.ScoreAsync(frame, NoModels);

        Assert.That(result.Rejects, Is.EqualTo(new[]
        {
            new ScorecardReject("DataFrame", 1, "date", "unparseable_date"),
            new ScorecardReject("DataFrame", 2, "amount", "unparseable_amount"),
            new ScorecardReject("DataFrame", 3, "customer_id", "missing_customer_id"),
        }));
        Assert.That((result.Accounting.RowsRead, result.Accounting.RowsAccepted, result.Accounting.RowsRejected, result.Accounting.RowsMalformed), Is.EqualTo((5L, 2L, 3L, 2L)));
        Assert.That(result.Accounting.RejectedByReason["unparseable_date"], Is.EqualTo(1));
        Assert.That(result.Customers["customer_id"].Cast<string>(), Is.EquivalentTo(new[] { "a", "c" }));
    }

    [Test]
    public async Task ScoreAsync_MissingMappedColumn_ThrowsInputExceptionNamingTheColumns()
    {
        var frame = Text(("customer", ["a"]), ("date", ["2024-01-05"]), ("amount", ["1"]));

        var ex = await Assert.ThrowsAsync<InputException>(() => Scorecard.ScoreAsync(frame, NoModels));

        Assert.That(ex!.Message, Does.Contain("DataFrame").And.Contain("customer_id").And.Contain("customer"));
    }

    [Test]
    public async Task ScoreAsync_DateColumnOfNumbers_ThrowsSchemaMismatch()
    {
        var frame = new DataFrame(
            new StringDataFrameColumn("customer_id", ["a"]),
            new DoubleDataFrameColumn("date", [20240105.0]),
            new DoubleDataFrameColumn("amount", [1.0]));

        var ex = await Assert.ThrowsAsync<InputException>(() => Scorecard.ScoreAsync(frame, NoModels));

        Assert.That(ex!.Message, Does.Contain("schema mismatch").And.Contain("'date' (mapped as date) holds number values"));
    }

    [Test]
    public async Task ScoreAsync_TypedColumns_SameTableAsTextColumns()
    {
        var ids = new[] { "a", "b", "a", "c", "b", "a" };
        var days = new[] { new DateTime(2024, 1, 5), new DateTime(2024, 1, 9), new DateTime(2024, 2, 1, 13, 30, 0), new DateTime(2024, 2, 3), new DateTime(2024, 3, 1), new DateTime(2024, 3, 1) };
        var amounts = new[] { 10.5, 3.0, -2.25, 8.0, 12.75, 1.0 };
        var typed = new DataFrame(
            new StringDataFrameColumn("customer_id", ids),
            new DateTimeDataFrameColumn("date", days.Select(d => (DateTime?)d)),
            new DoubleDataFrameColumn("amount", amounts.Select(a => (double?)a)));
        var text = Text(
            ("customer_id", ids),
            ("date", days.Select(d => (string?)d.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)).ToArray()),
            ("amount", amounts.Select(a => (string?)a.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray()));

        var fromTyped = await Scorecard.ScoreAsync(typed, NoModels);
        var fromText = await Scorecard.ScoreAsync(text, NoModels);
        var fromList = await Scorecard.ScoreAsync(ids.Select((id, i) => new Transaction(id, DateOnly.FromDateTime(days[i]), amounts[i])), NoModels);

        foreach (var other in new[] { fromText, fromList })
        {
            Assert.That(other.Customers.Columns.Select(c => c.Name), Is.EqualTo(fromTyped.Customers.Columns.Select(c => c.Name)));
            foreach (var column in fromTyped.Customers.Columns)
            {
                Assert.That(other.Customers[column.Name].Cast<object?>(), Is.EqualTo(column.Cast<object?>()), column.Name);
            }
        }

        Assert.That(fromTyped.AsOf, Is.EqualTo(new DateOnly(2024, 3, 2)));
        Assert.That(fromTyped.Customers["monetary_total"].Cast<double?>(), Is.EqualTo(new double?[] { 10.5 - 2.25 + 1.0, 3.0 + 12.75, 8.0 }));
    }

    [Test]
    public async Task Customers_SampleExport_TypedAsCustomersParquet()
    {
        var result = await Scorecard.ScoreFileAsync(Path.Combine(Tests.Shared.DatasetPaths.Repository, "samples", "transactions.csv"), new ScorecardOptions { Preset = "sample" });

        var table = result.Customers;
        Assert.That(table["customer_id"], Is.InstanceOf<StringDataFrameColumn>());
        Assert.That(table["first_purchase_date"], Is.InstanceOf<DateTimeDataFrameColumn>());
        Assert.That(table["orders"], Is.InstanceOf<Int32DataFrameColumn>());
        Assert.That(table["clv_12m"], Is.InstanceOf<DoubleDataFrameColumn>());
        Assert.That(table.Columns.Select(c => c.Name), Does.Contain("churn_probability").And.Contain("segment").And.Contain("p_alive"));
        Assert.That(table["clv_12m"].Cast<double?>().Sum(), Is.EqualTo(result.Clv!.TotalClv).Within(1e-6 * result.Clv.TotalClv));
    }
}
