using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Stages.Clv;
using CrmAnalytics.IO.Summary;
using CrmAnalytics.Stages.Churn;
using CrmAnalytics.Core.Drift;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.Input;
using CrmAnalytics.IO.Input.Attributes;
using CrmAnalytics.IO.Input.Surveys;

namespace CrmAnalytics.Stages.Score;

/// <summary>What the read stage hands on: the accepted inputs and the as-of date they were checked against.</summary>
/// <param name="Surveys">The survey responses, when <c>--surveys</c> was given and there are transactions.</param>
internal sealed record RunInput(TransactionReadResult Transactions, DateOnly AsOf, CustomerAttributesReadResult? Attributes, SurveyReadResult? Surveys);

/// <summary>The survey file's accounting and the NPS the join computed.</summary>
internal sealed record SurveyJoin(InputSummary Input, NpsSummary Summary);

/// <summary>The previous run's comparison: the summary.json section and the rows of changes.csv.</summary>
internal sealed record DriftResult(DriftSummary Summary, IReadOnlyList<CustomerChange> Changes);

/// <summary>The CLV models fitted at the as-of date, before any customer's columns.</summary>
/// <param name="Options">The run's CLV options, with the model the holdout check chose.</param>
/// <param name="Holdout">The holdout check; null with <c>--models</c>.</param>
internal sealed record ClvFitted(ClvScoringOptions Options, ClvFits Fits, ClvHoldoutOutcome? Holdout)
{
    /// <summary>With covariates, the covariate model's columns, computed with its fit; null without.</summary>
    public ClvScoringResult? Scored { get; init; }

    public ClvCovariateSummary? Covariates { get; init; }

    /// <summary>The purchase model the CLV columns come from.</summary>
    public IPurchaseModel PurchaseModel => Scored?.PurchaseModel ?? Fits.Purchase;
}

/// <summary>
/// One scoring run as it flows forward: each stage after scoring returns a copy with its results added. Every stage
/// reads the customers at the as-of date from <see cref="Snapshot"/>, computed once.
/// </summary>
/// <param name="Snapshot">The summary and RFM scores, and the purchase-model fit once the value stage ran.</param>
/// <param name="Scoring">RFM segments, lifecycle stages, tiers and the KPIs.</param>
internal sealed record ScoreRun(RunInput Input, CustomerSnapshot Snapshot, ScoringResult Scoring)
{
    /// <summary>The customer table, aligned with the snapshot's customers; each model stage adds its columns.</summary>
    public ScoredCustomers Customers { get; init; } = Scoring.Customers;

    /// <summary>The CLV fits at the as-of date, from the CLV fit stage until the value stage adds the columns; null otherwise.</summary>
    public ClvFitted? ClvFit { get; init; }

    /// <summary>The churn model, from churn training until churn scoring; null otherwise.</summary>
    public ChurnTraining? ChurnTraining { get; init; }

    /// <summary>The CLV section of summary.json; null when CLV is off.</summary>
    public ClvSummary? Clv { get; init; }

    /// <summary>Why the CLV models were skipped (too little or too flat data); null when they were fitted or are off.</summary>
    public string? ClvSkipped { get; init; }

    /// <summary>The churn section and warning list; null when churn is off.</summary>
    public ChurnStageResult? Churn { get; init; }

    /// <summary>Why churn was skipped (too little or too flat data); null when it was scored or is off.</summary>
    public string? ChurnSkipped { get; init; }

    /// <summary>With <c>--shard</c>, the input's customers left out because their id hashes to another shard; null without.</summary>
    public int? CustomersOutsideShard { get; init; }

    /// <summary>Null without surveys.</summary>
    public SurveyJoin? Nps { get; init; }

    /// <summary>Null when there is no previous run to compare with.</summary>
    public DriftResult? Drift { get; init; }

    /// <summary>The files written so far, relative to the output folder.</summary>
    public IReadOnlyList<string> Outputs { get; init; } = [];
}
