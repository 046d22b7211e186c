using System.Globalization;
using CrmAnalytics.Core.Sampling;
using CsvHelper;

namespace CrmAnalytics.IO.Sampling;

/// <summary>Writes simulated lines as the CSV that the <c>sample</c> preset reads, streaming.</summary>
public static class SampleCsvWriter
{
    public static readonly string[] Header = ["order_id", "customer_id", "date", "sku", "quantity", "unit_price"];

    /// <returns>The number of data lines written.</returns>
    public static long Write(Stream destination, IEnumerable<SimulatedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        using var writer = CsvWriter.Create(destination, new CsvWriterOptions { NewLine = "\n" }, leaveOpen: true);
        writer.WriteHeader(Header);
        long count = 0;
        foreach (var line in lines)
        {
            writer.WriteField(line.OrderId);
            writer.WriteField(line.CustomerId);
            writer.WriteField(line.Timestamp, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            writer.WriteField(line.Sku);
            writer.WriteField(line.Quantity, default);
            writer.WriteField(line.UnitPrice, "0.00", CultureInfo.InvariantCulture);
            writer.EndRecord();
            count++;
        }

        return count;
    }
}
