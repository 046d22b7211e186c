using System.Globalization;
using CrmAnalytics.Cli;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Tests.Shared;
using Microsoft.Data.Analysis;

namespace CrmAnalytics.Tests;

/// <summary>Runs <c>crm</c> in process and reads what it wrote, for the parity tests.</summary>
internal static class CrmRun
{
    /// <summary>Runs <c>crm score</c> into a fresh temporary folder; returns the folder (the caller deletes it).</summary>
    public static string Score(params string[] args)
    {
        var outDir = Path.Combine(Directory.CreateTempSubdirectory("crm-lib-tests-").FullName, "out");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = CrmCli.Run(["score", .. args, "--out", outDir, "--format", "csv"], output, error);
        Assert.That(exit, Is.EqualTo(0), error.ToString());
        return outDir;
    }

    /// <summary>A CSV file as a DataFrame of text columns (the engine parses the text, as it parses a file).</summary>
    public static DataFrame TextFrame(string path, char separator = ',')
    {
        var header = File.ReadLines(path).First().Split(separator);
        return DataFrame.LoadCsv(path, separator, dataTypes: Enumerable.Repeat(typeof(string), header.Length).ToArray());
    }

    /// <summary>A whitespace-separated text file with a header (CDNOW master) as a DataFrame of text columns.</summary>
    public static DataFrame WhitespaceTextFrame(string path)
    {
        var lines = File.ReadLines(path).Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length > 0).ToArray();
        return new DataFrame(lines[0].Select((name, c) => new StringDataFrameColumn(name, lines.Skip(1).Select(f => f[c]))));
    }

    /// <summary>
    /// Asserts that <paramref name="table"/> holds the customers of <paramref name="customersCsv"/> with the same columns
    /// and, customer by customer, the same values to the CSV's documented rounding (money to cents, the rest to 6
    /// significant digits).
    /// </summary>
    public static void AssertSameCustomers(DataFrame table, string customersCsv)
    {
        var csv = TextFrame(customersCsv);
        Assert.That(table.Columns.Select(c => c.Name), Is.EqualTo(csv.Columns.Select(c => c.Name)));
        Assert.That(table.Rows.Count, Is.EqualTo(csv.Rows.Count));
        var csvRow = Enumerable.Range(0, (int)csv.Rows.Count).ToDictionary(i => (string)csv["customer_id"][i], i => i, StringComparer.Ordinal);
        var rounding = CustomerColumns.All.Concat(CustomerColumns.Churn).Concat(CustomerColumns.Clv(12, intervals: true)).Concat(CustomerColumns.Clv(6, intervals: true))
            .GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().Rounding);
        var mismatches = new List<string>();
        for (var i = 0; i < table.Rows.Count; i++)
        {
            var id = (string)table["customer_id"][i];
            var j = csvRow[id];
            foreach (var column in table.Columns)
            {
                var expected = (string?)csv[column.Name][j] ?? string.Empty;
                if (!Same(column[i], expected, rounding.GetValueOrDefault(column.Name)))
                {
                    mismatches.Add($"{id} {column.Name}: library {Convert.ToString(column[i], CultureInfo.InvariantCulture)}, crm '{expected}'");
                }
            }
        }

        Assert.That(mismatches, Is.Empty, string.Join(Environment.NewLine, mismatches.Take(20)));
    }

    private static bool Same(object? actual, string expected, CsvRounding? rounding) => actual switch
    {
        null => expected.Length == 0,
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) == expected,
        double v => double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var e)
            && Math.Abs(v - e) <= (rounding == CsvRounding.Cents ? 0.005 + (1e-12 * Math.Abs(v)) : 5.0001e-6 * Math.Abs(v)),
        int n => n.ToString(CultureInfo.InvariantCulture) == expected,
        _ => Convert.ToString(actual, CultureInfo.InvariantCulture) == expected,
    };

    /// <summary>rows_read, rows_accepted and rows_rejected of summary.json's first input.</summary>
    public static (long Read, long Accepted, long Rejected) Accounting(string outDir)
    {
        using var stream = File.OpenRead(Path.Combine(outDir, "summary.json"));
        var input = RunSummaryWriter.Read(stream).Inputs[0];
        return (input.RowsRead, input.RowsAccepted, input.RowsRejected);
    }

    public static string Dataset(params string[] parts) => DatasetPaths.File(parts);

    public static void Delete(string outDir) => Directory.Delete(Path.GetDirectoryName(outDir)!, recursive: true);
}
