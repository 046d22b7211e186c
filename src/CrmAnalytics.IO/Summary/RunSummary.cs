using System.Collections.Immutable;
using System.Text.Json;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Publishing;

namespace CrmAnalytics.IO.Summary;

/// <summary>
/// The content of <c>summary.json</c>: what was read (with hashes and row accounting), the as-of date, the parameters,
/// aggregates, metrics and timings of one run. Written by <see cref="RunSummaryWriter"/> with snake_case names, in
/// the declaration order below.
/// </summary>
/// <remarks>
/// Only this file carries wall-clock values (<see cref="StartedAtUtc"/>, <see cref="FinishedAtUtc"/>,
/// <see cref="TimingsMs"/>); the data files never do, so reruns on the same input give byte-identical data files.
/// Dictionaries are written with their keys in ordinal order, whatever order they were built in.
/// </remarks>
public sealed record RunSummary
{
    private readonly IReadOnlyDictionary<string, JsonElement> _parameters = ImmutableSortedDictionary.Create<string, JsonElement>(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, long> _timingsMs = ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, long> _peakWorkingSetBytesByStage = ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);

    /// <summary>The engine's version, e.g. "0.1.0".</summary>
    public required string ToolVersion { get; init; }

    /// <summary>The command-line arguments, one element each (the program name excluded).</summary>
    public required IReadOnlyList<string> CommandLine { get; init; }

    public DateTimeOffset? StartedAtUtc { get; init; }

    public DateTimeOffset? FinishedAtUtc { get; init; }

    /// <summary>The as-of date every age and recency is measured against; written as yyyy-MM-dd.</summary>
    public required DateOnly AsOf { get; init; }

    /// <summary>The job file of a <c>crm run</c>, with its hash; null when the run came from the command line alone.</summary>
    public JobFileSummary? JobFile { get; init; }

    public required IReadOnlyList<InputSummary> Inputs { get; init; }

    public required CustomerCountSummary Customers { get; init; }

    public IReadOnlyList<SegmentSummary> Segments { get; init; } = [];

    public IReadOnlyList<LifecycleSummary> Lifecycle { get; init; } = [];

    /// <summary>The seed KPIs, every field of <see cref="CustomerKpis"/>; null when they were not computed.</summary>
    public CustomerKpis? Kpis { get; init; }

    /// <summary>The fitted CLV models and valuation, or why they were skipped; null when CLV was off (<c>--clv-model none</c>).</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(ModelSectionJsonConverter<ClvSummary>))]
    public ModelSection<ClvSummary>? Clv { get; init; }

    /// <summary>The churn model, its evaluation and the risk bands, or why churn was skipped; null when churn was off.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(ModelSectionJsonConverter<ChurnSummary>))]
    public ModelSection<ChurnSummary>? Churn { get; init; }

    /// <summary>NPS from the survey export (<c>--surveys</c>); null when no surveys were given.</summary>
    public NpsSummary? Nps { get; init; }

    /// <summary>The comparison with the previous run published to the same folder; null on a first run.</summary>
    public DriftSummary? Drift { get; init; }

    /// <summary>
    /// The options each stage ran with, by stage name (e.g. "read", "rfm", "lifecycle"): any JSON value, usually an
    /// object. Build values with <see cref="JsonSerializer.SerializeToElement{TValue}(TValue, System.Text.Json.Serialization.Metadata.JsonTypeInfo{TValue})"/>
    /// or <see cref="JsonElement.Clone"/>, so they outlive any <see cref="JsonDocument"/>.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement> Parameters
    {
        get => _parameters;
        init => _parameters = SortedKeys.Of(value);
    }

    /// <summary>Wall-clock milliseconds by stage name.</summary>
    public IReadOnlyDictionary<string, long> TimingsMs
    {
        get => _timingsMs;
        init => _timingsMs = SortedKeys.Of(value);
    }

    /// <summary>The process's peak working set when the summary was written, in bytes (RSS high-water mark).</summary>
    public long? PeakWorkingSetBytes { get; init; }

    /// <summary>
    /// The process's peak working set right after each stage, in bytes, by the stage names of <see cref="TimingsMs"/>
    /// (without <c>total</c>): a high-water mark, so a stage's value is the peak of the run up to its end, and the first
    /// stage whose value jumps is the one that needed the memory.
    /// </summary>
    public IReadOnlyDictionary<string, long> PeakWorkingSetBytesByStage
    {
        get => _peakWorkingSetBytesByStage;
        init => _peakWorkingSetBytesByStage = SortedKeys.Of(value);
    }

