using CrmAnalytics.Core;
using System.Globalization;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Nps;
using CrmAnalytics.Core.Pipeline;
using CrmAnalytics.Core.Rfm;

namespace CrmAnalytics.Churn.Features;

/// <summary>
/// Computes churn features at a cut-off from one read of the transactions. Everything comes from the
/// <see cref="CustomerSnapshot"/> at the cut-off — the summary, RFM quintiles re-ranked among the customers of that
/// date, and a purchase model fitted on that summary — so no transaction on or after the cut-off reaches a
/// feature (a test adds later transactions and checks the features do not move).
/// </summary>
/// <remarks>
/// Ratios whose denominator is zero are −1 ("undefined"), which trees separate cleanly: recency_gap_ratio (recency /
/// mean gap) for one-time buyers, trend_orders_90d_365d (orders in 90 days / the 365-day rate scaled to 90 days) and
/// its spend twin when nothing was bought in 365 days, trend_orders_365d_prior_year when nothing was bought in the
/// prior year, returns_share (returns / gross spend) never (gross spend is positive). Attribute cells that are missing
/// or not numbers, and nps_score for a customer without a dated response before the cut-off, are −1 too.
/// </remarks>
public static class ChurnFeatureBuilder
{
    private const float Undefined = -1f;

    /// <summary>The schema training uses: summary features, CLV features when fitted, then the attribute columns.</summary>
    public static ChurnFeatureSchema DeriveSchema(ChurnInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var features = ChurnFeatureSchema.SummaryFeatureNames.Select(n => new ChurnFeature(n, ChurnFeatureKind.Summary)).ToList();
        if (inputs.Clv is not null)
        {
            features.AddRange(ChurnFeatureSchema.ClvFeatureNames.Select(n => new ChurnFeature(n, ChurnFeatureKind.Clv)));
        }

        if (inputs.Surveys is not null)
        {
            features.AddRange(ChurnFeatureSchema.NpsFeatureNames.Select(n => new ChurnFeature(n, ChurnFeatureKind.Nps)));
        }

        if (inputs.Attributes is { } attributes)
        {
            for (var c = 0; c < attributes.Columns.Count; c++)
            {
                var column = attributes.Columns[c];
                var values = attributes.Values(c).Where(v => v.Length > 0).ToArray();
                if (values.All(v => TryNumber(v, out _)))
                {
                    features.Add(new ChurnFeature("attr_" + column, ChurnFeatureKind.Attribute, column));
                    continue;
                }

                var categories = values
                    .GroupBy(v => v, StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count())
                    .ThenBy(g => g.Key, StringComparer.Ordinal)
                    .Take(inputs.MaxCategories)
                    .Select(g => g.Key)
                    .Order(StringComparer.Ordinal);
                features.AddRange(categories.Select(v => new ChurnFeature($"attr_{column}={v}", ChurnFeatureKind.AttributeCategory, column, v)));
            }
        }

        return new ChurnFeatureSchema(features);
    }

    /// <summary>
    /// The feature rows of every customer with a purchase before <paramref name="cutoff"/>, with labels when
    /// <paramref name="labelHorizonDays"/> is given: churned = no purchase occasion in [cutoff, cutoff + horizon).
    /// </summary>
    /// <exception cref="InputException">The inputs cannot produce a feature of <paramref name="schema"/>.</exception>
    public static ChurnDataset Build(CustomerSummaryBuilder builder, DateOnly cutoff, ChurnFeatureSchema schema, ChurnInputs inputs, int? labelHorizonDays = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckInputs(schema, inputs);
        var snapshot = CustomerSnapshot.At(builder, cutoff);
        bool[]? labels = null;
        if (labelHorizonDays is { } horizon)
        {
            var future = builder.CountOccasions(snapshot.Customers, cutoff, cutoff.AddDays(horizon));
            labels = future.Select(count => count == 0).ToArray();
        }

        return Features(snapshot, schema, inputs, labels);
    }

    /// <summary>
    /// The unlabelled feature rows of the snapshot's customers, at its as-of date: the snapshot's RFM scores and, for
    /// p_alive and expected_purchases_90d, its purchase model (fitted here only when it has none).
    /// </summary>
    /// <param name="snapshot">Its purchase model, when present, was fitted with <see cref="ChurnInputs.Clv"/>.</param>
    /// <exception cref="InputException">The inputs cannot produce a feature of <paramref name="schema"/>.</exception>
    public static ChurnDataset Build(CustomerSnapshot snapshot, ChurnFeatureSchema schema, ChurnInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        CheckInputs(schema, inputs);
        return Features(snapshot, schema, inputs, labels: null);
    }

    private static ChurnDataset Features(CustomerSnapshot snapshot, ChurnFeatureSchema schema, ChurnInputs inputs, bool[]? labels)
    {
        var cutoff = snapshot.AsOf;
        var customers = snapshot.Customers;
        var n = customers.Count;
        var width = schema.Count;
        var values = new float[n * width];
        var rfm = snapshot.Rfm;
        var clv = schema.UsesClv && n > 0 ? ClvColumns(snapshot, inputs.Clv!) : null;
        var nps = schema.UsesNps ? LatestScoreBefore(inputs.Surveys!, cutoff) : null;
        var attributeIndex = inputs.Attributes is { } a
            ? a.Columns.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal)
            : [];

