using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Value;
using CrmAnalytics.Core.Pipeline;

namespace CrmAnalytics;

/// <summary>
/// The settings of a scorecard: the same names and defaults as <c>crm score</c>'s options (the README lists them).
/// Every setting is checked before any data is read, and every problem is reported together.
/// </summary>
public sealed record ScorecardOptions
{
    /// <summary>Named read settings, as <c>--preset</c>: <c>generic</c> (default), <c>online-retail</c>, <c>cdnow</c>, <c>cdnow-sample</c>, <c>sample</c>.</summary>
    public string Preset { get; init; } = "generic";

    /// <summary>Column mapping overrides on top of the preset, as <c>--map</c>: <c>customer_id=Customer ID,date=InvoiceDate</c>; null keeps the preset's.</summary>
    public string? Map { get; init; }

    /// <summary>The exact .NET format of text dates, as <c>--date-format</c>; null keeps the preset's (ISO 8601 for <c>generic</c>).</summary>
    public string? DateFormat { get; init; }

    /// <summary>The as-of date, as <c>--as-of</c>; null is the day after the last accepted transaction.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Fail when malformed rows exceed this share of rows read, as <c>--max-reject-rate</c> (0 to 1).</summary>
    public double MaxRejectRate { get; init; } = 0.05;

    /// <summary>Fail when rows excluded by design that lose data exceed this share of rows read, as <c>--max-excluded-rate</c> (0 to 1).</summary>
    public double MaxExcludedRate { get; init; } = 0.9;

    /// <summary>
    /// The purchase model, as <c>--clv-model</c> of <c>crm score</c>: <c>auto</c> (default: the lowest holdout MAE of the
    /// three), <c>bgnbd</c>, <c>paretonbd</c>, <c>mbgnbd</c>, or <c>none</c> (no CLV).
    /// </summary>
    public string ClvModel { get; init; } = ClvScoringOptions.Auto;

    /// <summary>The CLV horizon in 30.4375-day months, as <c>--clv-horizon-months</c>; the column is <c>clv_&lt;H&gt;m</c>.</summary>
    public int ClvHorizonMonths { get; init; } = new ClvOptions().HorizonMonths;

    /// <summary>The monthly discount rate of the CLV, as <c>--discount-rate</c>.</summary>
    public double MonthlyDiscountRate { get; init; } = new ClvOptions().MonthlyDiscountRate;

    /// <summary>The gross margin for the CLV and the simple CLV KPI, as <c>--margin</c>, in (0, 1].</summary>
    public double Margin { get; init; } = new CustomerScoringOptions().Margin;

    /// <summary>The churn classifier, as <c>--churn-trainer</c>: <c>lightgbm</c> (default), <c>fasttree</c>, <c>logistic</c>, or <c>none</c> (no churn).</summary>
    public string ChurnTrainer { get; init; } = new ChurnTrainingOptions().Trainer.ToString().ToLowerInvariant();

    /// <summary>Where progress and warnings go, as <c>crm</c>'s stderr (never cell values); null is silent.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>The clock whose date bounds plausible transaction dates (<c>--future-days</c> 7 after it); the system clock by default.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
