using CrmAnalytics.Churn.Features;
using CrmAnalytics.Churn.Scoring;

namespace CrmAnalytics.Churn.Tests.Scoring;

[TestFixture]
public sealed class ChurnReasonTextTests
{
    [TestCase("recency_gap_ratio", 3.2f, "recency 3.2× their usual gap")]
    [TestCase("recency_gap_ratio", -1f, "one purchase only, no usual gap yet")]
    [TestCase("recency_days", 45f, "no purchase for 45 days")]
    [TestCase("orders_90d", 2f, "2 orders in the last 90 days")]
    [TestCase("spend_365d", 120.5f, "spent 120.5 in the last 365 days")]
    [TestCase("trend_orders_90d_365d", 0.4f, "orders in the last 90 days at 0.4× their yearly pace")]
    [TestCase("trend_orders_90d_365d", -1f, "no orders in the last year")]
    [TestCase("returns_share", 0.25f, "returned 25% of what they bought")]
    [TestCase("rfm_f", 2f, "RFM frequency score 2 of 5")]
    public void Describe_SummaryFeature_InWords(string feature, float value, string expected) =>
        Assert.That(ChurnReasonText.Describe(new ChurnFeature(feature, ChurnFeatureKind.Summary), value), Is.EqualTo(expected));

    [Test]
    public void Describe_Attributes_NameTheColumn()
    {
        Assert.That(ChurnReasonText.Describe(new ChurnFeature("attr_plan=gold", ChurnFeatureKind.AttributeCategory, "plan", "gold"), 1f), Is.EqualTo("plan is gold"));
        Assert.That(ChurnReasonText.Describe(new ChurnFeature("attr_age", ChurnFeatureKind.Attribute, "age"), 41f), Is.EqualTo("age 41"));
    }
}
