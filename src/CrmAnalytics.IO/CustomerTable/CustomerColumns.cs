using System.Text;
using CrmAnalytics.Core.Churn;
using CrmAnalytics.Core.Clv.Scoring;
using CrmAnalytics.Core.Clv.Uncertainty;
using CrmAnalytics.Core.Customers;
using CrmAnalytics.Core.Pipeline;

namespace CrmAnalytics.IO.CustomerTable;

/// <summary>
/// The column contract of <c>customers.csv</c>, <c>customers.parquet</c> and <c>segments/&lt;slug&gt;.csv</c>: one
/// ordered list that every writer and the README's column table follow. A model that adds columns (CLV, churn, NPS)
/// appends its definitions to <see cref="All"/>; nothing else changes.
/// </summary>
public static class CustomerColumns
{
    /// <summary>Every column, in output order.</summary>
    public static IReadOnlyList<CustomerColumn> All { get; } =
    [
        CustomerColumn.Text("customer_id", "Customer id as in the input", c => c.Summary.CustomerId),
        CustomerColumn.Date("first_purchase_date", "First purchase occasion (yyyy-MM-dd)", c => c.Summary.FirstPurchase),
        CustomerColumn.Date("last_purchase_date", "Last purchase occasion (yyyy-MM-dd)", c => c.Summary.LastPurchase),
        CustomerColumn.Integer("orders", "Purchase occasions: distinct purchase days, ≥ 1", c => c.Summary.Orders),
        CustomerColumn.Integer("repeat_frequency", "Repeat frequency x = orders − 1", c => c.Summary.Frequency),
        CustomerColumn.Integer("t_x_days", "Recency t_x = last − first occasion, in days", c => c.Summary.TxDays),
        CustomerColumn.Integer("age_days", "Age T = observation end (as-of − 1 day) − first occasion, in days", c => c.Summary.AgeDays),
        CustomerColumn.Integer("recency_days", "Days from the last occasion to the observation end (0 = bought on its last day)", c => c.Summary.RecencyDays),
        CustomerColumn.Real("monetary_total", "Net spend: gross_spend − returns_value, input currency", CsvRounding.Cents, c => c.Summary.MonetaryTotal),
        CustomerColumn.Real("gross_spend", "Sum of purchase occasions, input currency", CsvRounding.Cents, c => c.Summary.GrossSpend),
        CustomerColumn.Real("returns_value", "Returns and cancellations as a positive amount, input currency", CsvRounding.Cents, c => c.Summary.ReturnsValue),
        CustomerColumn.Real("avg_order_value", "gross_spend / orders, input currency per occasion", CsvRounding.Cents, c => c.Summary.AverageOrderValue),
        CustomerColumn.NullableReal(
            "mean_repeat_value",
            "Mean value of the repeat occasions (the first excluded; Gamma-Gamma input), input currency; null when repeat_frequency = 0",
            CsvRounding.Cents,
            c => c.Summary.Frequency == 0 ? null : c.Summary.MeanRepeatValue),
        CustomerColumn.Integer("orders_30d", "Occasions in the last 30 days of the observation window", c => c.Summary.Windows.Orders30d),
        CustomerColumn.Integer("orders_90d", "Occasions in the last 90 days of the observation window", c => c.Summary.Windows.Orders90d),
        CustomerColumn.Integer("orders_180d", "Occasions in the last 180 days of the observation window", c => c.Summary.Windows.Orders180d),
        CustomerColumn.Integer("orders_365d", "Occasions in the last 365 days of the observation window", c => c.Summary.Windows.Orders365d),
        CustomerColumn.Real("spend_30d", "Purchase value in the last 30 days of the observation window, input currency", CsvRounding.Cents, c => c.Summary.Windows.Spend30d),
        CustomerColumn.Real("spend_90d", "Purchase value in the last 90 days of the observation window, input currency", CsvRounding.Cents, c => c.Summary.Windows.Spend90d),
        CustomerColumn.Real("spend_180d", "Purchase value in the last 180 days of the observation window, input currency", CsvRounding.Cents, c => c.Summary.Windows.Spend180d),
        CustomerColumn.Real("spend_365d", "Purchase value in the last 365 days of the observation window, input currency", CsvRounding.Cents, c => c.Summary.Windows.Spend365d),
        CustomerColumn.Integer("r_score", "RFM recency score 1–5 (5 = most recent)", c => c.Rfm.R),
        CustomerColumn.Integer("f_score", "RFM frequency score 1–5 (5 = most occasions)", c => c.Rfm.F),
        CustomerColumn.Integer("m_score", "RFM monetary score 1–5 (5 = highest spend)", c => c.Rfm.M),
        CustomerColumn.Text("rfm_code", "The three score digits \"RFM\", e.g. 545", c => c.Rfm.Code),
        CustomerColumn.Text("segment", "RFM segment display name: the first matching rule, else Others", c => c.Segment.Name),
        CustomerColumn.Text("segment_slug", "File-name-safe segment id; the customer is also in segments/{segment_slug}.csv", c => c.Segment.Slug),
        CustomerColumn.Text("lifecycle_stage", "Lifecycle stage: inactive, new, active or occasional", c => LifecycleStageCode(c.Stage)),
        CustomerColumn.Text("value_tier", "top (the top share, default 20%, by monetary_total) or rest", c => ValueTierCode(c.TopValueTier)),
    ];

