using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.Core.Tests.Churn;

[TestFixture]
public sealed class ContactPlanTests
{
    [TestCase("top", "Lost", "recency_days", "personal call or visit by the account manager", 3)]
    [TestCase("rest", "Champions", "recency_days", "personal email from the customer team", 7)]
    [TestCase("rest", "At Risk", "orders_90d", "personal email from the customer team", 7)]
    [TestCase("rest", "Lost", "recency_gap_ratio", "automated win-back offer", 14)]
    public void Assign_DefaultPlan_FirstMatchingRuleWins(string tier, string segment, string reason, string action, int days)
    {
        var rule = ContactPlan.Default.Assign(tier, segment, [reason]);

        Assert.That((rule.Action, rule.ContactWithinDays), Is.EqualTo((action, days)));
    }

    [Test]
    public void Assign_ReasonRule_MatchesAnyOfTheCustomersReasons()
    {
        var plan = ContactPlan.Parse("""
            { "rules": [
              { "name": "off-rhythm", "reasons": ["recency_gap_ratio"], "action": "call", "contact_within_days": 2 },
              { "name": "rest", "action": "email", "contact_within_days": 10 } ] }
            """, "test");

        Assert.That(plan.Assign("rest", "Lost", ["orders_90d", "recency_gap_ratio"]).Action, Is.EqualTo("call"));
        Assert.That(plan.Assign("rest", "Lost", ["orders_90d"]).Action, Is.EqualTo("email"));
        Assert.That(plan.Assign("rest", "Lost", []).Action, Is.EqualTo("email"));
    }

    [Test]
    public void Parse_DefaultPlanJson_RoundTrips()
    {
        var again = ContactPlan.Parse(ContactPlan.Default.ToJson(), "default");

        Assert.That(again.Rules.Select(r => (r.Name, r.ValueTier, Segments: r.Segments is null ? null : string.Join("|", r.Segments), r.Action, r.ContactWithinDays)),
            Is.EqualTo(ContactPlan.Default.Rules.Select(r => (r.Name, r.ValueTier, Segments: r.Segments is null ? null : string.Join("|", r.Segments), r.Action, r.ContactWithinDays))));
    }

    [Test]
    public void Parse_InvalidRules_ReportsEveryProblemTogether()
    {
        var ex = Assert.Throws<ConfigurationException>(() => ContactPlan.Parse("""
            { "rules": [
              { "name": "a", "value_tier": "gold", "action": "call", "contact_within_days": -1 },
              { "name": "b", "segments": [], "action": " ", "contact_within_days": 3 } ] }
            """, "plan.json"));

        Assert.That(ex!.Message, Does.Contain("value_tier must be 'top' or 'rest'")
            .And.Contain("contact_within_days must be 0 or more")
            .And.Contain("rule 2 ('b') has no action")
            .And.Contain("matches nobody")
            .And.Contain("the last rule must match everyone"));
    }

    [TestCase("{ \"rules\": [ { \"name\": \"x\", \"action\": \"a\", \"contact_within_days\": 1, \"tier\": \"top\" } ] }", "tier")]
    [TestCase("{ \"rules\": [ { \"name\": \"x\", \"action\": \"a\" } ] }", "contact_within_days")]
    [TestCase("{ \"rules\": [ ", "not a contact plan")]
    [TestCase("{ \"rules\": [] }", "no rules")]
    public void Parse_MalformedFiles_AreConfigurationErrors(string json, string message) =>
        Assert.That(() => ContactPlan.Parse(json, "plan.json"), Throws.TypeOf<ConfigurationException>().With.Message.Contains(message));

    [Test]
    public void Lint_UnknownNamesAndShadowedRule_AreReported()
    {
        var plan = ContactPlan.Parse("""
            { "rules": [
              { "name": "vip", "value_tier": "top", "action": "call", "contact_within_days": 1 },
              { "name": "vip-lost", "value_tier": "top", "segments": ["Lost"], "action": "visit", "contact_within_days": 1 },
              { "name": "typo", "segments": ["Champs"], "reasons": ["recency"], "action": "email", "contact_within_days": 5 },
              { "name": "rest", "action": "offer", "contact_within_days": 14 } ] }
            """, "plan.json");

        var findings = ContactPlanLinter.Lint(plan, ["Champions", "Lost"], ["recency_days"]);

        Assert.That(findings, Is.EqualTo(new[]
        {
            "rule 2 ('vip-lost') never wins: rule 1 ('vip') matches every customer it matches",
            "rule 3 ('typo'): segment 'Champs' is not a segment of the rules; it never matches",
            "rule 3 ('typo'): reason 'recency' is not a churn feature; it never matches",
        }));
        Assert.That(ContactPlanLinter.Lint(ContactPlan.Default, Core.Rfm.RfmSegmentRules.Default.Rules.Select(r => r.Name).ToArray(), ["recency_days"]), Is.Empty);
    }
}
