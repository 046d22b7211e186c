namespace CrmAnalytics.Tests.Shared.Postgres;

/// <summary>Loads the real datasets into a test cluster as text tables whose columns carry the files' header names.</summary>
internal static class PostgresDatasets
{
    /// <summary>CDNOW master (whitespace text) as table <paramref name="table"/> (customer_id, date, number_of_cds, dollar_value), lines unchanged.</summary>
    public static void LoadCdnow(PostgresCluster cluster, string table, string folder)
    {
        var csv = Path.Combine(folder, "cdnow.csv");
        using (var writer = new StreamWriter(csv))
        {
            foreach (var line in File.ReadLines(DatasetPaths.File("cdnow", "CDNOW_master.txt")))
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    writer.WriteLine(string.Join(',', line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)));
                }
            }
        }

        cluster.Psql($"CREATE TABLE {table} (customer_id text, date text, number_of_cds text, dollar_value text);\n\\copy {table} FROM '{csv}' WITH (FORMAT csv, HEADER true)\n");
    }

    /// <summary>Online Retail (CSV) as table <paramref name="table"/>, every column text, empty fields empty strings (as the native reader sees them).</summary>
    public static void LoadOnlineRetail(PostgresCluster cluster, string table)
    {
        var csv = DatasetPaths.File("online_retail", "online_retail.csv");
        var columns = File.ReadLines(csv).First().Split(',');
        cluster.Psql($"CREATE TABLE {table} ({string.Join(", ", columns.Select(c => $"\"{c}\" text"))});\n" +
            $"\\copy {table} FROM '{csv}' WITH (FORMAT csv, HEADER true, FORCE_NOT_NULL ({string.Join(", ", columns.Select(c => $"\"{c}\""))}))\n");
    }
}