    /// <summary>
    /// The CLV columns appended when a purchase model is fitted (<c>crm score --clv-model</c>); the CLV column's name
    /// carries its horizon, <c>clv_12m</c> by default. With <paramref name="intervals"/>, each is followed by its
    /// <c>_lo</c> and <c>_hi</c> prediction bounds.
    /// </summary>
    public static IReadOnlyList<CustomerColumn> Clv(int horizonMonths, bool intervals = false)
    {
        var clv = ClvName(horizonMonths);
        var columns = new List<CustomerColumn>();
        void Add(string name, string meaning, CsvRounding rounding, CustomerClvField value, ClvBound low, ClvBound high)
        {
            var (lo, hi) = (Field(low), Field(high));
            columns.Add(CustomerColumn.NullableReal(name, meaning, rounding, c => c.ReadClv(value)));
            if (intervals)
            {
                columns.Add(CustomerColumn.NullableReal($"{name}_lo", $"Lower bound of {name}'s prediction interval (parameter uncertainty, --clv-interval-level)", rounding, c => c.ReadClv(lo)));
                columns.Add(CustomerColumn.NullableReal($"{name}_hi", $"Upper bound of {name}'s prediction interval", rounding, c => c.ReadClv(hi)));
            }
        }

        Add("p_alive", "Probability the customer is still active at the end of the window (purchase model; with --clv-covariates, at the customer's own covariates)", CsvRounding.SignificantDigits6, (in v) => v.ProbabilityAlive, (in b) => b.ProbabilityAliveLow, (in b) => b.ProbabilityAliveHigh);
        Add("expected_purchases_90d", "Expected purchase occasions in the next 90 days", CsvRounding.SignificantDigits6, (in v) => v.ExpectedPurchases90d, (in b) => b.ExpectedPurchases90dLow, (in b) => b.ExpectedPurchases90dHigh);
        Add("expected_purchases_365d", "Expected purchase occasions in the next 365 days", CsvRounding.SignificantDigits6, (in v) => v.ExpectedPurchases365d, (in b) => b.ExpectedPurchases365dLow, (in b) => b.ExpectedPurchases365dHigh);
        Add("expected_avg_spend", "Gamma-Gamma expected spend per future occasion (population mean when repeat_frequency = 0), input currency", CsvRounding.Cents, (in v) => v.ExpectedAverageSpend, (in b) => b.ExpectedAverageSpendLow, (in b) => b.ExpectedAverageSpendHigh);
        Add(
            clv,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Discounted margin over the next {horizonMonths} months (30.4375-day months, monthly discount rate, margin), input currency"),
            CsvRounding.Cents,
            (in v) => v.Clv,
            (in b) => b.ClvLow,
            (in b) => b.ClvHigh);
        return columns;
    }

