using System.Globalization;
using CrmAnalytics.Core.Clv.GammaGamma;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Core.Tests.Clv.GammaGamma;

/// <summary>
/// lifetimes' <c>cdnow_customers_summary_with_transactions.csv</c>: the 2,357 customers of the CDNOW 1/10 sample with
/// x and the mean value z̄ of their repeat transactions (0 when x = 0), in file order. The data of Fader, Hardie &amp;
/// Lee (2005, "RFM and CLV") and of lifetimes' Gamma-Gamma example, whose 946 repeat buyers are the fitted patterns.
/// </summary>
internal static class CdnowSpend
{
    private static readonly Lazy<(double X, double MeanValue)[]> LazyRows = new(Load);

    private static readonly Lazy<SpendPatterns> LazyPatterns = new(() => SpendPatterns.From(Rows));

    public static (double X, double MeanValue)[] Rows => LazyRows.Value;

    public static SpendPatterns Patterns => LazyPatterns.Value;

    private static (double X, double MeanValue)[] Load()
    {
        var path = DatasetPaths.File("cdnow", "cdnow_customers_summary_with_transactions.csv");
        return File.ReadLines(path).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture));
        }).ToArray();
    }
}
