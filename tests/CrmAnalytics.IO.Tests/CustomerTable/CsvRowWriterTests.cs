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

    [TestCase(CsvDialect.Rfc4180, CsvRounding.Cents)]
    [TestCase(CsvDialect.Excel, CsvRounding.Cents)]
    [TestCase(CsvDialect.Rfc4180, CsvRounding.SignificantDigits6)]
    [TestCase(CsvDialect.Excel, CsvRounding.SignificantDigits6)]
    public void Rounded_SeededValuesAndEdgeCases_SameBytesAsFormattingTheRoundedDouble(CsvDialect dialect, CsvRounding rounding)
    {
        var row = new CsvRowWriter(dialect, 2);
        var mismatches = new List<string>();
        var values = RoundingCases(rounding).ToList();
        foreach (var value in values)
        {
            row.Clear();
            row.Rounded(value, rounding);
            row.Number(CustomerCsvWriter.Round(value, rounding));
            if (!row.Cell(0).SequenceEqual(row.Cell(1)) && mismatches.Count < 20)
            {
                mismatches.Add($"{value:R}: {Encoding.UTF8.GetString(row.Cell(0))} != {Encoding.UTF8.GetString(row.Cell(1))}");
            }
        }

        Assert.That(values, Has.Count.GreaterThan(400_000));
        Assert.That(mismatches, Is.Empty);
    }

    [TestCase(12.5, CsvRounding.Cents, "12.5")]
    [TestCase(100.0, CsvRounding.Cents, "100")]
    [TestCase(-0.001, CsvRounding.Cents, "-0")]
    [TestCase(-7.005, CsvRounding.Cents, "-7.01")]
    [TestCase(0.07, CsvRounding.Cents, "0.07")]
    [TestCase(9999999999999.994, CsvRounding.Cents, "9999999999999.99")]
    [TestCase(1e15, CsvRounding.Cents, "1000000000000000")]
    [TestCase(double.NaN, CsvRounding.Cents, "NaN")]
    [TestCase(0.000123456789, CsvRounding.SignificantDigits6, "0.000123457")]
    [TestCase(999999.4, CsvRounding.SignificantDigits6, "999999")]
    [TestCase(999999.6, CsvRounding.SignificantDigits6, "1000000")]
    [TestCase(-0.0, CsvRounding.SignificantDigits6, "-0")]
    [TestCase(double.NegativeInfinity, CsvRounding.SignificantDigits6, "-Infinity")]
    public void Rounded_EdgeCase_WritesThePeoplesDigits(double value, CsvRounding rounding, string expected)
    {
        var row = new CsvRowWriter(CsvDialect.Rfc4180, 1);
        row.Rounded(value, rounding);
        Assert.That(Encoding.UTF8.GetString(row.Cell(0)), Is.EqualTo(expected));
    }

    /// <summary>
    /// Seeded values for a rounding rule: fixed edge cases, every neighbour of the rounding boundaries a few ulps away,
    /// money-like sums, uniform values over every magnitude, and random bit patterns (NaN, ±∞, subnormals).
    /// </summary>
    private static IEnumerable<double> RoundingCases(CsvRounding rounding)
    {
        double[] fixedCases =
        [
            0.0, -0.0, 0.004999, -0.004999, 0.005, -0.005, 0.01, 0.1, 0.7, 12.5, 100, -100, 0.125, -0.125, 144.73999999999998,
            36.184999999999995, 1e13, 1e13 - 0.01, 9999999999999.994, 9999999999999.996, 1e15, 1e16, 1e21, double.MaxValue,
            double.MinValue, double.Epsilon, -double.Epsilon, double.NaN, double.PositiveInfinity, double.NegativeInfinity,
            1e-5, 1e-4, 0.0001234565, 999999.5, 999999.49999, 99999.95, 0.99999949999, 0.9999995, 123456.5, 1e6, 1e-6,
        ];
        foreach (var value in fixedCases)
        {
            yield return value;
        }

        var random = new Random(20261128);
        for (var i = 0; i < 100_000; i++)
        {
            // Uniform over a random magnitude from 10^-9 to 10^17, either sign.
            var magnitude = Math.Pow(10, random.Next(-9, 18));
            var value = random.NextDouble() * magnitude * (random.Next(2) == 0 ? 1 : -1);
            yield return value;

            // Near the rounding boundary of the rule: a half cent, or a half unit in the 6th digit, ± a few ulps.
            var boundary = rounding == CsvRounding.Cents
                ? (Math.Floor(value * 100) + 0.5) / 100
                : double.Parse(value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)
                  + (Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(value))) - 5) / 2);
            yield return boundary;
            yield return Math.BitIncrement(boundary);
            yield return Math.BitDecrement(boundary);

            // A money-like sum: prices in cents times quantities, added in binary.
            var sum = 0.0;
            for (var line = random.Next(1, 20); line > 0; line--)
            {
                sum += random.Next(1, 100_000) / 100.0 * random.Next(1, 12);
            }

            yield return random.Next(4) == 0 ? -sum : sum;

            // Any bit pattern: NaN, ±∞, subnormals and huge values.
            yield return BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
        }
    }
}
