using System.Diagnostics;
using CrmAnalytics.Churn.Training;
using CrmAnalytics.Core;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Value;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Transactions;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Input;
using CrmAnalytics.Stages.Churn;
using CrmAnalytics.Stages.Input;
using CrmAnalytics.Stages.Logging;
using CrmAnalytics.Stages.Score;

namespace CrmAnalytics.Interop;

/// <summary>Reads a source of transactions and runs the in-memory stages of <c>crm score</c> on it (<see cref="ScoreStages.ModelAsync"/>).</summary>
internal static class ScorecardRun
{
    /// <summary>Rows dated more than this many days after the run date are implausible (<c>crm score --future-days</c>'s default).</summary>
    internal const int FutureDays = 7;

    public delegate Task<TransactionReadResult> Reader(TransactionReadOptions read, IRejectSink rejects, RunLog log, CancellationToken ct);

    public static async Task<ScorecardResult> RunAsync(ScorecardOptions options, string source, Func<TransactionReadOptions, TransactionReadOptions> adapt, Reader reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        var job = JobOptions(options, source, adapt);
        var log = new RunLog(options.Log ?? TextWriter.Null, options.Log is null ? Verbosity.Quiet : Verbosity.Normal, clock: options.Clock);
        var rejects = new RejectList();
        var read = await reader(job.Read, rejects, log, ct).ConfigureAwait(false);
        var asOf = TransactionIngest.Check(read, job.Read, job.MaxRejectRate, job.MaxExcludedRate, log);
        using var meter = new StageMeter();
        var run = await new ScoreStages(job, log, meter).ModelAsync(new RunInput(read, asOf, null, null), ct).ConfigureAwait(false);
        return Result(run, job, rejects.Rows);
    }

    /// <summary>Reads in-memory columns and logs their accounting, as the read stage logs a file's.</summary>
    public static Task<TransactionReadResult> ReadTable(string source, IReadOnlyList<TransactionTableColumn> columns, TransactionReadOptions read, IRejectSink rejects, RunLog log)
    {
        var watch = Stopwatch.StartNew();
        var result = TransactionTableReader.Read(source, columns, read, rejects);
        InputAccounting.Log(log, "read", result.Accounting, watch.ElapsedMilliseconds);
        return Task.FromResult(result);
    }

    /// <summary>The job <c>crm score</c> would run with these settings and no output files.</summary>
    /// <exception cref="ConfigurationException">Every problem with the options, together.</exception>
    internal static ScoreJobOptions JobOptions(ScorecardOptions options, string source, Func<TransactionReadOptions, TransactionReadOptions> adapt)
    {
        var errors = new List<string>();
        var read = TransactionPresets.Generic;
        try
        {
            read = TransactionPresets.Get(options.Preset);
            if (options.Map is { } map)
            {
                read = read with { Mapping = read.Mapping.With(map) };
            }
        }
        catch (ConfigurationException ex)
        {
            errors.Add(ex.Message);
        }

        var today = DateOnly.FromDateTime(options.Clock.GetUtcNow().UtcDateTime);
        var from = options.AsOf is { } asOf && asOf > today ? asOf : today;
        read = adapt(read with
        {
            DateFormat = options.DateFormat ?? read.DateFormat,
            AsOf = options.AsOf,
            LatestDate = DateOnly.FromDayNumber((int)Math.Min((long)from.DayNumber + FutureDays, DateOnly.MaxValue.DayNumber - 1)),
        });
        errors.AddRange(read.Validate());
        foreach (var (rate, name) in new[] { (options.MaxRejectRate, nameof(options.MaxRejectRate)), (options.MaxExcludedRate, nameof(options.MaxExcludedRate)) })
        {
            if (!(rate >= 0 && rate <= 1))
            {
                errors.Add($"{name} must be between 0 and 1.");
            }
        }

        var scoring = new CustomerScoringOptions { Margin = options.Margin };
        errors.AddRange(scoring.Validate());
        ClvScoringOptions? clv = null;
        if (options.ClvModel != "none")
        {
            clv = new ClvScoringOptions
            {
                Model = options.ClvModel,
                Value = new ClvOptions { HorizonMonths = options.ClvHorizonMonths, MonthlyDiscountRate = options.MonthlyDiscountRate, Margin = options.Margin },
            };
            errors.AddRange(clv.Validate());
        }

        ChurnJobOptions? churn = null;
        if (options.ChurnTrainer != "none")
        {
            if (ChurnTrainerNames.TryParse(options.ChurnTrainer, out var t))
            {
                churn = new ChurnJobOptions { Training = new ChurnTrainingOptions { Trainer = t } };
            }
            else
            {
                errors.Add($"Unknown churn trainer '{options.ChurnTrainer}'; use {string.Join(", ", ChurnTrainerNames.All)} or none.");
            }
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        return new ScoreJobOptions
        {
            Transactions = source,
            Read = read,
            Preset = options.Preset,
            MaxRejectRate = options.MaxRejectRate,
            MaxExcludedRate = options.MaxExcludedRate,
            OutputDirectory = string.Empty,
            Scoring = scoring,
            Clv = clv,
            Churn = churn,
        };
    }

    private static ScorecardResult Result(ScoreRun run, ScoreJobOptions job, IReadOnlyList<ScorecardReject> rejects)
    {
        var acc = run.Input.Transactions.Accounting;
        var columns = CustomerColumns.For(job.Clv?.Value.HorizonMonths, churn: job.Churn is not null, clvIntervals: job.Clv?.IntervalLevel > 0);
        var clv = run.Clv is { } c
            ? new ScorecardClv(c.Model, c.Purchase.Parameters, c.Purchase.LogLikelihood, c.Spend.Parameters, c.HorizonMonths, c.TotalClv, c.MeanProbabilityAlive)
            : null;
        var churn = run.Churn?.Summary is { } s
            ? new ScorecardChurn(s.Trainer, s.HorizonDays, s.ActiveCustomers, s.LapsedCustomers, s.Evaluation.Model.Auc, s.RiskBands, s.WarningListed)
            : null;
        return new ScorecardResult(
            run.Input.AsOf,
            new ScorecardAccounting(acc.RowsRead, acc.RowsAccepted, acc.RowsRejected, acc.RowsMalformed, acc.ByReason()),
            rejects,
            CustomerTable.ToDataFrame(run.Customers, columns),
            run.Scoring.Segments.Select(x => new ScorecardSegment(x.Name, x.Slug, x.Customers, x.Revenue, x.CustomerShare, x.RevenueShare)).ToArray(),
            clv,
            churn);
    }

    /// <summary>Keeps every reject's place and reason; the raw record (customer data) is not kept.</summary>
    private sealed class RejectList : IRejectSink
    {
        private readonly List<ScorecardReject> _rows = [];

        public IReadOnlyList<ScorecardReject> Rows => _rows;

        public void Reject(string file, long line, string column, RejectReason reason, ReadOnlySpan<byte> rawRecord) =>
            _rows.Add(new ScorecardReject(file, line, column, reason.Code()));
    }
}