    /// <summary>The CLV column's name for a horizon in months: <c>clv_12m</c>. Readers of a published table find it by this name.</summary>
    public static string ClvName(int horizonMonths) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"clv_{horizonMonths}m");

    /// <summary>A CLV interval bound, read in place.</summary>
    private delegate double ClvBound(in CustomerClvInterval interval);

    /// <summary>A CLV interval bound, read in place; null without intervals.</summary>
    private static CustomerClvField Field(ClvBound bound) => (in CustomerClv clv) =>
    {
        var interval = clv.Interval;
        return interval.HasValue ? bound(in Nullable.GetValueRefOrDefaultRef(in interval)) : null;
    };

    /// <summary>The churn columns appended when a churn model scores the run.</summary>
    public static IReadOnlyList<CustomerColumn> Churn { get; } =
    [
        CustomerColumn.NullableReal("churn_probability", "Calibrated probability of no purchase in the churn horizon after the as-of date; null for lapsed customers (no purchase in the active window)", CsvRounding.SignificantDigits6, c => c.Churn?.Probability),
        CustomerColumn.NullableText("churn_risk", "high (top 10% of the active base by probability), medium (next 20%), low, or lapsed (no purchase in the active window, no probability)", c => c.Churn is { } ch ? ChurnRiskThresholds.Code(ch.Risk) : null),
        CustomerColumn.NullableText("churn_reason_1", "Feature that raised the churn risk most (tree feature contribution); empty when none raised it", c => c.Churn?.Reason(0)),
        CustomerColumn.NullableText("churn_reason_2", "Second largest positive contribution", c => c.Churn?.Reason(1)),
        CustomerColumn.NullableText("churn_reason_3", "Third largest positive contribution", c => c.Churn?.Reason(2)),
    ];

    /// <summary>
    /// The columns of a run: <see cref="All"/>, then the CLV columns when <paramref name="clvHorizonMonths"/> is given
    /// (with their interval bounds when <paramref name="clvIntervals"/>), then the churn columns when <paramref name="churn"/>.
    /// </summary>
    public static IReadOnlyList<CustomerColumn> For(int? clvHorizonMonths, bool churn = false, bool clvIntervals = false) =>
        [.. All, .. clvHorizonMonths is { } h ? Clv(h, clvIntervals) : [], .. churn ? Churn : []];

    /// <summary>The column names of <paramref name="columns"/> (default <see cref="All"/>), in order.</summary>
    public static string[] Names(IReadOnlyList<CustomerColumn>? columns = null)
    {
        columns ??= All;
        var names = new string[columns.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = columns[i].Name;
        }

        return names;
    }

    /// <summary>The stable lowercase code of a lifecycle stage, as written to the customer table and summary.json.</summary>
    public static string LifecycleStageCode(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Inactive => "inactive",
        LifecycleStage.New => "new",
        LifecycleStage.Active => "active",
        LifecycleStage.Occasional => "occasional",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown lifecycle stage."),
    };

    /// <summary>The <c>value_tier</c> code: <c>top</c> or <c>rest</c>.</summary>
    public static string ValueTierCode(bool topValueTier) => topValueTier ? "top" : "rest";

    /// <summary>
    /// The column contract as a Markdown table (column | type | unit / meaning), one row per column in order, each
    /// line ending in <c>\n</c>. The README's table is checked against this text.
    /// </summary>
    public static string ToMarkdownTable(IReadOnlyList<CustomerColumn>? columns = null)
    {
        columns ??= All;
        var sb = new StringBuilder();
        sb.Append("| Column | Type | Unit / meaning |\n");
        sb.Append("|---|---|---|\n");
        foreach (var column in columns)
        {
            sb.Append("| `").Append(column.Name).Append("` | ").Append(column.TypeName).Append(" | ")
                .Append(EscapeCell(column.Meaning)).Append(" |\n");
        }

        return sb.ToString();
    }

    /// <summary>Checks a column list before any file is opened: names unique and non-empty.</summary>
    internal static void Validate(IReadOnlyList<CustomerColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("At least one column is required.", nameof(columns));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            ArgumentNullException.ThrowIfNull(column, nameof(columns));
            if (!seen.Add(column.Name))
            {
                throw new ArgumentException($"Column '{column.Name}' appears twice.", nameof(columns));
            }
        }
    }

    private static string EscapeCell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal);
}