    /// <summary>The files published, relative to the output folder with '/' separators (e.g. "segments/champions.csv").</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];

    /// <summary>The process exit code of the run (0 = ok; see the README).</summary>
    public required int ExitCode { get; init; }
}

/// <summary>One input file: its identity and the proof that every row was accepted or rejected.</summary>
/// <param name="Path">The path as given on the command line.</param>
/// <param name="Format">The input format or preset, e.g. "csv", "parquet", "online-retail".</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the file's bytes.</param>
/// <param name="RowsRead">= <paramref name="RowsAccepted"/> + <paramref name="RowsRejected"/>.</param>
/// <param name="RowsMalformed">Rejected rows that count toward <c>--max-reject-rate</c>.</param>
/// <param name="MalformedRate"><paramref name="RowsMalformed"/> / <paramref name="RowsRead"/>; 0 for an empty input.</param>
/// <param name="RejectsByReason">Rejected rows by reason code (only reasons that occurred), keys in ordinal order.</param>
public sealed record InputSummary(
    string Path,
    string Format,
    string Sha256,
    long SizeBytes,
    long RowsRead,
    long RowsAccepted,
    long RowsRejected,
    long RowsMalformed,
    double MalformedRate,
    IReadOnlyDictionary<string, long> RejectsByReason)
{
    private readonly IReadOnlyDictionary<string, long> _rejectsByReason = SortedKeys.Of(RejectsByReason);

    public IReadOnlyDictionary<string, long> RejectsByReason
    {
        get => _rejectsByReason;
        init => _rejectsByReason = SortedKeys.Of(value);
    }

    /// <summary>The entry of an input whose hash and size are already known.</summary>
    public static InputSummary From(string path, string format, string sha256, long sizeBytes, RowAccounting accounting)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(sha256);
        ArgumentNullException.ThrowIfNull(accounting);
        return new InputSummary(
            path,
            format,
            sha256,
            sizeBytes,
            accounting.RowsRead,
            accounting.RowsAccepted,
            accounting.RowsRejected,
            accounting.RowsMalformed,
            accounting.MalformedRate,
            accounting.ByReason());
    }

    /// <summary>The entry of an input file, hashing it (streaming) and taking its size from the file system.</summary>
    /// <exception cref="Core.InputException">The file cannot be read.</exception>
    public static InputSummary ForFile(string path, string format, RowAccounting accounting)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (hash, size) = Publishing.Sha256.HashFileWithSize(path);
        return From(path, format, hash, size, accounting);
    }
}

/// <param name="Count">Customers in the customer table.</param>
/// <param name="WithoutPurchases">Known customers (e.g. from the attributes file) with no accepted purchase, not in the table.</param>
public sealed record CustomerCountSummary(long Count, long WithoutPurchases)
{
    /// <summary>
    /// A shard run's (<c>--shard i/n</c>) customers with a purchase in the input whose id hashes to another shard, so
    /// not scored: 0 when the input was pre-partitioned by the shard key, which <c>crm merge</c> checks; null without <c>--shard</c>.
    /// </summary>
    public long? OutsideShard { get; init; }
}

/// <summary>One RFM segment: customers, net revenue, and their shares of all customers and of total net revenue.</summary>
public sealed record SegmentSummary(string Name, string Slug, long Customers, double Revenue, double CustomerShare, double RevenueShare)
{
    public static SegmentSummary From(SegmentStat stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        return new SegmentSummary(stat.Name, stat.Slug, stat.Customers, stat.Revenue, stat.CustomerShare, stat.RevenueShare);
    }
}

/// <summary>One lifecycle stage (its lowercase code, as in the customer table), with customers and net revenue.</summary>
public sealed record LifecycleSummary(string Stage, long Customers, double Revenue)
{
    public static LifecycleSummary From(LifecycleStat stat)
    {
        ArgumentNullException.ThrowIfNull(stat);
        return new LifecycleSummary(CustomerColumns.LifecycleStageCode(stat.Stage), stat.Customers, stat.Revenue);
    }
}

/// <summary>Dictionaries of the summary keep their keys in ordinal order, so the JSON does not depend on insertion order.</summary>
internal static class SortedKeys
{
    public static ImmutableSortedDictionary<string, T> Of<T>(IReadOnlyDictionary<string, T> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value is ImmutableSortedDictionary<string, T> sorted && ReferenceEquals(sorted.KeyComparer, StringComparer.Ordinal)
            ? sorted
            : value.ToImmutableSortedDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }
}

/// <summary>The job file a run was described by: its full path and the lowercase hex SHA-256 of its bytes.</summary>
public sealed record JobFileSummary(string Path, string Sha256);
