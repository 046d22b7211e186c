using CrmAnalytics.Core.Transactions;

namespace CrmAnalytics.IO.Input;

/// <summary>Receives every rejected row, in input order, with where and why.</summary>
public interface IRejectSink
{
    /// <param name="file">The input file name (no directory).</param>
    /// <param name="line">1-based line where the record starts (the header is line 1), or the row number for Parquet.</param>
    /// <param name="column">The source column at fault, or empty when the whole record is.</param>
    /// <param name="rawRecord">The record as it appears in the input, UTF-8.</param>
    void Reject(string file, long line, string column, RejectReason reason, ReadOnlySpan<byte> rawRecord);
}

/// <summary>Discards rejects (they are still counted in the row accounting).</summary>
public sealed class NullRejectSink : IRejectSink
{
    public static NullRejectSink Instance { get; } = new();

    public void Reject(string file, long line, string column, RejectReason reason, ReadOnlySpan<byte> rawRecord)
    {
    }
}
