using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.Core.Tests.Churn;

[TestFixture]
public sealed class ChurnBandsTests
{
    [Test]
    public void Assign_TwentyCustomersByRank_TopTwoHighNextFourMedium()
    {
        // p = 0.05, 0.10, …, 1.00 in shuffled input order. Hand-worked: 10% of 20 = 2 high (1.00, 0.95), the next
        // 20% = 4 medium (0.90 … 0.75), the rest low; the cut-offs are the lowest probability in each band.
        var p = new[] { 14, 3, 20, 7, 19, 1, 12, 18, 5, 17, 9, 16, 2, 11, 4, 15, 6, 13, 8, 10 }.Select(k => k * 0.05).ToArray();

        var result = ChurnBands.Assign(p, new ChurnBandOptions());

        for (var i = 0; i < p.Length; i++)
        {
            var expected = p[i] >= 0.95 - 1e-9 ? ChurnRisk.High : p[i] >= 0.75 - 1e-9 ? ChurnRisk.Medium : ChurnRisk.Low;
            Assert.That(result.Risks[i], Is.EqualTo(expected), $"p = {p[i]}");
        }

        Assert.That(result.HighCutoff, Is.EqualTo(0.95).Within(1e-12));
        Assert.That(result.MediumCutoff, Is.EqualTo(0.75).Within(1e-12));
    }

    [Test]
    public void Assign_TiesAcrossTheBoundary_FirstInInputOrderIsHigh()
    {
        // Ten customers, one high place; the three tied at the top are ranked by input order (customer id order).
        var result = ChurnBands.Assign([0.5, 0.9, 0.9, 0.1, 0.9, 0.2, 0.3, 0.4, 0.6, 0.7], new ChurnBandOptions { HighShare = 0.1, MediumShare = 0.2 });

        Assert.That(result.Risks, Is.EqualTo(new[]
        {
            ChurnRisk.Low, ChurnRisk.High, ChurnRisk.Medium, ChurnRisk.Low, ChurnRisk.Medium,
            ChurnRisk.Low, ChurnRisk.Low, ChurnRisk.Low, ChurnRisk.Low, ChurnRisk.Low,
        }));
    }

    [Test]
    public void Assign_AbsoluteThresholds_ClassifyByProbability()
    {
        var result = ChurnBands.Assign([0.75, 0.7, 0.69, 0.4, 0.39], new ChurnBandOptions { Thresholds = new ChurnRiskThresholds(0.7, 0.4) });

        Assert.That(result.Risks, Is.EqualTo(new[] { ChurnRisk.High, ChurnRisk.High, ChurnRisk.Medium, ChurnRisk.Medium, ChurnRisk.Low }));
        Assert.That((result.HighCutoff, result.MediumCutoff), Is.EqualTo((0.7, 0.4)));
    }

    [Test]
    public void Assign_NoCustomers_EmptyBandsWithoutCutoffs()
    {
        var result = ChurnBands.Assign([], new ChurnBandOptions());

        Assert.That(result.Risks, Is.Empty);
        Assert.That(result.HighCutoff, Is.Null);
        Assert.That(result.MediumCutoff, Is.Null);
    }

    [TestCase(0.0, 0.2, false)]
    [TestCase(0.6, 0.5, false)]
    [TestCase(0.1, 0.2, true)]
    [TestCase(0.5, 0.5, true)]
    public void Validate_Shares_OnlyAPartitionOfTheBaseIsValid(double high, double medium, bool valid) =>
        Assert.That(new ChurnBandOptions { HighShare = high, MediumShare = medium }.Validate(), valid ? Is.Empty : Is.Not.Empty);

    [Test]
    public void Validate_InvalidShares_NamesTheSettingsNotTheFlags()
    {
        var errors = new ChurnBandOptions { HighShare = 0.6, MediumShare = 0.5 }.Validate();

        Assert.That(errors, Is.EqualTo(new[] { "ChurnBandOptions.HighShare (0.6) and ChurnBandOptions.MediumShare (0.5) must satisfy 0 < high, 0 ≤ medium, high + medium ≤ 1." }));
    }

    [Test]
    public void Validate_InvalidThresholds_NamesTheSettingsNotTheFlags()
    {
        var errors = new ChurnBandOptions { Thresholds = new ChurnRiskThresholds(High: 0.3, Medium: 0.4) }.Validate();

        Assert.That(errors, Is.EqualTo(new[] { "ChurnRiskThresholds.Medium and ChurnRiskThresholds.High must satisfy 0 < medium < high ≤ 1." }));
    }
}
