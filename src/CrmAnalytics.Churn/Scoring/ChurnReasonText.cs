using System.Globalization;
using CrmAnalytics.Churn.Features;

namespace CrmAnalytics.Churn.Scoring;

/// <summary>A churn reason (a feature and the customer's value of it) in words a marketer reads.</summary>
internal static class ChurnReasonText
{
    public static string Describe(ChurnFeature feature, float value)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var v = (double)value;
        var undefined = value < 0;
        return feature.Kind switch
        {
            ChurnFeatureKind.AttributeCategory => Text($"{feature.Source} is {feature.Category}"),
            ChurnFeatureKind.Attribute => undefined ? Text($"{feature.Source} unknown") : Text($"{feature.Source} {v:0.##}"),
            _ => Summary(feature.Name, v, undefined),
        };
    }

    private static string Summary(string name, double v, bool undefined) => name switch
    {
        "recency_days" => Text($"no purchase for {v:0} days"),
        "recency_gap_ratio" => undefined ? "one purchase only, no usual gap yet" : Text($"recency {v:0.0}× their usual gap"),
        "frequency" => Text($"{v:0} repeat purchases"),
        "tenure_days" => Text($"customer for {v:0} days"),
        "monetary_total" => Text($"spent {v:0.##} in total"),
        "average_order_value" => Text($"average order {v:0.##}"),
        "mean_repeat_value" => Text($"average repeat order {v:0.##}"),
        "mean_gap_days" => Text($"usually {v:0} days between purchases"),
        "gap_std_days" => Text($"irregular: gaps vary by {v:0} days"),
        "orders_30d" or "orders_90d" or "orders_180d" or "orders_365d" => Text($"{v:0} orders in the last {Days(name)} days"),
        "orders_prior_year" => Text($"{v:0} orders in the year before the last"),
        "spend_30d" or "spend_90d" or "spend_180d" or "spend_365d" => Text($"spent {v:0.##} in the last {Days(name)} days"),
        "trend_orders_90d_365d" => undefined ? "no orders in the last year" : Text($"orders in the last 90 days at {v:0.0}× their yearly pace"),
        "trend_spend_90d_365d" => undefined ? "no spend in the last year" : Text($"spend in the last 90 days at {v:0.0}× their yearly pace"),
        "trend_orders_365d_prior_year" => undefined ? "no orders in the year before the last" : Text($"orders in the last year at {v:0.0}× the year before"),
        "returns_share" => Text($"returned {v * 100:0}% of what they bought"),
        "rfm_r" => Text($"RFM recency score {v:0} of 5"),
        "rfm_f" => Text($"RFM frequency score {v:0} of 5"),
        "rfm_m" => Text($"RFM monetary score {v:0} of 5"),
        "p_alive" => Text($"purchase model: {v * 100:0}% likely still a customer"),
        "expected_purchases_90d" => Text($"purchase model expects {v:0.0} purchases in 90 days"),
        "nps_score" => undefined ? "no survey answer" : Text($"last NPS score {v:0}"),
        _ => Text($"{name} {v:0.##}"),
    };

    private static string Days(string name) => name[(name.IndexOf('_') + 1)..^1];

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
