using CrmAnalytics.Core.Rfm;
using CrmAnalytics.IO.CustomerTable;

namespace CrmAnalytics.IO.Publishing;

/// <summary>The names of the files a run publishes in its output folder (DESIGN.md, "Outputs").</summary>
public static class OutputFileNames
{
    public const string CustomersCsv = "customers.csv";

    public const string CustomersParquet = "customers.parquet";

    /// <summary>The folder of the per-segment files <c>segments/&lt;slug&gt;.csv</c>.</summary>
    public const string SegmentsFolder = "segments";

    public const string Summary = "summary.json";

    public const string Rejects = "rejects.csv";

    public const string Report = "report.html";

    /// <summary>The churn warning list: capped, high-risk customers by expected value lost, with a contact plan.</summary>
    public const string ChurnWarning = SegmentsFolder + "/" + Slug.ChurnWarning + ".csv";

    /// <summary>Customers new or changed since the previous run (segment, lifecycle stage, churn risk band).</summary>
    public const string Changes = SegmentsFolder + "/" + Slug.Changes + ".csv";

    /// <summary>The path of a segment file relative to the output folder, with '/' separators: <c>segments/&lt;slug&gt;.csv</c>.</summary>
    public static string SegmentFile(string slug)
    {
        SegmentSlug.Validate(slug);
        return SegmentsFolder + "/" + slug + ".csv";
    }
}
