using CrmAnalytics.Tests.Shared;

namespace CrmAnalytics.Cli.Tests.TestSupport;

/// <summary>CDNOW master as the shard tests feed it to DuckDB: a CSV with its header names.</summary>
internal static class CdnowCsv
{
    /// <summary>CDNOW master (whitespace text) as <c>cdnow.csv</c> in <paramref name="temp"/>, for DuckDB's read_csv; returns its path.</summary>
    public static string Write(TempFolder temp) => temp.Write("cdnow.csv", "customer_id,date,number_of_cds,dollar_value\n" + string.Join('\n', File.ReadLines(DatasetPaths.File("cdnow", "CDNOW_master.txt")).Skip(1)
        .Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => string.Join(',', l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))) + "\n");
}
