using System.Globalization;
using CrmAnalytics.Core.Clv.Evaluation;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Core.Tests.Clv;

/// <summary>
/// The full CDNOW master file (23,570 customers, 1997-01-01 to 1998-06-30) read line by line here, independently of
/// the IO readers: "id yyyymmdd cds dollars", whitespace-separated.
/// </summary>
internal static class CdnowMaster
{
    private static readonly Lazy<CustomerSummaryBuilder> Lazy = new(Load);

    /// <summary>The builder holding the whole file's day ledgers.</summary>
    public static CustomerSummaryBuilder Builder => Lazy.Value;

    /// <summary>The window cut at <paramref name="calibrationEnd"/>, holdout to <paramref name="holdoutEnd"/> (exclusive).</summary>
    public static HoldoutSplit Split(DateOnly calibrationEnd, DateOnly holdoutEnd)
    {
        var builder = Lazy.Value;
        var calibration = builder.Build(calibrationEnd).Customers;
        return new HoldoutSplit(calibration, builder.CountOccasions(calibration, calibrationEnd, holdoutEnd), calibrationEnd, holdoutEnd);
    }

    private static CustomerSummaryBuilder Load()
    {
        var builder = new CustomerSummaryBuilder();
        foreach (var line in File.ReadLines(DatasetPaths.File("cdnow", "CDNOW_master.txt")))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 4 || !char.IsDigit(f[0][0]))
            {
                continue;
            }

            builder.AddPurchase(f[0], DateOnly.ParseExact(f[1], "yyyyMMdd", CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
        }

        return builder;
    }
}
