using CrmAnalytics.Interop;
using CrmAnalytics.IO.Input;
using Microsoft.Data.Analysis;

namespace CrmAnalytics;

/// <summary>
/// Scores a customer base in memory: the stages of <c>crm score</c> (read and validate, summarize, RFM segments,
/// lifecycle and value tier, CLV, churn) without any output files. The same options give the same numbers as
/// <c>crm score</c>'s <c>customers.csv</c>.
/// </summary>
public static class Scorecard
{
    /// <summary>Scores transactions held as a list. <see cref="ScorecardOptions.Map"/> does not apply: the fields are the <see cref="Transaction"/>'s.</summary>
    /// <exception cref="Core.ConfigurationException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="Core.RejectThresholdException">Too many rows are malformed or excluded.</exception>
    /// <exception cref="Core.ModelFitException">A model could not be fitted.</exception>
    public static Task<ScorecardResult> ScoreAsync(IEnumerable<Transaction> transactions, ScorecardOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var rows = transactions as IReadOnlyList<Transaction> ?? transactions.ToArray();
        var columns = TransactionColumns.From(rows);
        return ScorecardRun.RunAsync(options ?? new(), TransactionColumns.Source, read => read with { Mapping = TransactionColumns.Mapping, HasHeader = true },
            (read, rejects, log, _) => ScorecardRun.ReadTable(TransactionColumns.Source, columns, read, rejects, log), cancellationToken);
    }

    /// <summary>
    /// Scores transactions held in a <see cref="DataFrame"/>. Its columns are found by name with the preset's mapping and
    /// <see cref="ScorecardOptions.Map"/>, as a file's header; text columns are parsed as CSV fields are, numeric and
    /// <see cref="DateTime"/> columns are used as they are. A rejected row is reported with its column and 0-based row index.
    /// </summary>
    /// <exception cref="Core.ConfigurationException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="Core.InputException">A mapped column is missing or of a type its field cannot use.</exception>
    /// <exception cref="Core.RejectThresholdException">Too many rows are malformed or excluded.</exception>
    /// <exception cref="Core.ModelFitException">A model could not be fitted.</exception>
    public static Task<ScorecardResult> ScoreAsync(DataFrame transactions, ScorecardOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var columns = DataFrameTransactions.Columns(transactions);
        return ScorecardRun.RunAsync(options ?? new(), DataFrameTransactions.Source, read => read with { HasHeader = true },
            (read, rejects, log, _) => ScorecardRun.ReadTable(DataFrameTransactions.Source, columns, read, rejects, log), cancellationToken);
    }

    /// <summary>Scores a transaction export (CSV, CSV.gz, whitespace text or Parquet) read as <c>crm score</c> reads it, with the preset and <see cref="ScorecardOptions.Map"/>.</summary>
    /// <exception cref="Core.ConfigurationException">The options are invalid (every problem is listed).</exception>
    /// <exception cref="Core.InputException">The file cannot be read, or a mapped column is missing.</exception>
    /// <exception cref="Core.RejectThresholdException">Too many rows are malformed or excluded.</exception>
    /// <exception cref="Core.ModelFitException">A model could not be fitted.</exception>
    public static Task<ScorecardResult> ScoreFileAsync(string path, ScorecardOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ScorecardRun.RunAsync(options ?? new(), path, read => read,
            async (read, rejects, log, ct) => (await Stages.Input.TransactionIngest.ReadAsync(path, read, rejects, log, ct).ConfigureAwait(false)).Result, cancellationToken);
    }
}
