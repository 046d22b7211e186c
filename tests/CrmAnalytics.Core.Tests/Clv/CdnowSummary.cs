using System.Globalization;
using CrmAnalytics.Core.Clv;
using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Core.Tests.Clv;

/// <summary>
/// lifetimes' <c>cdnow_customers_summary.csv</c> (2,357 customers of the CDNOW 1/10 sample, weeks): the data set of
/// Fader, Hardie &amp; Lee (2005) and of the lifetimes, BTYD and BTYDplus reference fits.
/// </summary>
internal static class CdnowSummary
{
    private static readonly Lazy<RepeatPatterns> Lazy = new(Load);

    public static RepeatPatterns Patterns => Lazy.Value;

    private static RepeatPatterns Load()
    {
        var path = DatasetPaths.File("cdnow", "cdnow_customers_summary.csv");
        var rows = File.ReadLines(path).Skip(1).Select(line =>
        {
            var f = line.Split(',');
            return (double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture), double.Parse(f[3], CultureInfo.InvariantCulture));
        });
        return RepeatPatterns.From(rows);
    }
}
