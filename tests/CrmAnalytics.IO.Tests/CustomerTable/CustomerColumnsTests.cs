using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Uncertainty;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Tests.TestSupport;

namespace CrmAnalytics.IO.Tests.CustomerTable;

[TestFixture]
public sealed class CustomerColumnsTests
{
    /// <summary>The contract as the issue states it: name, type and nullability, in order.</summary>
    private static readonly (string Name, string Type)[] Contract =
    [
        ("customer_id", "string"), ("first_purchase_date", "date"), ("last_purchase_date", "date"), ("orders", "int32"),
        ("repeat_frequency", "int32"), ("t_x_days", "int32"), ("age_days", "int32"), ("recency_days", "int32"),
        ("monetary_total", "double"), ("gross_spend", "double"), ("returns_value", "double"), ("avg_order_value", "double"),
        ("mean_repeat_value", "double, nullable"),
        ("orders_30d", "int32"), ("orders_90d", "int32"), ("orders_180d", "int32"), ("orders_365d", "int32"),
        ("spend_30d", "double"), ("spend_90d", "double"), ("spend_180d", "double"), ("spend_365d", "double"),
        ("r_score", "int32"), ("f_score", "int32"), ("m_score", "int32"), ("rfm_code", "string"),
        ("segment", "string"), ("segment_slug", "string"), ("lifecycle_stage", "string"), ("value_tier", "string"),
    ];

    [Test]
    public void All_Columns_MatchTheContractInOrder()
    {
        Assert.That(CustomerColumns.All.Select(c => (c.Name, c.TypeName)), Is.EqualTo(Contract));
    }

    [Test]
    public void All_ClrTypes_MatchTheLogicalTypes()
    {
        var expected = new Dictionary<string, Type>
        {
            ["string"] = typeof(string),
            ["date"] = typeof(DateOnly),
            ["int32"] = typeof(int),
            ["double"] = typeof(double),
            ["double, nullable"] = typeof(double?),
        };

        Assert.That(CustomerColumns.All.Select(c => c.ClrType), Is.EqualTo(CustomerColumns.All.Select(c => expected[c.TypeName])));
    }

    [Test]
    public void MeanRepeatValue_OneTimeBuyer_IsNullAndRepeatBuyerIsTheMean()
    {
        var column = (CustomerColumn<double?>)CustomerColumns.All.Single(c => c.Name == "mean_repeat_value");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(column.GetValue(TestCustomers.OneTime("c2", TestCustomers.Others)), Is.Null);
            Assert.That(column.GetValue(TestCustomers.Standard()), Is.EqualTo(60.5));
        }
    }

    [TestCase(LifecycleStage.Inactive, "inactive")]
    [TestCase(LifecycleStage.New, "new")]
    [TestCase(LifecycleStage.Active, "active")]
    [TestCase(LifecycleStage.Occasional, "occasional")]
    public void LifecycleStageCode_EveryStage_IsLowercaseName(LifecycleStage stage, string expected)
    {
        Assert.That(CustomerColumns.LifecycleStageCode(stage), Is.EqualTo(expected));
    }

    [Test]
    public void ToMarkdownTable_AllColumns_HasHeaderAndOneRowPerColumn()
    {
        var lines = CustomerColumns.ToMarkdownTable().Split('\n');

        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines[0], Is.EqualTo("| Column | Type | Unit / meaning |"));
            Assert.That(lines[1], Is.EqualTo("|---|---|---|"));
            Assert.That(lines, Has.Length.EqualTo(CustomerColumns.All.Count + 3), "header, rule, rows, and the empty text after the last \\n");
            Assert.That(lines[^1], Is.Empty);
            Assert.That(lines[14], Is.EqualTo(
                "| `mean_repeat_value` | double, nullable | Mean value of the repeat occasions (the first excluded; Gamma-Gamma input), " +
                "input currency; null when repeat_frequency = 0 |"));
        }
    }

    [Test]
    public void ToMarkdownTable_MeaningWithPipeAndAngleBracket_IsEscaped()
    {
        CustomerColumn[] columns = [CustomerColumn.Text("x", "a|b <c>", _ => "v")];

        var table = CustomerColumns.ToMarkdownTable(columns);

        Assert.That(table, Does.EndWith("| `x` | string | a\\|b &lt;c> |\n"));
    }

    [Test]
    public void Clv_WithIntervals_ReadsEachValueAndBoundOfTheCustomer()
    {
        var columns = CustomerColumns.Clv(12, intervals: true).Cast<CustomerColumn<double?>>().ToArray();
        var customer = TestCustomers.Standard() with
        {
            Clv = new CustomerClv(1, 2, 3, 4, 5) { Interval = new CustomerClvInterval(11, 12, 21, 22, 31, 32, 41, 42, 51, 52) },
        };

        var values = columns.Select(c => c.GetValue(customer));

        Assert.That(values, Is.EqualTo(new double?[] { 1, 11, 12, 2, 21, 22, 3, 31, 32, 4, 41, 42, 5, 51, 52 }));
    }

    [Test]
    public void Clv_WithoutIntervalOrWithoutClv_ReadsNullWhereTheCustomerHasNoValue()
    {
        var columns = CustomerColumns.Clv(12, intervals: true).Cast<CustomerColumn<double?>>().ToArray();
        var noInterval = TestCustomers.Standard() with { Clv = new CustomerClv(1, 2, 3, 4, 5) };
        var noClv = TestCustomers.Standard() with { Clv = null };

        using (Assert.EnterMultipleScope())
        {
            Assert.That(columns.Select(c => c.GetValue(noInterval)), Is.EqualTo(new double?[] { 1, null, null, 2, null, null, 3, null, null, 4, null, null, 5, null, null }));
            Assert.That(columns.Select(c => c.GetValue(noClv)), Has.All.Null);
        }
    }
}
