using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Cli.Tests.TestSupport;

/// <summary>The job options of <c>crm score samples/transactions.csv --preset sample</c>, for tests that run its stages in process.</summary>
internal static class SampleJob
{
    /// <summary>Every reject accepted, default scoring and CLV; no churn (set <see cref="ScoreJobOptions.Churn"/>).</summary>
    public static ScoreJobOptions Options(string outputDirectory) => new()
    {
        Transactions = Crm.SampleTransactions,
        Read = TransactionPresets.All["sample"],
        Preset = "sample",
        MaxRejectRate = 1,
        MaxExcludedRate = 1,
        OutputDirectory = outputDirectory,
        Scoring = new CustomerScoringOptions(),
        Clv = new ClvScoringOptions(),
    };
}
