using CrmAnalytics.TestSupport.Tables;
using System.Globalization;
using System.Text;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Tests.TestSupport;

namespace CrmAnalytics.IO.Tests.CustomerTable;

[TestFixture]
public sealed class CustomerCsvWriterTests
{
    private static string WriteToString(IEnumerable<ScoredCustomer> customers)
    {
        using var stream = new MemoryStream();
        CustomerCsvWriter.Write(stream, customers);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Test]
    public void Write_OneCustomer_WritesHeaderAndRowInContractOrder()
    {
        var text = WriteToString([TestCustomers.Standard()]);

        var expectedHeader = string.Join(',', CustomerColumns.All.Select(c => c.Name));
        Assert.That(text, Is.EqualTo(expectedHeader + "\r\n" + TestCustomers.StandardCsvRow + "\r\n"));
    }

    [Test]
    public void Write_NoCustomers_WritesHeaderOnly()
    {
        var text = WriteToString([]);

        Assert.That(text, Is.EqualTo(string.Join(',', CustomerColumns.Names()) + "\r\n"));
    }

    [Test]
    public void Write_Output_IsUtf8WithoutBomWithCrlfLineEnds()
    {
        using var stream = new MemoryStream();
        CustomerCsvWriter.Write(stream, [TestCustomers.Standard("Zoë")]);
        var bytes = stream.ToArray();
        var text = Encoding.UTF8.GetString(bytes);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(bytes.AsSpan(0, 3).SequenceEqual("\uFEFF"u8), Is.False, "no BOM");
            Assert.That(bytes[0], Is.EqualTo((byte)'c'));
            Assert.That(text, Does.Contain("\r\nZoë,2024-01-02,"));
            Assert.That(text.Replace("\r\n", string.Empty, StringComparison.Ordinal), Does.Not.Contain('\n').And.Not.Contain('\r'));
        }
    }

    [TestCase("=HYPERLINK(\"http://evil.example\",\"x\")")]
    [TestCase("+1")]
    [TestCase("-x")]
    [TestCase("@a")]
    [TestCase("\tcmd")]
    public void Write_FormulaLikeCustomerId_IsPrefixedWithQuoteMark(string id)
    {
        var text = WriteToString([TestCustomers.Standard(id)]);

        var row = Rfc4180.Parse(text)[1];
        Assert.That(row[0], Is.EqualTo("'" + id));
    }

    [TestCase("'=x", "''=x")]
    [TestCase("'x", "''x")]
    [TestCase("'", "''")]
    public void Write_CustomerIdStartingWithQuoteMark_GetsOneMoreSoItDiffersFromTheNeutralisedFormula(string id, string expected)
    {
        var row = Rfc4180.Parse(WriteToString([TestCustomers.Standard(id), TestCustomers.Standard("=x")]));

        Assert.That((row[1][0], row[2][0]), Is.EqualTo((expected, "'=x")));
    }

    [Test]
    public void Write_FormulaLikeSegmentName_IsPrefixedWithQuoteMark()
    {
        var customer = TestCustomers.Standard() with { Segment = TestCustomers.Champions with { Name = "=1+1" } };

        var row = Rfc4180.Parse(WriteToString([customer]))[1];

        Assert.That(row[Index("segment")], Is.EqualTo("'=1+1"));
    }

    [TestCase(144.73999999999998, CsvRounding.Cents, "144.74")]
    [TestCase(36.184999999999995, CsvRounding.Cents, "36.18")] // the nearest double is below the half cent
    [TestCase(0.125, CsvRounding.Cents, "0.13")] // an exact half cent goes away from zero
    [TestCase(-0.125, CsvRounding.Cents, "-0.13")]
    [TestCase(1234567.891, CsvRounding.Cents, "1234567.89")]
    [TestCase(0.123456789, CsvRounding.SignificantDigits6, "0.123457")]
    [TestCase(0.99999999995, CsvRounding.SignificantDigits6, "1")]
    [TestCase(1.23456789e-7, CsvRounding.SignificantDigits6, "1.23457E-07")]
    [TestCase(18934.567891, CsvRounding.SignificantDigits6, "18934.6")]
    [TestCase(1234567.8, CsvRounding.SignificantDigits6, "1234570")]
    [TestCase(0.0, CsvRounding.SignificantDigits6, "0")]
    public void Round_ColumnKind_GivesThePeoplesDigits(double value, CsvRounding rounding, string expected)
    {
        // Expected texts worked by hand: cents = round half away from zero at the second decimal; 6 significant digits
        // = the first six digits of the value, the sixth rounded; the writer shows the shortest round-trip text.
        Assert.That(CustomerCsvWriter.Round(value, rounding).ToString(CultureInfo.InvariantCulture), Is.EqualTo(expected));
    }

    [Test]
    public void Write_MoneyWithBinaryNoise_IsWrittenToCents()
    {
        // 0.1 + 144.64 is 144.73999999999998 in binary (the issue's example); the file shows 144.74, Parquet keeps the double.
        var customer = TestCustomers.Standard() with { Summary = TestCustomers.Standard().Summary with { GrossSpend = 0.1 + 144.64, ReturnsValue = 0 } };
        Assert.That(customer.Summary.MonetaryTotal.ToString("R", CultureInfo.InvariantCulture), Is.EqualTo("144.73999999999998"));

        var row = Rfc4180.Parse(WriteToString([customer]))[1];

        Assert.That(row[Index("monetary_total")], Is.EqualTo("144.74"));
    }

    [Test]
    public void Columns_EveryDouble_HasARounding()
    {
        var doubles = CustomerColumns.For(12, churn: true).Where(c => c.Type == CustomerColumnType.Double).ToArray();
        var sixDigits = doubles.Where(c => c.Rounding == CsvRounding.SignificantDigits6).Select(c => c.Name);

        Assert.That(doubles.Select(c => c.Rounding), Has.All.Not.Null);
        Assert.That(sixDigits, Is.EquivalentTo(new[] { "p_alive", "expected_purchases_90d", "expected_purchases_365d", "churn_probability" }));
    }

    [Test]
    public void Write_NegativeNumber_StaysANumber()
    {
        var customer = TestCustomers.OneTime("c2", TestCustomers.Others);

        var text = WriteToString([customer]);
        var row = Rfc4180.Parse(text)[1];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(row[Index("monetary_total")], Is.EqualTo("-5.5"));
            Assert.That(text, Does.Contain(",-5.5,"));
        }
    }

    [Test]
    public void Write_TextWithCommaQuoteAndNewline_IsQuotedAndReadsBack()
    {
        const string name = "Loyal, \"Big\"\nSpenders";
        var customer = TestCustomers.Standard() with { Segment = TestCustomers.Champions with { Name = name } };

        var text = WriteToString([customer]);
        var rows = Rfc4180.Parse(text);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain(",\"Loyal, \"\"Big\"\"\nSpenders\","));
            Assert.That(rows, Has.Count.EqualTo(2));
            Assert.That(rows[1], Has.Length.EqualTo(CustomerColumns.All.Count));
            Assert.That(rows[1][Index("segment")], Is.EqualTo(name));
        }
    }

    [Test]
    public void Write_OneTimeBuyer_WritesEmptyMeanRepeatValue()
    {
        var row = Rfc4180.Parse(WriteToString([TestCustomers.OneTime("c2", TestCustomers.Others)]))[1];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(row[Index("repeat_frequency")], Is.EqualTo("0"));
            Assert.That(row[Index("mean_repeat_value")], Is.Empty);
            Assert.That(row[Index("lifecycle_stage")], Is.EqualTo("new"));
            Assert.That(row[Index("value_tier")], Is.EqualTo("rest"));
        }
    }

    [Test]
    public void Write_NonTerminatingDouble_WritesTheRoundedValueAsShortestText()
    {
        var customer = TestCustomers.Standard() with { Summary = TestCustomers.Standard().Summary with { GrossSpend = 100.0 / 3 } };

        var row = Rfc4180.Parse(WriteToString([customer]))[1];
        var written = row[Index("gross_spend")];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Is.EqualTo("33.33"));
            Assert.That(double.Parse(written, CultureInfo.InvariantCulture), Is.EqualTo(33.33));
        }
    }

    [Test]
    public void Write_ExcelDialect_WritesBomSemicolonsAndDecimalCommas()
    {
        using var stream = new MemoryStream();
        CustomerCsvWriter.Write(stream, [TestCustomers.Standard()], dialect: CsvDialect.Excel);
        var bytes = stream.ToArray();

        // StandardCsvRow with ';' between fields and ',' in 139.5, 10.5, 60.5 and 40.5, worked by hand.
        const string ExcelRow = "c1;2024-01-02;2024-03-05;3;2;63;100;37;139,5;150;10,5;50;60,5;0;1;2;3;0;40,5;90;150;4;3;5;435;Champions;champions;active;top";
        using (Assert.EnterMultipleScope())
        {
            Assert.That(bytes.AsSpan(0, 3).SequenceEqual("\uFEFF"u8), Is.True, "UTF-8 BOM");
            Assert.That(Encoding.UTF8.GetString(bytes.AsSpan(3)), Is.EqualTo(string.Join(';', CustomerColumns.Names()) + "\r\n" + ExcelRow + "\r\n"));
        }
    }

    [Test]
    public void Write_ExcelDialectTextWithSemicolonOrComma_QuotesOnlyTheSemicolon()
    {
        using var stream = new MemoryStream();
        CustomerCsvWriter.Write(stream, [TestCustomers.Standard("a;b"), TestCustomers.Standard("1,5")], dialect: CsvDialect.Excel);
        var text = Encoding.UTF8.GetString(stream.ToArray().AsSpan(3));

        var rows = Rfc4180.Parse(text, ';');

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("\r\n\"a;b\";2024-01-02;").And.Contain("\r\n1,5;2024-01-02;"));
            Assert.That(rows.Skip(1).Select(r => r[0]), Is.EqualTo(new[] { "a;b", "1,5" }));
            Assert.That(rows.Select(r => r.Length), Is.All.EqualTo(CustomerColumns.All.Count));
        }
    }

    [Test]
    public void WriteSegmentFiles_ExcelDialect_WritesEveryFileInIt()
    {
        using var temp = new TempFolder();

        var paths = CustomerCsvWriter.WriteSegmentFiles(temp.Path, [TestCustomers.Standard()], ["champions", "others"], dialect: CsvDialect.Excel);

        foreach (var path in paths)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.That(bytes.AsSpan(0, 3).SequenceEqual("\uFEFF"u8), Is.True, path);
            Assert.That(Encoding.UTF8.GetString(bytes.AsSpan(3)), Does.StartWith("customer_id;first_purchase_date;"), path);
        }

        Assert.That(File.ReadAllText(paths[0]), Does.Contain("\r\nc1;2024-01-02;2024-03-05;3;2;63;100;37;139,5;"));
    }

    [Test]
    public void Write_UnderGermanCulture_WritesInvariantNumbersAndIsoDates()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var text = WriteToString([TestCustomers.Standard()]);

            Assert.That(text, Does.EndWith("\r\n" + TestCustomers.StandardCsvRow + "\r\n"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    /// <summary>
    /// Thai cultures count years in the Buddhist era (2024 is 2567). The Excel dialect's number format has no calendar,
    /// and dates formatted through it took the current culture's: a nightly server with a Thai locale wrote 2567-01-02.
    /// </summary>
    [TestCase(CsvDialect.Rfc4180)]
    [TestCase(CsvDialect.Excel)]
    public void Write_UnderThaiCulture_WritesGregorianIsoDates(CsvDialect dialect)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("th-TH");
        try
        {
            Assert.That(DateTime.Now.ToString("yyyy", CultureInfo.CurrentCulture), Is.Not.EqualTo(DateTime.Now.ToString("yyyy", CultureInfo.InvariantCulture)), "the culture's calendar is not the Gregorian one");
            using var stream = new MemoryStream();
            CustomerCsvWriter.Write(stream, [TestCustomers.Standard()], dialect: dialect);
            var row = Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n")[1];

            Assert.That(row, Does.StartWith(dialect == CsvDialect.Excel ? "c1;2024-01-02;2024-03-05;" : "c1,2024-01-02,2024-03-05,"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Test]
    public void WriteFile_ParentIsAFile_ThrowsOutputExceptionNamingPath()
    {
        using var temp = new TempFolder();
        var blocker = temp.Combine("blocker");
        File.WriteAllText(blocker, "x");
        var path = Path.Combine(blocker, "customers.csv");

        var ex = Assert.Throws<OutputException>(() => CustomerCsvWriter.WriteFile(path, [TestCustomers.Standard()]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex?.Message, Does.Contain(path));
            Assert.That(ex?.ExitCode, Is.EqualTo(ExitCodes.OutputFailed));
        }
    }

    [Test]
    public void WriteSegmentFiles_ListedSlugs_WritesOneFilePerSlugIncludingEmptyOnes()
    {
        using var temp = new TempFolder();
        ScoredCustomer[] customers =
        [
            TestCustomers.Standard("c1"),
            TestCustomers.OneTime("c2", TestCustomers.Others),
            TestCustomers.Standard("c3"),
        ];

        var written = CustomerCsvWriter.WriteSegmentFiles(temp.Path, customers, ["champions", "at-risk", "others"]);

        var header = string.Join(',', CustomerColumns.Names());
        var champions = Rfc4180.Parse(File.ReadAllText(temp.Combine("segments", "champions.csv")));
        var others = Rfc4180.Parse(File.ReadAllText(temp.Combine("segments", "others.csv")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Is.EqualTo(new[]
            {
                temp.Combine("segments", "champions.csv"), temp.Combine("segments", "at-risk.csv"), temp.Combine("segments", "others.csv"),
            }));
            Assert.That(Directory.GetFiles(temp.Combine("segments")).Select(Path.GetFileName).Order(StringComparer.Ordinal),
                Is.EqualTo(new[] { "at-risk.csv", "champions.csv", "others.csv" }));
            Assert.That(File.ReadAllText(temp.Combine("segments", "at-risk.csv")), Is.EqualTo(header + "\r\n"));
            Assert.That(champions.Select(r => r[0]), Is.EqualTo(new[] { "customer_id", "c1", "c3" }));
            Assert.That(others.Select(r => r[0]), Is.EqualTo(new[] { "customer_id", "c2" }));
            Assert.That(File.ReadAllText(temp.Combine("segments", "champions.csv")), Does.Contain(TestCustomers.StandardCsvRow + "\r\n"));
        }
    }

    [TestCase("../x")]
    [TestCase("A B")]
    [TestCase("Champions")]
    [TestCase("a/b")]
    [TestCase("abc\n")]
    [TestCase("")]
    public void WriteSegmentFiles_InvalidSlug_ThrowsBeforeWritingAnything(string slug)
    {
        using var temp = new TempFolder();
        var output = temp.Combine("out");
        var customer = TestCustomers.Standard() with { Segment = TestCustomers.Champions with { Slug = slug } };

        Assert.Throws<ConfigurationException>(() => CustomerCsvWriter.WriteSegmentFiles(output, [customer], ["champions", slug]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Directory.Exists(output), Is.False);
            Assert.That(Directory.GetFileSystemEntries(temp.Path), Has.Length.EqualTo(0));
        }
    }

    [Test]
    public void WriteSegmentFiles_DuplicateSlug_ThrowsConfigurationException()
    {
        using var temp = new TempFolder();

        Assert.Throws<ConfigurationException>(() =>
            CustomerCsvWriter.WriteSegmentFiles(temp.Path, [TestCustomers.Standard()], ["champions", "champions"]));
    }

    [Test]
    public void WriteSegmentFiles_CustomerInUnlistedSegment_ThrowsArgumentException()
    {
        using var temp = new TempFolder();

        var ex = Assert.Throws<ArgumentException>(() =>
            CustomerCsvWriter.WriteSegmentFiles(temp.Path, [TestCustomers.OneTime("c2", TestCustomers.AtRisk)], ["champions", "others"]));

        Assert.That(ex?.Message, Does.Contain("'at-risk'"));
    }

    [Test]
    public void Write_AllLifecycleStages_WritesLowercaseCodes()
    {
        var customers = Enum.GetValues<LifecycleStage>().Select((s, i) => TestCustomers.OneTime("c" + i, TestCustomers.Others, s));

        var rows = Rfc4180.Parse(WriteToString(customers.Table())).Skip(1);

        Assert.That(rows.Select(r => r[Index("lifecycle_stage")]), Is.EqualTo(new[] { "inactive", "new", "active", "occasional" }));
    }

    private static int Index(string column) => Array.IndexOf(CustomerColumns.Names(), column);

    [TestCase(CsvDialect.Rfc4180)]
    [TestCase(CsvDialect.Excel)]
    public void WriteTableAndSegmentFiles_SegmentColumnsInOtherOrder_SameBytesAsTheWritersApart(CsvDialect dialect)
    {
        using var together = new TempFolder();
        using var apart = new TempFolder();
        ScoredCustomer[] customers =
        [
            TestCustomers.Standard("c1"),
            TestCustomers.OneTime("=c2", TestCustomers.Others),
            TestCustomers.Standard("c,3"),
        ];
        var columns = CustomerColumns.All;
        IReadOnlyList<CustomerColumn> segmentColumns = [columns[8], columns[0], columns[24], CustomerColumns.Churn[1]];
        string[] slugs = ["champions", "at-risk", "others"];

        var written = CustomerCsvWriter.WriteTableAndSegmentFiles(together.Combine("customers.csv"), together.Path, customers, slugs, columns, segmentColumns, dialect);
        CustomerCsvWriter.WriteFile(apart.Combine("customers.csv"), customers, columns, dialect);
        CustomerCsvWriter.WriteSegmentFiles(apart.Path, customers, slugs, segmentColumns, dialect);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(written, Is.EqualTo(slugs.Select(s => together.Combine("segments", s + ".csv"))));
            foreach (var file in new[] { "customers.csv" }.Concat(slugs.Select(s => Path.Combine("segments", s + ".csv"))))
            {
                Assert.That(File.ReadAllBytes(together.Combine(file)), Is.EqualTo(File.ReadAllBytes(apart.Combine(file))), file);
            }

            Assert.That(File.ReadAllText(together.Combine("segments", "others.csv")),
                Does.StartWith("monetary_total,customer_id,rfm_code,churn_risk\r\n").Or.StartWith("\uFEFFmonetary_total;customer_id;rfm_code;churn_risk\r\n"));
            Assert.That(File.ReadAllText(together.Combine("segments", "others.csv")), Does.Contain("\"'=c2\""));
        }
    }

    [TestCase(CsvDialect.Rfc4180)]
    [TestCase(CsvDialect.Excel)]
    public void WriteTableAndSegmentFiles_ListOfManyChunks_SameBytesAsTheOneRowLoop(CsvDialect dialect)
    {
        // A list above ParallelAbove is formatted in parallel chunks; an enumerable goes through the one-row loop.
        // 16.5 chunks of customers in three segments (one segment missing from some chunks), ids that need quoting or
        // the formula neutraliser among them: the files must be the same bytes.
        using var chunked = new TempFolder();
        using var oneRow = new TempFolder();
        var customers = Enumerable.Range(0, CustomerCsvWriter.ParallelAbove + (CustomerCsvWriter.ChunkRows / 2))
            .Select(i => (i % 7) switch
            {
                0 => TestCustomers.OneTime("=c" + i.ToString(CultureInfo.InvariantCulture), TestCustomers.Others),
                1 or 2 => TestCustomers.Standard("c," + i.ToString(CultureInfo.InvariantCulture)),
                _ when i > CustomerCsvWriter.ChunkRows * 3 => TestCustomers.Standard("c" + i.ToString(CultureInfo.InvariantCulture)),
                _ => TestCustomers.OneTime("o" + i.ToString(CultureInfo.InvariantCulture), TestCustomers.AtRisk),
            })
            .Table();
        var columns = CustomerColumns.All;
        IReadOnlyList<CustomerColumn> segmentColumns = [columns[8], columns[0], columns[24]];
        string[] slugs = ["champions", "at-risk", "others"];

        CustomerCsvWriter.WriteTableAndSegmentFiles(chunked.Combine("customers.csv"), chunked.Path, customers, slugs, columns, segmentColumns, dialect);
        CustomerCsvWriter.WriteTableAndSegmentFiles(oneRow.Combine("customers.csv"), oneRow.Path, customers.Select(c => c), slugs, columns, segmentColumns, dialect);

        using (Assert.EnterMultipleScope())
        {
            foreach (var file in new[] { "customers.csv" }.Concat(slugs.Select(s => Path.Combine("segments", s + ".csv"))))
            {
                Assert.That(File.ReadAllBytes(chunked.Combine(file)), Is.EqualTo(File.ReadAllBytes(oneRow.Combine(file))), file);
            }

            Assert.That(File.ReadAllLines(chunked.Combine("customers.csv")), Has.Length.EqualTo(customers.Count + 1));
        }
    }

    [Test]
    public void WriteTableAndSegmentFiles_ListWithAnUnknownSegment_ThrowsTheArgumentException()
    {
        using var temp = new TempFolder();
        var customers = Enumerable.Range(0, CustomerCsvWriter.ParallelAbove + 1).Select(i => TestCustomers.Standard("c" + i.ToString(CultureInfo.InvariantCulture))).Table();

        Assert.That(() => CustomerCsvWriter.WriteTableAndSegmentFiles(temp.Combine("customers.csv"), temp.Path, customers, ["others"], CustomerColumns.All, CustomerColumns.All, CsvDialect.Rfc4180),
            Throws.ArgumentException.With.Message.Contains("not among the 1 segment slugs"));
    }

    [Test]
    public void WriteSegmentFiles_OneColumnWithNull_WritesQuotedEmptyFieldAsCsvHelperDoes()
    {
        using var temp = new TempFolder();
        using var expected = new MemoryStream();
        using (var csv = CsvHelper.CsvWriter.Create(expected, CsvOutput.Options, leaveOpen: true))
        {
            csv.WriteHeader(["churn_risk"]);
            csv.WriteField((string?)null);
            csv.EndRecord();
        }

        var paths = CustomerCsvWriter.WriteSegmentFiles(temp.Path, [TestCustomers.Standard()], ["champions"], [CustomerColumns.Churn[1]]);

        Assert.That(File.ReadAllText(paths[0]), Is.EqualTo("churn_risk\r\n\"\"\r\n").And.EqualTo(Encoding.UTF8.GetString(expected.ToArray())));
    }
}
