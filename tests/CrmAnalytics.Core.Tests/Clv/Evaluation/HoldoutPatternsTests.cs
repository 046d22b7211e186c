using CrmAnalytics.Core.Clv;
using CrmAnalytics.Core.Clv.BgNbd;
using CrmAnalytics.Core.Clv.Evaluation;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Tests.Clv.Evaluation;

public sealed class HoldoutPatternsTests
{
    private static readonly DateOnly D1 = new(2024, 1, 1);

    [Test]
    public void From_BuilderWithHandMadeLedgers_PatternsHoldoutAndDailySeriesAsWorkedOut()
    {
        // Calibration end day 10 (observation end day 9), holdout end day 20.
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("a", D1, 5);              // a: days 0, 4 (+ a second line on day 4), 12, 25 → x=1, t_x=4, T=9, holdout 1
        b.AddPurchase("a", D1.AddDays(4), 5);
        b.AddPurchase("a", D1.AddDays(4), 5);
        b.AddPurchase("a", D1.AddDays(12), 5);
        b.AddPurchase("a", D1.AddDays(25), 5);
        b.AddPurchase("b", D1.AddDays(15), 5);  // b: first purchase after the calibration end → not in the cohort
        b.AddPurchase("b", D1.AddDays(16), 5);
        b.AddReturn("c", D1.AddDays(2), 5);     // c: returns only
        b.AddPurchase("d", D1.AddDays(7), 5);   // d: x=0, t_x=0, T=2, holdout 2 (days 10 and 19)
        b.AddPurchase("d", D1.AddDays(19), 5);
        b.AddPurchase("d", D1.AddDays(10), 5);

        var split = HoldoutPatterns.From(b, D1.AddDays(10), D1.AddDays(20))!;

        Assert.Multiple(() =>
        {
            Assert.That(split.Patterns, Is.EqualTo(new[] { (1, 4, 9), (0, 0, 2) }));
            Assert.That(split.PatternOf, Is.EqualTo(new[] { 0, 1 }));
            Assert.That(split.Holdout, Is.EqualTo(new[] { 1, 2 }));
            Assert.That(split.CohortStart, Is.EqualTo(D1));
            Assert.That(split.FirstDayCounts, Is.EqualTo(new[] { 1, 0, 0, 0, 0, 0, 0, 1, 0, 0 }));
            int[] repeats = new int[20];
            (repeats[4], repeats[12], repeats[10], repeats[19]) = (1, 1, 1, 1);
            Assert.That(split.RepeatPerDay, Is.EqualTo(repeats));
            Assert.That(split.RepeatPatterns(7).Weight, Is.EqualTo(new[] { 1.0, 1.0 }));
        });
    }

    [Test]
    public void From_BuilderWithoutCustomersBeforeTheCalibrationEnd_IsNull()
    {
        var b = new CustomerSummaryBuilder();
        b.AddPurchase("a", D1.AddDays(15), 5);

        Assert.That(HoldoutPatterns.From(b, D1.AddDays(10), D1.AddDays(20)), Is.Null);
    }

    [Test]
    public void From_CdnowMasterLedgers_SameSplitAsTheSummariesAtTheCalibrationEnd()
    {
        // The ledger walk must give what summaries, holdout counts by id and the daily series gave before it.
        var (calibrationEnd, holdoutEnd) = (new DateOnly(1997, 10, 1), new DateOnly(1998, 7, 1));
        var builder = CdnowMaster.Builder;
        var calibration = builder.Build(calibrationEnd).Customers;
        var cohortStart = calibration.Min(c => c.FirstPurchase);
        var expected = HoldoutPatterns.From(calibration, builder.CountOccasions(calibration, calibrationEnd, holdoutEnd), calibrationEnd, holdoutEnd, cohortStart,
            builder.RepeatOccasionsPerDay(cohortStart, holdoutEnd, calibrationEnd));

        var split = HoldoutPatterns.From(builder, calibrationEnd, holdoutEnd)!;

        Assert.Multiple(() =>
        {
            Assert.That(split.Customers, Is.EqualTo(calibration.Count));
            Assert.That(split.Patterns, Is.EqualTo(expected.Patterns));
            Assert.That(split.PatternOf, Is.EqualTo(expected.PatternOf));
            Assert.That(split.Holdout, Is.EqualTo(expected.Holdout));
            Assert.That(split.Holdout.Sum(), Is.EqualTo(19_684), "the README's actual holdout repeat occasions");
            Assert.That(split.CohortStart, Is.EqualTo(expected.CohortStart));
            Assert.That(split.FirstDayCounts, Is.EqualTo(expected.FirstDayCounts));
            Assert.That(split.RepeatPerDay, Is.EqualTo(expected.RepeatPerDay));
        });
    }

    [Test]
    public void Evaluate_CdnowMaster_MaeAndDecilesEqualTheCustomerByCustomerDefinition()
    {
        // Reference: one prediction per customer, customers sorted by (prediction, position), as the evaluation did
        // before it worked on patterns.
        var (calibrationEnd, holdoutEnd) = (new DateOnly(1997, 10, 1), new DateOnly(1998, 7, 1));
        var split = HoldoutPatterns.From(CdnowMaster.Builder, calibrationEnd, holdoutEnd)!;
        var calibration = CdnowMaster.Builder.Build(calibrationEnd).Customers;
        var model = BgNbdModel.Fit(RepeatPatterns.From(calibration), new FitOptions());
        var predicted = calibration.Select(c => model.ConditionalExpectedPurchases(39, c.Frequency, c.TxDays / 7.0, c.AgeDays / 7.0)).ToArray();
        var n = predicted.Length;
        var order = Enumerable.Range(0, n).OrderBy(i => predicted[i]).ThenBy(i => i).ToArray();
        double abs = 0;
        for (var i = 0; i < n; i++)
        {
            abs += Math.Abs(predicted[i] - split.Holdout[i]);
        }

        var result = HoldoutEvaluation.Evaluate(model, split, 7);

        Assert.Multiple(() =>
        {
            Assert.That(result.MeanAbsoluteError, Is.EqualTo(abs / n));
            Assert.That(result.TotalActual, Is.EqualTo(19_684));
            for (var d = 0; d < 10; d++)
            {
                var members = order[(d * n / 10)..((d + 1) * n / 10)];
                Assert.That(result.Deciles[d].MeanPredicted, Is.EqualTo(members.Sum(i => predicted[i]) / members.Length).Within(1e-12), $"decile {d + 1}");
                Assert.That(result.Deciles[d].MeanActual, Is.EqualTo(members.Average(i => (double)split.Holdout[i])).Within(1e-12), $"decile {d + 1}");
            }
        });
    }
}
