using System.Text.Json;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.IO.CustomerTable;
using CrmAnalytics.IO.Summary;

namespace CrmAnalytics.Stages.Models;

/// <summary>
/// The merged <c>summary.json</c>: the first shard's, with every count, sum and share of the customers recomputed over
/// the merged customer table (in id order, as the unsharded run adds them up, so sums match it), the counts that are
/// not in the table added over the shards (with each shard's own input, its row accounting too), and the merge's own
/// command line, clock and timings.
/// </summary>
internal static class MergeSummary
{
    /// <summary>The table columns the recomputation reads; <see cref="OptionalColumns"/> are read when present.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } =
        ["customer_id", "orders", "repeat_frequency", "monetary_total", "gross_spend", "mean_repeat_value", "orders_365d", "segment_slug", "lifecycle_stage", "value_tier"];

    public static IReadOnlyList<string> OptionalColumns(RunSummary first) =>
        ["p_alive", "expected_purchases_365d", "churn_probability", "churn_risk", .. first.Clv?.Result is { } clv ? [ClvColumn(clv)] : Array.Empty<string>()];

    public static string ClvColumn(ClvSummary clv) => CustomerColumns.ClvName(clv.HorizonMonths);

    /// <param name="shards">Each shard's summary, in shard order.</param>
    /// <param name="warnings">The merged warning list's ids and their expected value lost (null without CLV); null without churn.</param>
    public static RunSummary Build(IReadOnlyList<RunSummary> shards, CustomerTableColumns table, IReadOnlyList<(string Id, double? Lost)>? warnings, MergeRun run)
    {
        var first = shards[0];
        var n = table.Rows;
        var monetary = Numbers(table, "monetary_total");
        var revenue = Sum(monetary);
        var parameters = first.Parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        parameters["shard"] = JsonSerializer.SerializeToElement<string?>(null);
        parameters["merged_shards"] = JsonSerializer.SerializeToElement(shards.Count);
        return first with
        {
            CommandLine = run.CommandLine,
            StartedAtUtc = run.Started,
            FinishedAtUtc = DateTimeOffset.UtcNow,
            // One export: its accounting and its customers with only returns, recorded by every shard, once. Each shard's
            // own input: every shard's transaction input and customers with only returns, which add up.
            Inputs = run.SameInput ? first.Inputs : [.. shards.Select(s => s.Inputs[0]), .. first.Inputs.Skip(1)],
            Customers = new CustomerCountSummary(n, run.SameInput ? first.Customers.WithoutPurchases : shards.Sum(s => s.Customers.WithoutPurchases)),
            Segments = [.. first.Segments.Select(s => Group(s.Slug, "segment_slug") is var (count, money)
                ? s with { Customers = count, Revenue = money, CustomerShare = Share(count, n), RevenueShare = revenue > 0 ? money / revenue : 0 }
                : s)],
            Lifecycle = [.. first.Lifecycle.Select(s => Group(s.Stage, "lifecycle_stage") is var (count, money) ? s with { Customers = count, Revenue = money } : s)],
            Kpis = first.Kpis is null ? null : Kpis(shards, table, monetary, revenue),
            Clv = first.Clv?.Result is { } clv ? ModelSection.Of(Clv(clv, shards, table)) : first.Clv,
            Churn = first.Churn?.Result is { } churn && warnings is not null ? ModelSection.Of(Churn(churn, shards, table, warnings)) : first.Churn,
            // Groups by segment and the unmatched responses are per shard; the merge does not add them up (README).
            Nps = null,
            Drift = null,
            Parameters = parameters,
            TimingsMs = new Dictionary<string, long> { ["merge"] = run.Milliseconds, ["total"] = run.Milliseconds },
            PeakWorkingSetBytes = Score.StageMeter.PeakWorkingSet(),
            PeakWorkingSetBytesByStage = new Dictionary<string, long> { ["merge"] = Score.StageMeter.PeakWorkingSet() },
            Outputs = run.Outputs,
            ExitCode = Core.ExitCodes.Ok,
        };

        (int Count, double Revenue) Group(string code, string column)
        {
            var cells = table[column];
            var count = 0;
            var money = 0.0;
            for (var r = 0; r < n; r++)
            {
                if (cells[r] == code)
                {
                    count++;
                    money += monetary[r];
                }
            }

            return (count, money);
        }
    }

