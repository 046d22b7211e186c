namespace CrmAnalytics.IO.Input;

/// <summary>How a transaction file is laid out.</summary>
public enum TransactionFormat
{
    /// <summary>From the extension: .parquet is Parquet, .txt/.dat whitespace-separated, anything else CSV (.gz is looked through).</summary>
    Auto,

    /// <summary>Delimited text (RFC 4180 quoting), read with CsvHelper.</summary>
    Csv,

    /// <summary>Apache Parquet, read with Parquet.Net.</summary>
    Parquet,

    /// <summary>Fields separated by runs of spaces or tabs, no quoting (the CDNOW files).</summary>
    Whitespace,
}

/// <summary>What to do with a row whose amount is exactly zero.</summary>
public enum ZeroAmountPolicy
{
    /// <summary>Reject it as <c>zero_amount</c> (excluded by design; does not count toward the reject rate).</summary>
    Reject,

    /// <summary>Keep it as a purchase occasion worth 0 (CDNOW's free CDs are real purchases).</summary>
    Purchase,
}
