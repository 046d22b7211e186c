using CrmAnalytics.Core;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv;
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
internal static class ChurnFeatureBuilder
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
    /// The feature rows of every customer with a purchase before <paramref name="cutoff"/> (or only of those active at
    /// it, with <paramref name="activeDays"/>), with labels when <paramref name="labelHorizonDays"/> is given: churned =
    /// no purchase occasion in [cutoff, cutoff + horizon).
    /// </summary>
    /// <param name="activeDays">
    /// When given, the rows are the active base (<see cref="ChurnActiveBase"/>): the same rows and values as
    /// <see cref="ChurnDataset.ActiveBase"/> of the full build, without computing and copying the lapsed customers' rows.
    /// RFM scores and the purchase model are still those of every customer at the cut-off.
    /// </param>
    /// <exception cref="InputException">The inputs cannot produce a feature of <paramref name="schema"/>.</exception>
    public static ChurnDataset Build(CustomerSummaryBuilder builder, DateOnly cutoff, ChurnFeatureSchema schema, ChurnInputs inputs, int? labelHorizonDays = null, int? activeDays = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckInputs(schema, inputs);
        return Build(builder.Cutoffs([new CutoffRequest(cutoff, activeDays, labelHorizonDays)])[0], schema, inputs);
    }

    /// <summary>
    /// The feature rows of the kept customers of one cut-off of a walk (<see cref="CustomerSummaryBuilder.Cutoffs"/>),
    /// labelled when it has a horizon. RFM scores and the purchase model are those of every customer at the cut-off.
    /// </summary>
    /// <remarks>When the walk drew a sample (<see cref="CutoffRequest.Sample"/>), the rows are the sample's: the same as in the build of all.</remarks>
    internal static ChurnDataset Build(CutoffCustomers at, ChurnFeatureSchema schema, ChurnInputs inputs) =>
        Source(at, schema, inputs).Rows(null, at.Request.LabelHorizonDays is null ? null : Labels(at.Kept));

    /// <summary>
    /// Every kept customer of a cut-off, ready to become feature rows: RFM ranks and purchase-model columns computed
    /// once, the rows of any subset built when asked for (the same values as in the build of all).
    /// </summary>
    internal static FeatureSource Source(CutoffCustomers at, ChurnFeatureSchema schema, ChurnInputs inputs)
    {
        var rfm = RfmScorer.Score(at.Count, i => at.Key(i).RecencyDays, i => at.Key(i).Orders, i => at.Key(i).MonetaryTotal);
        return Prepare(at.Cutoff, at.Ids, at.Kept, rfm, at.Rows, schema, inputs, options =>
        {
            // Every customer's patterns are grouped once: the cut-off's fit reads all of them, the columns the kept ones'.
            // The fit only feeds p_alive and expected purchases: its standard errors are never read.
            var groups = PatternGroups.Of(at.Count, at.Key);
            var model = ClvScorer.FitPurchaseModel(options.Model, groups.Repeat(options.TimeUnitDays), options.Fit with { StandardErrors = false });
            return ClvColumns(model, options, (first, second) => groups.PerCustomer(at.Rows, first, second));
        });
    }

    /// <summary>Churned = no purchase occasion in the label horizon after the cut-off.</summary>
    internal static bool[] Labels(CustomerAtCutoff[] kept) => Array.ConvertAll(kept, c => c.FutureOccasions == 0);

    /// <summary>The indexes of the customers active at the cut-off (<see cref="ChurnActiveBase.IsActive"/>), ascending.</summary>
    internal static int[] ActiveRows(IReadOnlyList<CustomerSummary> customers, int activeDays) =>
        ActiveRows(customers.Count, i => customers[i].RecencyDays, activeDays);

    /// <summary>The indexes of the customers whose recency is under <paramref name="activeDays"/> (<see cref="ChurnActiveBase.IsActive"/>), ascending.</summary>
    internal static int[] ActiveRows(int count, Func<int, int> recencyDays, int activeDays)
    {
        var rows = new List<int>();
        for (var i = 0; i < count; i++)
        {
            if (recencyDays(i) < activeDays)
            {
                rows.Add(i);
            }
        }

        return [.. rows];
    }

    /// <summary>
    /// The unlabelled feature rows of the snapshot's customers, at its as-of date: the snapshot's RFM scores and, for
    /// p_alive and expected_purchases_90d, its purchase model (fitted here only when it has none).
    /// </summary>
    /// <param name="snapshot">Its purchase model, when present, was fitted with <see cref="ChurnInputs.Clv"/>.</param>
    /// <exception cref="InputException">The inputs cannot produce a feature of <paramref name="schema"/>.</exception>
    public static ChurnDataset Build(CustomerSnapshot snapshot, ChurnFeatureSchema schema, ChurnInputs inputs) =>
        Build(snapshot, rows: null, schema, inputs);

    /// <summary>The unlabelled feature rows of the snapshot's customers at <paramref name="rows"/> (all when null).</summary>
    internal static ChurnDataset Build(CustomerSnapshot snapshot, IReadOnlyList<int>? rows, ChurnFeatureSchema schema, ChurnInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        CheckInputs(schema, inputs);
        var customers = snapshot.Customers;
        var ids = new string[customers.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = customers[i].CustomerId;
        }

        var picked = rows ?? Enumerable.Range(0, customers.Count).ToArray();
        var kept = new CustomerAtCutoff[picked.Count];
        for (var k = 0; k < kept.Length; k++)
        {
            kept[k] = CustomerAtCutoff.Of(customers[picked[k]], picked[k]);
        }

        return Prepare(snapshot.AsOf, ids, kept, snapshot.Rfm, picked, schema, inputs, options =>
            {
                // The run's fit when it is the model asked for (a churn model records the CLV model it was trained with).
                var model = snapshot.PurchaseModel is { } fitted && fitted.Name == options.Model ? fitted : ClvScorer.FitPurchaseModel(options.Model, customers, options with { Fit = options.Fit with { StandardErrors = false } });
                return ClvColumns(model, options, (first, second) =>
                    PatternGroups.Of(kept.Length, i => kept[i].Keys).PerCustomer(null, first, second));
            })
            .Rows(null, labels: null);
    }

    internal delegate float Cell(int k, in CustomerAtCutoff c);

    private delegate float SummaryFeature(in CustomerAtCutoff c, RfmScore rfm);

    /// <param name="ids">The id table of <paramref name="customers"/>.</param>
    /// <param name="rfm">The RFM scores of every customer at the cut-off.</param>
    /// <param name="rfmRows">Each customer's index into <paramref name="rfm"/>.</param>
    /// <param name="clvColumns">
    /// P(alive) and expected purchases in 90 days of <paramref name="customers"/> under the purchase model of every
    /// customer at the cut-off (<see cref="ClvColumns"/>), asked for only when the schema uses them.
    /// </param>
    private static FeatureSource Prepare(
        DateOnly cutoff, string[] ids, CustomerAtCutoff[] customers, IReadOnlyList<RfmScore> rfm, IReadOnlyList<int> rfmRows,
        ChurnFeatureSchema schema, ChurnInputs inputs, Func<ClvScoringOptions, (double[] ProbabilityAlive, double[] ExpectedPurchases90d)> clvColumns)
    {
        var n = customers.Length;
        var width = schema.Count;
        // No active customer (e.g. everyone lapsed at the cut-off): no rows, so no purchase model to fit.
        (double[] ProbabilityAlive, double[] ExpectedPurchases90d)? clv = !schema.UsesClv ? null
            : n > 0 ? clvColumns(inputs.Clv!)
            : ([], []);
        var nps = schema.UsesNps ? LatestScoreBefore(inputs.Surveys!, cutoff) : null;
        var attributeIndex = inputs.Attributes is { } a
            ? a.Columns.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal)
            : [];

        // Each feature's source is resolved once, not once per cell; the cells index arrays, not lists.
        var (rfmScores, rfmIndex) = (rfm as RfmScore[] ?? [.. rfm], rfmRows as int[] ?? [.. rfmRows]);
        var cells = new Cell[width];
        for (var f = 0; f < width; f++)
        {
            var feature = schema.Features[f];
            cells[f] = feature.Kind switch
            {
                ChurnFeatureKind.Summary => SummaryCell(SummaryAccessor(feature.Name), rfmScores, rfmIndex),
                ChurnFeatureKind.Clv => ClvCell(feature.Name == "p_alive" ? clv!.Value.ProbabilityAlive : clv!.Value.ExpectedPurchases90d),
                ChurnFeatureKind.Nps => (int _, in CustomerAtCutoff c) => nps!.TryGetValue(ids[c.Id], out var score) ? score : Undefined,
                ChurnFeatureKind.Attribute => AttributeCell(inputs.Attributes!, ids, attributeIndex[feature.Source!]),
                ChurnFeatureKind.AttributeCategory => CategoryCell(inputs.Attributes!, ids, attributeIndex[feature.Source!], feature.Category),
                _ => throw new InvalidOperationException("Unknown feature kind."),
            };
        }

        return new FeatureSource(schema, cutoff, ids, customers, cells, clv?.ProbabilityAlive);
    }

    /// <summary>Customers at a cut-off with everything their feature rows need; builds the rows of any of them.</summary>
    internal sealed class FeatureSource
    {
        private readonly ChurnFeatureSchema _schema;
        private readonly DateOnly _cutoff;
        private readonly string[] _ids;
        private readonly CustomerAtCutoff[] _customers;
        private readonly Cell[] _cells;
        private readonly double[]? _probabilityAlive;

        internal FeatureSource(ChurnFeatureSchema schema, DateOnly cutoff, string[] ids, CustomerAtCutoff[] customers, Cell[] cells, double[]? probabilityAlive)
        {
            (_schema, _cutoff, _ids, _customers, _cells, _probabilityAlive) = (schema, cutoff, ids, customers, cells, probabilityAlive);
        }

        public int Count => _customers.Length;

        /// <summary>Customer <paramref name="k"/>'s keys.</summary>
        public CustomerKeys Key(int k) => _customers[k].Keys;

        /// <summary>Every customer's P(alive) from the cut-off's purchase model, when the schema uses it.</summary>
        public double[]? ProbabilityAlive => _probabilityAlive;

        /// <summary>The churn labels of every customer (at a cut-off with a label horizon).</summary>
        public bool[] Labels() => ChurnFeatureBuilder.Labels(_customers);

        public int Width => _cells.Length;

        /// <summary>Writes customer <paramref name="k"/>'s feature row into <paramref name="row"/> (<see cref="Width"/> floats).</summary>
        public void Fill(int k, Span<float> row)
        {
            ref readonly var c = ref _customers[k];
            for (var f = 0; f < _cells.Length; f++)
            {
                row[f] = _cells[f](k, in c);
            }
        }

        /// <summary>The rows of <paramref name="rows"/> (ascending indexes; null = all), with these labels.</summary>
        public ChurnDataset Rows(IReadOnlyList<int>? rows, bool[]? labels)
        {
            var n = rows?.Count ?? _customers.Length;
            var width = _cells.Length;
            var values = new float[n * width];
            var customers = _customers;
            Parallel.For(0, n, j => Fill(rows is null ? j : rows[j], values.AsSpan(j * width, width)));

            var ids = new string[n];
            var keys = new CustomerKeys[n];
            var alive = _probabilityAlive is null || rows is null ? _probabilityAlive : new double[n];
            for (var j = 0; j < n; j++)
            {
                var k = rows is null ? j : rows[j];
                (ids[j], keys[j]) = (_ids[customers[k].Id], customers[k].Keys);
                if (rows is not null && alive is not null)
                {
                    alive[j] = _probabilityAlive![k];
                }
            }

            return new ChurnDataset(_schema, _cutoff, ids, keys, values, labels, alive);
        }
    }

    private static Cell SummaryCell(SummaryFeature value, RfmScore[] rfm, int[] rows) =>
        (int k, in CustomerAtCutoff c) => value(in c, rfm[rows[k]]);

    private static Cell ClvCell(double[] column) => (int k, in CustomerAtCutoff _) => (float)column[k];

    private static Cell AttributeCell(CustomerAttributes attributes, string[] ids, int column) =>
        (int _, in CustomerAtCutoff c) => TryNumber(attributes.Get(ids[c.Id], column), out var v) ? (float)v : Undefined;

    private static Cell CategoryCell(CustomerAttributes attributes, string[] ids, int column, string? category) =>
        (int _, in CustomerAtCutoff c) => attributes.Get(ids[c.Id], column) == category ? 1f : 0f;

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

    private static SummaryFeature SummaryAccessor(string name) => name switch
    {
        "recency_days" => static (in CustomerAtCutoff c, RfmScore _) => c.RecencyDays,
        "frequency" => static (in CustomerAtCutoff c, RfmScore _) => c.Frequency,
        "tenure_days" => static (in CustomerAtCutoff c, RfmScore _) => c.AgeDays,
        "monetary_total" => static (in CustomerAtCutoff c, RfmScore _) => (float)c.MonetaryTotal,
        "average_order_value" => static (in CustomerAtCutoff c, RfmScore _) => (float)c.AverageOrderValue,
        "mean_repeat_value" => static (in CustomerAtCutoff c, RfmScore _) => (float)c.MeanRepeatValue,
        "mean_gap_days" => static (in CustomerAtCutoff c, RfmScore _) => (float)c.MeanGapDays,
        "gap_std_days" => static (in CustomerAtCutoff c, RfmScore _) => (float)c.GapStdDays,
        "recency_gap_ratio" => static (in CustomerAtCutoff c, RfmScore _) => c.Frequency > 0 ? (float)(c.RecencyDays / c.MeanGapDays) : Undefined,
        "orders_30d" => static (in CustomerAtCutoff c, RfmScore _) => c.Windows.Orders30d,
        "orders_90d" => static (in CustomerAtCutoff c, RfmScore _) => c.Windows.Orders90d,
        "orders_180d" => static (in CustomerAtCutoff c, RfmScore _) => c.Windows.Orders180d,
        "orders_365d" => static (in CustomerAtCutoff c, RfmScore _) => c.Windows.Orders365d,
        "orders_prior_year" => static (in CustomerAtCutoff c, RfmScore _) => c.Windows.OrdersPriorYear,
        "spend_30d" => static (in CustomerAtCutoff c, RfmScore _) => (float)c.Windows.Spend30d,
        "spend_90d" => static (in CustomerAtCutoff c, RfmScore _) => (float)c.Windows.Spend90d,
        "spend_180d" => static (in CustomerAtCutoff c, RfmScore _) => (float)c.Windows.Spend180d,
        "spend_365d" => static (in CustomerAtCutoff c, RfmScore _) => (float)c.Windows.Spend365d,
        "trend_orders_90d_365d" => static (in CustomerAtCutoff c, RfmScore _) => c.Windows is var w && w.Orders365d > 0 ? (float)(w.Orders90d / (w.Orders365d * (double)CustomerWindows.Days90 / CustomerWindows.Days365)) : Undefined,
        "trend_spend_90d_365d" => static (in CustomerAtCutoff c, RfmScore _) => c.Windows is var w && w.Spend365d > 0 ? (float)(w.Spend90d / (w.Spend365d * (double)CustomerWindows.Days90 / CustomerWindows.Days365)) : Undefined,
        "trend_orders_365d_prior_year" => static (in CustomerAtCutoff c, RfmScore _) => c.Windows is var w && w.OrdersPriorYear > 0 ? (float)w.Orders365d / w.OrdersPriorYear : Undefined,
        "returns_share" => static (in CustomerAtCutoff c, RfmScore _) => c.GrossSpend > 0 ? (float)(c.ReturnsValue / c.GrossSpend) : Undefined,
        "rfm_r" => static (in CustomerAtCutoff _, RfmScore rfm) => rfm.R,
        "rfm_f" => static (in CustomerAtCutoff _, RfmScore rfm) => rfm.F,
        "rfm_m" => static (in CustomerAtCutoff _, RfmScore rfm) => rfm.M,
        _ => throw new InputException($"Unknown summary feature '{name}'."),
    };

    /// <summary>
    /// p_alive and expected_purchases_90d under <paramref name="model"/>, each evaluated once per distinct (x, t_x, T)
    /// by <paramref name="perCustomer"/>.
    /// </summary>
    private static (double[] ProbabilityAlive, double[] ExpectedPurchases90d) ClvColumns(
        IPurchaseModel model, ClvScoringOptions options,
        Func<Func<int, int, int, double>, Func<int, int, int, double, double>, (double[], double[])> perCustomer)
    {
        var unit = options.TimeUnitDays;
        return perCustomer(
            (x, tx, t) => model.ProbabilityAlive(x, tx / unit, t / unit),
            (x, tx, t, alive) => model.ConditionalExpectedPurchases(CustomerWindows.Days90 / unit, x, tx / unit, t / unit, alive));
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