    /// <summary>By <see cref="CustomerKpis.From"/>, as <see cref="Core.Segmentation.CustomerSegmenter"/> computes them, from the table's columns; retention from the shards' counts.</summary>
    private static CustomerKpis Kpis(IReadOnlyList<RunSummary> shards, CustomerTableColumns table, double[] monetary, double revenue)
    {
        var n = table.Rows;
        var orders = Numbers(table, "orders");
        var orders365 = Numbers(table, "orders_365d");
        var gross = Numbers(table, "gross_spend");
        var tier = table["value_tier"];
        long totalOrders = 0, totalOrders365 = 0;
        int repeat = 0, active365 = 0, tierCount = 0;
        double grossTotal = 0, tierRevenue = 0;
        for (var r = 0; r < n; r++)
        {
            grossTotal += gross[r];
            totalOrders += (long)orders[r];
            totalOrders365 += (long)orders365[r];
            repeat += orders[r] >= 2 ? 1 : 0;
            active365 += orders365[r] > 0 ? 1 : 0;
            if (tier[r] == "top")
            {
                tierCount++;
                tierRevenue += monetary[r];
            }
        }

        var margin = shards[0].Parameters.TryGetValue("margin", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetDouble() : 1.0;
        return CustomerKpis.From(
            new KpiTotals(n, repeat, revenue, grossTotal, totalOrders, totalOrders365, active365,
                shards.Sum(s => s.Kpis!.PriorYearCustomers), shards.Sum(s => s.Kpis!.RetainedCustomers), tierCount, tierRevenue),
            margin);
    }

    private static ClvSummary Clv(ClvSummary clv, IReadOnlyList<RunSummary> shards, CustomerTableColumns table)
    {
        var n = table.Rows;
        var total = Sum(Numbers(table, ClvColumn(clv)));
        var fitted = shards.Select(s => s.Clv!.Result!).ToArray();
        return clv with
        {
            SpendExcluded = fitted.Sum(s => s.SpendExcluded),
            TotalClv = total,
            MeanClv = n == 0 ? 0 : total / n,
            MeanProbabilityAlive = n == 0 ? 0 : Sum(Numbers(table, "p_alive")) / n,
            ExpectedPurchases365dTotal = Sum(Numbers(table, "expected_purchases_365d")),
            ScoreMilliseconds = fitted.Sum(s => s.ScoreMilliseconds),
            Intervals = clv.Intervals is { } intervals ? intervals with { Milliseconds = fitted.Sum(s => s.Intervals?.Milliseconds ?? 0) } : null,
            SpendIndependence = clv.SpendIndependence is { } check ? SpendIndependence(table, check) : null,
        };
    }

    /// <summary>Pearson's correlation of repeat_frequency and mean_repeat_value over the Gamma-Gamma customers (x &gt; 0,
    /// a positive mean), as <see cref="Core.Clv.GammaGamma.SpendIndependence"/> computes it over their patterns.</summary>
    private static SpendIndependenceSummary SpendIndependence(CustomerTableColumns table, SpendIndependenceSummary check)
    {
        var x = Numbers(table, "repeat_frequency");
        var z = Numbers(table, "mean_repeat_value");
        var rows = Enumerable.Range(0, table.Rows).Where(r => x[r] > 0 && z[r] > 0).ToArray();
        double n = rows.Length;
        double? correlation = null;
        if (n >= 2)
        {
            var meanX = rows.Sum(r => x[r]) / n;
            var meanZ = rows.Sum(r => z[r]) / n;
            double sxx = 0, szz = 0, sxz = 0;
            foreach (var r in rows)
            {
                sxx += (x[r] - meanX) * (x[r] - meanX);
                szz += (z[r] - meanZ) * (z[r] - meanZ);
                sxz += (x[r] - meanX) * (z[r] - meanZ);
            }

            correlation = sxx > 0 && szz > 0 ? sxz / Math.Sqrt(sxx * szz) : null;
        }

        return check with { RepeatBuyers = n, Correlation = correlation, Warning = correlation is { } c && Math.Abs(c) >= check.Threshold };
    }

    private static ChurnSummary Churn(ChurnSummary churn, IReadOnlyList<RunSummary> shards, CustomerTableColumns table, IReadOnlyList<(string Id, double? Lost)> warnings)
    {
        var risk = table["churn_risk"];
        var probabilities = Enumerable.Range(0, table.Rows).Select(r => table.Number("churn_probability", r)).OfType<double>().ToArray();
        var fitted = shards.Select(s => s.Churn!.Result!).ToArray();
        return churn with
        {
            ActiveCustomers = probabilities.Length,
            LapsedCustomers = risk.Count(r => r == "lapsed"),
            RiskBands = churn.RiskBands.Keys.ToDictionary(band => band, band => risk.Count(r => r == band), StringComparer.Ordinal),
            MeanProbability = probabilities.Length == 0 ? null : Sum(probabilities) / probabilities.Length,
            WarningListed = warnings.Count,
            ExpectedValueAtRisk = warnings.All(w => w.Lost is not null) && churn.ExpectedValueAtRisk is not null ? Sum([.. warnings.Select(w => w.Lost!.Value)]) : null,
            TrainMilliseconds = fitted.Sum(s => s.TrainMilliseconds),
            ScoreMilliseconds = fitted.Sum(s => s.ScoreMilliseconds),
        };
    }

    private static double[] Numbers(CustomerTableColumns table, string column) =>
        [.. Enumerable.Range(0, table.Rows).Select(r => table.Number(column, r) ?? 0)];

    /// <summary>Left to right, as the scoring run adds up its customers.</summary>
    private static double Sum(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }

    private static double Share(int part, int whole) => whole > 0 ? (double)part / whole : 0.0;
}

/// <summary>What the merge itself did, for its summary.json.</summary>
/// <param name="SameInput">Every shard read the same export (<see cref="MergeShards.SameInput"/>), rather than its own input.</param>
internal sealed record MergeRun(IReadOnlyList<string> CommandLine, DateTimeOffset Started, long Milliseconds, IReadOnlyList<string> Outputs, bool SameInput);
