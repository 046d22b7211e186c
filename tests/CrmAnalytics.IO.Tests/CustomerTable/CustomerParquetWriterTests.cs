using CrmAnalytics.TestSupport.Tables;
using System.Globalization;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Tests.TestSupport;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;

namespace CrmAnalytics.IO.Tests.CustomerTable;

[TestFixture]
public sealed class CustomerParquetWriterTests
{
    private TempFolder _temp = null!;

    [SetUp]
    public void CreateFolder() => _temp = new TempFolder();

    [TearDown]
    public void DeleteFolder() => _temp.Dispose();

    /// <summary>Five rows with distinct values in every int column, so a reused buffer that leaked between columns or row groups shows.</summary>
    private static ScoredCustomer[] FiveCustomers() =>
    [
        TestCustomers.Standard("c1"),
        TestCustomers.OneTime("c2", TestCustomers.Others, LifecycleStage.Inactive),
        TestCustomers.Standard("=c3") with { Rfm = new(5, 4, 3) },
        TestCustomers.OneTime("Zoë", TestCustomers.AtRisk, LifecycleStage.Occasional),
        TestCustomers.Standard("c5") with
        {
            Summary = TestCustomers.Standard("c5").Summary with { Orders = 7, AgeDays = 400, MeanRepeatValue = 100.0 / 3 },
            Rfm = new(2, 5, 1),
        },
    ];

    private async Task<string> WriteAsync(IEnumerable<ScoredCustomer> customers, int rowGroupSize = CustomerParquetWriter.DefaultRowGroupSize)
    {
        var path = _temp.Combine("customers.parquet");
        await CustomerParquetWriter.WriteFileAsync(path, customers, rowGroupSize: rowGroupSize);
        return path;
    }