        Parallel.For(0, n, i =>
        {
            var row = values.AsSpan(i * width, width);
            var c = customers[i];
            for (var f = 0; f < width; f++)
            {
                var feature = schema.Features[f];
                row[f] = feature.Kind switch
                {
                    ChurnFeatureKind.Summary => SummaryValue(feature.Name, c, rfm[i]),
                    ChurnFeatureKind.Clv => (float)(feature.Name == "p_alive" ? clv![i].ProbabilityAlive : clv![i].ExpectedPurchases90d),
                    ChurnFeatureKind.Nps => nps!.TryGetValue(c.CustomerId, out var score) ? score : Undefined,
                    ChurnFeatureKind.Attribute => TryNumber(inputs.Attributes!.Get(c.CustomerId, attributeIndex[feature.Source!]), out var v) ? (float)v : Undefined,
                    ChurnFeatureKind.AttributeCategory => inputs.Attributes!.Get(c.CustomerId, attributeIndex[feature.Source!]) == feature.Category ? 1f : 0f,
                    _ => throw new InvalidOperationException("Unknown feature kind."),
                };
            }
        });

        return new ChurnDataset(schema, cutoff, customers, values, labels, clv?.Select(x => x.ProbabilityAlive).ToArray());
    }

    /// <summary>Fails when the inputs lack what the schema needs (a model trained with CLV or attribute columns).</summary>
    public static void CheckInputs(ChurnFeatureSchema schema, ChurnInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(inputs);
        var problems = schema.Problems().ToList();
        if (schema.UsesClv && inputs.Clv is null)
        {
            problems.Add("the model uses p_alive and expected_purchases_90d but CLV is off (--clv-model none)");
        }

        if (schema.UsesNps && inputs.Surveys is null)
        {
            problems.Add("the model uses nps_score but no --surveys file was given");
        }

        var available = inputs.Attributes?.Columns.ToHashSet(StringComparer.Ordinal) ?? [];
        var missing = schema.AttributeColumns.Where(c => !available.Contains(c)).ToArray();
        if (missing.Length > 0)
        {
            problems.Add(inputs.Attributes is null
                ? $"the model uses customer attribute columns ({string.Join(", ", missing)}) but no --customers file was given"
                : $"the customer attributes file lacks the model's columns: {string.Join(", ", missing)}");
        }

        if (problems.Count > 0)
        {
            throw new InputException("The churn model's feature schema does not match this run: " + string.Join("; ", problems) + ".");
        }
    }

    internal static float SummaryValue(string name, CustomerSummary c, RfmScore rfm)
    {
        var w = c.Windows;
        return name switch
        {
            "recency_days" => c.RecencyDays,
            "frequency" => c.Frequency,
            "tenure_days" => c.AgeDays,
            "monetary_total" => (float)c.MonetaryTotal,
            "average_order_value" => (float)c.AverageOrderValue,
            "mean_repeat_value" => (float)c.MeanRepeatValue,
            "mean_gap_days" => (float)c.MeanGapDays,
            "gap_std_days" => (float)c.GapStdDays,
            "recency_gap_ratio" => c.Frequency > 0 ? (float)(c.RecencyDays / c.MeanGapDays) : Undefined,
            "orders_30d" => w.Orders30d,
            "orders_90d" => w.Orders90d,
            "orders_180d" => w.Orders180d,
            "orders_365d" => w.Orders365d,
            "orders_prior_year" => w.OrdersPriorYear,
            "spend_30d" => (float)w.Spend30d,
            "spend_90d" => (float)w.Spend90d,
            "spend_180d" => (float)w.Spend180d,
            "spend_365d" => (float)w.Spend365d,
            "trend_orders_90d_365d" => w.Orders365d > 0 ? (float)(w.Orders90d / (w.Orders365d * 90.0 / 365.0)) : Undefined,
            "trend_spend_90d_365d" => w.Spend365d > 0 ? (float)(w.Spend90d / (w.Spend365d * 90.0 / 365.0)) : Undefined,
            "trend_orders_365d_prior_year" => w.OrdersPriorYear > 0 ? (float)w.Orders365d / w.OrdersPriorYear : Undefined,
            "returns_share" => c.GrossSpend > 0 ? (float)(c.ReturnsValue / c.GrossSpend) : Undefined,
            "rfm_r" => rfm.R,
            "rfm_f" => rfm.F,
            "rfm_m" => rfm.M,
            _ => throw new InputException($"Unknown summary feature '{name}'."),
        };
    }

    private static (double ProbabilityAlive, double ExpectedPurchases90d)[] ClvColumns(CustomerSnapshot snapshot, ClvScoringOptions options)
    {
        var customers = snapshot.Customers;
        var model = snapshot.PurchaseModel ?? ClvScorer.FitPurchaseModel(options.Model, customers, options);
        var unit = options.TimeUnitDays;
        var result = new (double, double)[customers.Count];
        Parallel.For(0, customers.Count, i =>
        {
            var c = customers[i];
            result[i] = (model.ProbabilityAlive(c.Frequency, c.TxDays / unit, c.AgeDays / unit),
                model.ConditionalExpectedPurchases(90 / unit, c.Frequency, c.TxDays / unit, c.AgeDays / unit));
        });
        return result;
    }

    /// <summary>
    /// Each customer's latest score among responses dated before <paramref name="cutoff"/> (the last line wins on a
    /// tie). Undated responses are left out: nothing proves they were given before the cut-off.
    /// </summary>
    private static Dictionary<string, float> LatestScoreBefore(IReadOnlyList<SurveyResponse> responses, DateOnly cutoff) =>
        NpsAnalysis.LatestByCustomer(responses.Where(r => r.Date is { } d && d < cutoff))
            .ToDictionary(kv => kv.Key, kv => (float)kv.Value.Score, StringComparer.Ordinal);

    private static bool TryNumber(string? text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
