using System.Globalization;

namespace CrmAnalytics.Tests.Shared;

/// <summary>
/// A covariate made from CDNOW master: each customer's dollars on their first purchase day, read from the file
/// independently of the summary ("id yyyymmdd cds dollars", whitespace-separated), and whether they are above the median.
/// </summary>
internal static class CdnowFirstPurchase
{
    /// <summary>Each customer's dollars on the first purchase day.</summary>
    public static Dictionary<string, double> Dollars()
    {
        var first = new Dictionary<string, (int Day, double Dollars)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(DatasetPaths.File("cdnow", "CDNOW_master.txt")))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 4 || !char.IsDigit(f[0][0]))
            {
                continue;
            }

            var day = int.Parse(f[1], CultureInfo.InvariantCulture);
            var dollars = double.Parse(f[3], CultureInfo.InvariantCulture);
            first[f[0]] = !first.TryGetValue(f[0], out var seen) || day < seen.Day ? (day, dollars)
                : day == seen.Day ? (day, seen.Dollars + dollars) : seen;
        }

        return first.ToDictionary(p => p.Key, p => p.Value.Dollars, StringComparer.Ordinal);
    }

    /// <summary>Whether each of <paramref name="customers"/> spent more on the first purchase day than the median of them.</summary>
    public static bool[] High(IReadOnlyList<string> customers)
    {
        var first = Dollars();
        var values = customers.Select(c => first[c]).ToArray();
        var median = values.Order().ElementAt(values.Length / 2);
        return values.Select(v => v > median).ToArray();
    }
}
