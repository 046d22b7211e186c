using System.Text;
using CrmAnalytics.IO.CustomerTable;
using CsvHelper;

namespace CrmAnalytics.IO.Tests.CustomerTable;

/// <summary>The row writer against CsvHelper's writer with the same options: the bytes must be the same, cell by cell.</summary>
[TestFixture]
public sealed class CsvRowWriterTests
{
    private static readonly string?[] Texts =
    [
        null, string.Empty, "plain", "Zoë", "顧客", "a,b", "a;b", "say \"hi\"", "\"", "\"\"", "line\nbreak", "cr\rhere", "crlf\r\n",
        "=1+1", "+1", "-x", "@a", "\tcmd", "\rx", "'", "'=x", "''", " padded ", "=a,\"b\"", "-", "x\uD800y", "\uDC00", "tab\tinside",
        "ends with ,", "545", "Can't Lose Them",
    ];

    private static readonly double[] Doubles =
    [
        0.0, -0.0, 1.0, -5.5, 144.74, 0.123457, 1.23457e-07, 1234570, 1e21, 1e-5, 123456789012345.67, double.MaxValue, double.Epsilon,
        double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1.0 / 3,
    ];

    private static readonly int[] Integers = [0, 1, -1, 42, int.MaxValue, int.MinValue];

    private static readonly DateOnly[] Dates = [new(2024, 1, 2), DateOnly.MinValue, DateOnly.MaxValue, new(1997, 12, 31)];

    [TestCase(CsvDialect.Rfc4180)]
    [TestCase(CsvDialect.Excel)]
    public void Cells_EveryKindOfValue_SameBytesAsCsvHelper(CsvDialect dialect)
    {
        var row = new CsvRowWriter(dialect, 1);
        var expected = new List<byte[]>();
        var actual = new List<byte[]>();
        void Compare(Action<CsvWriter> csvHelper, Action<CsvRowWriter> mine)
        {
            using var stream = new MemoryStream();
            using (var csv = CsvWriter.Create(stream, CsvOutput.For(dialect) with { WriteByteOrderMark = false }, leaveOpen: true))
            {
                csv.WriteField("x"); // a record of one empty field is written "", which is not the cell's text
                csvHelper(csv);
                csv.EndRecord();
                csv.Flush();
            }

            expected.Add(stream.ToArray()[2..^2]); // without "x", the separator and the CRLF
            row.Clear();
            mine(row);
            actual.Add(row.Cell(0).ToArray());
        }

        foreach (var text in Texts)
        {
            Compare(csv => CsvOutput.WriteText(csv, text), w => w.Text(text));
        }

        foreach (var value in Doubles)
        {
            Compare(csv => csv.WriteField(value, ReadOnlySpan<char>.Empty), w => w.Number(value));
        }

        foreach (var value in Integers)
        {
            Compare(csv => csv.WriteField(value, ReadOnlySpan<char>.Empty), w => w.Number(value));
        }

        foreach (var value in Dates)
        {
            Compare(csv => csv.WriteField(value, "yyyy-MM-dd"), w => w.Date(value));
        }

        Compare(csv => csv.WriteField((double?)null, ReadOnlySpan<char>.Empty), w => w.Null());

        Assert.That(actual.Select(Encoding.UTF8.GetString), Is.EqualTo(expected.Select(Encoding.UTF8.GetString)));
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Cell_SeveralCellsInARow_EachKeepsItsBytes()
    {
        var row = new CsvRowWriter(CsvDialect.Rfc4180, 1);
        row.Text("a,b");
        row.Number(12);
        row.Null();
        row.Date(new DateOnly(2024, 1, 2));
        row.Text(new string('x', 10_000));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(row.Count, Is.EqualTo(5));
            Assert.That(Encoding.UTF8.GetString(row.Cell(0)), Is.EqualTo("\"a,b\""));
            Assert.That(Encoding.UTF8.GetString(row.Cell(1)), Is.EqualTo("12"));
            Assert.That(row.Cell(2).Length, Is.Zero);
            Assert.That(Encoding.UTF8.GetString(row.Cell(3)), Is.EqualTo("2024-01-02"));
            Assert.That(row.Cell(4).Length, Is.EqualTo(10_000));
        }

        row.Clear();
        row.Number(7.5);
        Assert.That((row.Count, Encoding.UTF8.GetString(row.Cell(0))), Is.EqualTo((1, "7.5")));
    }
}