    [Test]
    public async Task WriteFileAsync_FiveCustomersInRowGroupsOfTwo_ReadsBackTypesAndValuesWithParquetNet()
    {
        var path = await WriteAsync(FiveCustomers(), rowGroupSize: 2);

        await using var reader = await ParquetReader.CreateAsync(path, new ParquetOptions { UseDateOnlyTypeForDates = true });
        var fields = reader.Schema.DataFields;
        var ids = new List<string?>();
        var firstDates = new List<DateOnly>();
        var orders = new List<int>();
        var ages = new List<int>();
        var rScores = new List<int>();
        var fScores = new List<int>();
        var monetary = new List<double>();
        var meanRepeat = new List<double?>();
        var stages = new List<string?>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            ids.AddRange(await ReadStrings(group, Field(fields, "customer_id"), n));
            firstDates.AddRange(await Read<DateOnly>(group, Field(fields, "first_purchase_date"), n));
            orders.AddRange(await Read<int>(group, Field(fields, "orders"), n));
            ages.AddRange(await Read<int>(group, Field(fields, "age_days"), n));
            rScores.AddRange(await Read<int>(group, Field(fields, "r_score"), n));
            fScores.AddRange(await Read<int>(group, Field(fields, "f_score"), n));
            monetary.AddRange(await Read<double>(group, Field(fields, "monetary_total"), n));
            var nullable = new double?[n];
            await group.ReadAsync<double>(Field(fields, "mean_repeat_value"), nullable.AsMemory());
            meanRepeat.AddRange(nullable);
            stages.AddRange(await ReadStrings(group, Field(fields, "lifecycle_stage"), n));
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(reader.RowGroupCount, Is.EqualTo(3));
            Assert.That(fields.Select(f => f.Name), Is.EqualTo(CustomerColumns.Names()));
            Assert.That(Field(fields, "customer_id").IsNullable, Is.False);
            Assert.That(Field(fields, "first_purchase_date").ClrType, Is.EqualTo(typeof(DateOnly)));
            Assert.That(Field(fields, "orders").ClrType, Is.EqualTo(typeof(int)));
            Assert.That(Field(fields, "monetary_total").ClrType, Is.EqualTo(typeof(double)));
            Assert.That(Field(fields, "monetary_total").IsNullable, Is.False);
            Assert.That(Field(fields, "mean_repeat_value").ClrType, Is.EqualTo(typeof(double)));
            Assert.That(Field(fields, "mean_repeat_value").IsNullable, Is.True);

            Assert.That(ids, Is.EqualTo(new[] { "c1", "c2", "=c3", "Zoë", "c5" }), "Parquet is typed: no formula prefix");
            Assert.That(firstDates, Is.EqualTo(new[] { new DateOnly(2024, 1, 2), new DateOnly(2023, 12, 31), new DateOnly(2024, 1, 2), new DateOnly(2023, 12, 31), new DateOnly(2024, 1, 2) }));
            Assert.That(orders, Is.EqualTo(new[] { 3, 1, 3, 1, 7 }));
            Assert.That(ages, Is.EqualTo(new[] { 100, 5, 100, 5, 400 }));
            Assert.That(rScores, Is.EqualTo(new[] { 4, 1, 5, 1, 2 }));
            Assert.That(fScores, Is.EqualTo(new[] { 3, 1, 4, 1, 5 }));
            Assert.That(monetary, Is.EqualTo(new[] { 139.5, -5.5, 139.5, -5.5, 139.5 }));
            Assert.That(meanRepeat, Is.EqualTo(new double?[] { 60.5, null, 60.5, null, 100.0 / 3 }));
            Assert.That(stages, Is.EqualTo(new[] { "active", "inactive", "active", "occasional", "active" }));
        }
    }

    [Test]
    public async Task WriteFileAsync_FiveCustomers_DuckDbReadsNamesTypesAndValues()
    {
        var path = await WriteAsync(FiveCustomers(), rowGroupSize: 2);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{path}')";
        var described = new List<(string Name, string Type)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                described.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var expectedTypes = CustomerColumns.All.Select(c => (c.Name, c.Type switch
        {
            CustomerColumnType.String => "VARCHAR",
            CustomerColumnType.Date => "DATE",
            CustomerColumnType.Int32 => "INTEGER",
            CustomerColumnType.Double => "DOUBLE",
            _ => "?",
        }));

        command.CommandText =
            $"SELECT customer_id, first_purchase_date, last_purchase_date, orders, monetary_total, mean_repeat_value, spend_90d, rfm_code, segment_slug " +
            $"FROM read_parquet('{path}') ORDER BY customer_id";
        var rows = new List<object[]>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var values = new object[reader.FieldCount];
                reader.GetValues(values);
                rows.Add(values);
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(described, Is.EqualTo(expectedTypes));
            Assert.That(rows, Has.Count.EqualTo(5));
            Assert.That(rows[0], Is.EqualTo(new object[] { "=c3", new DateOnly(2024, 1, 2), new DateOnly(2024, 3, 5), 3, 139.5, 60.5, 40.5, "543", "champions" }));
            Assert.That(rows[3], Is.EqualTo(new object[] { "c2", new DateOnly(2023, 12, 31), new DateOnly(2023, 12, 31), 1, -5.5, DBNull.Value, 10.0, "111", "others" }));
            Assert.That(rows[1], Is.EqualTo(new object[] { "Zoë", new DateOnly(2023, 12, 31), new DateOnly(2023, 12, 31), 1, -5.5, DBNull.Value, 10.0, "111", "at-risk" }));
            Assert.That(rows.Select(r => r[0]), Is.EqualTo(new[] { "=c3", "Zoë", "c1", "c2", "c5" }), "binary order: '=' < 'Z' < 'c'");
            Assert.That(rows[4][5], Is.EqualTo(100.0 / 3));
        }
    }

    [Test]
    public async Task WriteFileAsync_TwentyThousandCustomers_TextColumnsArePlainAndReadBack()
    {
        // Unique ids, and two segments, stages and tiers: DuckDB's parquet_metadata lists each column chunk's encodings.
        // Plain, not dictionaries: see CustomerParquetWriter.WriterOptions.
        var customers = Enumerable.Range(0, 20_000).Select(i => i % 2 == 0
            ? TestCustomers.Standard($"c{i:00000}")
            : TestCustomers.OneTime($"c{i:00000}", TestCustomers.AtRisk, LifecycleStage.Occasional)).Select(r => (ScoredCustomer)r).ToArray();
        var path = await WriteAsync(customers);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT path_in_schema, encodings FROM parquet_metadata('{path}')";
        var encodings = new Dictionary<string, string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                encodings[reader.GetString(0)] = reader.GetString(1);
            }
        }

        command.CommandText = $"SELECT count(*), count(DISTINCT customer_id), count(*) FILTER (WHERE segment_slug = 'at-risk' AND lifecycle_stage = 'occasional'), min(customer_id), max(customer_id) FROM read_parquet('{path}')";
        object[] values;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            values = new object[reader.FieldCount];
            reader.GetValues(values);
        }

        using (Assert.EnterMultipleScope())
        {
            foreach (var text in new[] { "customer_id", "segment", "segment_slug", "lifecycle_stage", "value_tier", "rfm_code" })
            {
                Assert.That(encodings[text], Does.Contain("PLAIN").And.Not.Contain("DICTIONARY"), text);
            }

            Assert.That(values, Is.EqualTo(new object[] { 20_000L, 20_000L, 10_000L, "c00000", "c19999" }));
        }
    }

    [Test]
    public async Task WriteFileAsync_NoCustomers_WritesSchemaWithZeroRows()
    {
        var path = await WriteAsync([]);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), count(DISTINCT 1) FROM read_parquet('{path}')";
        var count = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        var schema = await ParquetReader.ReadSchemaAsync(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(count, Is.Zero);
            Assert.That(schema.DataFields.Select(f => f.Name), Is.EqualTo(CustomerColumns.Names()));
        }
    }

    [Test]
    public async Task WriteFileAsync_MoreRowsThanOneGroupFromALazySequence_KeepsEveryRowInOrder()
    {
        var customers = Enumerable.Range(0, 2500).Select(i => TestCustomers.Standard().WithId("c" + i.ToString("D5", CultureInfo.InvariantCulture)));

        var path = await WriteAsync(customers.Table(), rowGroupSize: 1000);

        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*), min(customer_id), max(customer_id), count(DISTINCT customer_id) FROM read_parquet('{path}')";
        using var reader = command.ExecuteReader();
        reader.Read();
        await using var parquet = await ParquetReader.CreateAsync(path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parquet.RowGroupCount, Is.EqualTo(3));
            Assert.That(parquet.RowGroups.Select(g => g.RowCount), Is.EqualTo(new long[] { 1000, 1000, 500 }));
            Assert.That(reader.GetInt64(0), Is.EqualTo(2500));
            Assert.That(reader.GetString(1), Is.EqualTo("c00000"));
            Assert.That(reader.GetString(2), Is.EqualTo("c02499"));
            Assert.That(reader.GetInt64(3), Is.EqualTo(2500));
        }
    }

    [Test]
    public async Task WriteAsync_SameCustomersTwice_WritesIdenticalBytes()
    {
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        await CustomerParquetWriter.WriteAsync(first, FiveCustomers());
        await CustomerParquetWriter.WriteAsync(second, FiveCustomers());

        Assert.That(second.ToArray(), Is.EqualTo(first.ToArray()), "reruns on the same input give byte-identical data files");
    }

    [Test]
    public async Task WriteAsync_RowGroupSizeZero_ThrowsArgumentOutOfRange()
    {
        using var stream = new MemoryStream();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => CustomerParquetWriter.WriteAsync(stream, [], rowGroupSize: 0));
    }

    [Test]
    public async Task WriteAsync_NullableColumnsWithNullsAcrossRowGroups_SameBytesAsParquetNetFromNullableArrays()
    {
        // Row groups of 2: the first all null, the second without nulls, the third mixed.
        var nullAt = new HashSet<int> { 0, 1, 4 };
        CustomerColumn[] columns =
        [
            CustomerColumn.Text("customer_id", "id", c => c.Summary.CustomerId),
            CustomerColumn.NullableText("text", "t", c => nullAt.Contains(c.Summary.Orders) ? null : "v" + c.Summary.Orders),
            CustomerColumn.NullableInteger("int", "i", c => nullAt.Contains(c.Summary.Orders) ? null : c.Summary.Orders * 10),
            CustomerColumn.NullableDate("date", "d", c => nullAt.Contains(c.Summary.Orders) ? null : new DateOnly(2024, 1, 1).AddDays(c.Summary.Orders)),
            CustomerColumn.NullableReal("real", "r", CsvRounding.Cents, c => nullAt.Contains(c.Summary.Orders) ? null : c.Summary.Orders / 3.0),
        ];
        var customers = Enumerable.Range(0, 6)
            .Select(i => TestCustomers.Standard("c" + i) with { Summary = TestCustomers.Standard("c" + i).Summary with { Orders = i } })
            .Table();
        using var written = new MemoryStream();
        using var expected = new MemoryStream();

        await CustomerParquetWriter.WriteAsync(written, customers, columns, rowGroupSize: 2);
        await WriteFromNullableArraysAsync(expected, customers, columns, rowGroupSize: 2);

        Assert.That(written.ToArray(), Is.EqualTo(expected.ToArray()));
    }

    /// <summary>The reference: Parquet.Net's own handling of nullable values, given a <c>T?[]</c> per column and row group.</summary>
    private static async Task WriteFromNullableArraysAsync(Stream destination, IReadOnlyList<ScoredCustomer> customers, CustomerColumn[] columns, int rowGroupSize)
    {
        var schema = CustomerParquetWriter.Schema(columns);
        var fields = schema.DataFields;
        await using var writer = await ParquetWriter.CreateAsync(schema, destination, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy });
        foreach (var chunk in customers.Chunk(rowGroupSize))
        {
            using var group = writer.CreateRowGroup();
            for (var i = 0; i < columns.Length; i++)
            {
                var task = columns[i] switch
                {
                    CustomerColumn<string> c when !c.IsNullable => group.WriteAsync<ReadOnlyMemory<char>>(fields[i], chunk.Select(r => c.GetValue(r).AsMemory()).ToArray()),
                    CustomerColumn<string> c => group.WriteAsync<ReadOnlyMemory<char>>(fields[i], chunk.Select(r => c.GetValue(r)?.AsMemory()).ToArray()),
                    CustomerColumn<int?> c => group.WriteAsync<int>(fields[i], chunk.Select(c.GetValue).ToArray()),
                    CustomerColumn<DateOnly?> c => group.WriteAsync<DateOnly>(fields[i], chunk.Select(c.GetValue).ToArray()),
                    CustomerColumn<double?> c => group.WriteAsync<double>(fields[i], chunk.Select(c.GetValue).ToArray()),
                    var c => throw new NotSupportedException(c.Name),
                };
                await task;
            }

            group.CompleteValidate();
        }
    }

    private static DataField Field(DataField[] fields, string name) => fields.Single(f => f.Name == name);

    private static async Task<T[]> Read<T>(ParquetRowGroupReader group, DataField field, int n)
        where T : struct
    {
        var values = new T[n];
        await group.ReadAsync<T>(field, values.AsMemory());
        return values;
    }

    private static async Task<string?[]> ReadStrings(ParquetRowGroupReader group, DataField field, int n)
    {
        var values = new string?[n];
        await group.ReadAsync(field, values.AsMemory());
        return values;
    }
}
