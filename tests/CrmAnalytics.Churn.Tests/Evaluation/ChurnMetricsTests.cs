using CrmAnalytics.Core.Churn;

namespace CrmAnalytics.Churn.Tests.Evaluation;

[TestFixture]
public sealed class ChurnMetricsTests
{
    // scikit-learn's documented examples: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75 and
    // average_precision_score on the same data = 0.8333 (sklearn.metrics docs, "Examples").
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8];
    private static readonly bool[] Labels = [false, false, true, true];

    [Test]
    public void Auc_ScikitLearnExample_Is075()
    {
        Assert.That(ChurnMetricsCalculator.Auc(Scores, Labels), Is.EqualTo(0.75).Within(1e-12));
    }

    [Test]
    public void AveragePrecision_ScikitLearnExample_Is0833()
    {
        // Thresholds from the top: 0.8 (TP, precision 1, recall +1/2), 0.4 (FP), 0.35 (TP, precision 2/3, recall +1/2).
        Assert.That(ChurnMetricsCalculator.AveragePrecision(Scores, Labels), Is.EqualTo(0.5 * 1 + 0.5 * 2.0 / 3).Within(1e-12));
    }

    [Test]
    public void Auc_TiedScores_CountHalf()
    {
        // Every churner ties with every stayer: each pair counts 1/2.
        Assert.That(ChurnMetricsCalculator.Auc([0.5, 0.5, 0.5, 0.5], [true, false, true, false]), Is.EqualTo(0.5));
        // One churner above both stayers, one tied with one stayer and above the other: (2 + 1.5) / 4.
        Assert.That(ChurnMetricsCalculator.Auc([0.9, 0.3, 0.3, 0.1], [true, true, false, false]), Is.EqualTo(0.875));
    }

    [Test]
    public void Auc_MatchesPairCountOnRandomScores()
    {
        var random = new Random(7);
        var scores = Enumerable.Range(0, 300).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray();
        var labels = scores.Select(s => random.NextDouble() < s).ToArray();
        double wins = 0;
        long pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            for (var j = 0; j < scores.Length; j++)
            {
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
            }
        }

        Assert.That(ChurnMetricsCalculator.Auc(scores, labels), Is.EqualTo(wins / pairs).Within(1e-12));
    }

    [Test]
    public void ForProbability_ManyTies_SameAsTheLinqOrderingsBitForBit()
    {
        // Scores on a coarse grid, so most customers share their score with others: the shared sort must group and
        // order ties exactly as OrderBy / OrderByDescending(...).ThenBy(index) did.
        var random = new Random(11);
        var scores = Enumerable.Range(0, 5_000).Select(_ => Math.Round(random.NextDouble() * 40) / 40).ToArray();
        var labels = scores.Select(s => random.NextDouble() < s).ToArray();
        var n = scores.Length;
        var ascending = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        var descending = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        double rankSum = 0;
        long positives = 0;
        for (var start = 0; start < n;)
        {
            var end = start;
            var churners = 0;
            while (end < n && scores[ascending[end]] == scores[ascending[start]])
            {
                churners += labels[ascending[end++]] ? 1 : 0;
            }

            rankSum += (start + ((end - start - 1) / 2.0) + 1) * churners;
            positives += churners;
            start = end;
        }

        var expectedAuc = (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * (n - positives));
        var m = ChurnMetricsCalculator.ForProbability("m", scores, labels);

        Assert.That(m.Auc, Is.EqualTo(expectedAuc), "the same sum in the same order");
        Assert.That(m.Deciles.Select(d => d.Churned), Is.EqualTo(Enumerable.Range(0, 10).Select(d =>
            Enumerable.Range(d * n / 10, n / 10).Count(rank => labels[descending[rank]]))));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ForRanking_SignedZerosAndNaN_OrderAsLinqDescendingThenIndex(bool withNaN)
    {
        // −0 and +0 are one tie; NaN (when present) ranks lowest, as Comparer<double>.Default has it. Without NaN the
        // ranking takes the negated-key fast path, with NaN the comparer path: both must give LINQ's order.
        var random = new Random(5);
        double[] grid = [-0.0, 0.0, 0.25, -0.25, 1, double.PositiveInfinity, double.NegativeInfinity];
        var scores = Enumerable.Range(0, 1_000).Select(i => withNaN && i % 13 == 0 ? double.NaN : grid[random.Next(grid.Length)]).ToArray();
        var labels = scores.Select(_ => random.NextDouble() < 0.4).ToArray();
        var n = scores.Length;
        var descending = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();

        var m = ChurnMetricsCalculator.ForRanking("r", scores, labels);

        Assert.That(m.Deciles.Select(d => d.Churned), Is.EqualTo(Enumerable.Range(0, 10).Select(d =>
            Enumerable.Range(d * n / 10, n / 10).Count(rank => labels[descending[rank]]))));
    }

    [Test]
    public void ForProbability_LogLossAndBrier_HandWorked()
    {
        // p = 0.8 churned, 0.4 stayed: log-loss = −(ln 0.8 + ln 0.6)/2, Brier = (0.04 + 0.16)/2.
        var m = ChurnMetricsCalculator.ForProbability("m", [0.8, 0.4], [true, false]);
        Assert.That(m.LogLoss, Is.EqualTo(-(Math.Log(0.8) + Math.Log(0.6)) / 2).Within(1e-12));
        Assert.That(m.Brier, Is.EqualTo(0.1).Within(1e-12));
        Assert.That(ChurnMetricsCalculator.ForRanking("r", [0.8, 0.4], [true, false]).LogLoss, Is.Null);
    }

    [Test]
    public void Deciles_TwentyCustomers_LiftAndCaptureFromTheTop()
    {
        // Scores 19..0; the top 4 ranks and rank 10 churned: 5 churners in 20 (base rate 0.25).
        var scores = Enumerable.Range(0, 20).Select(i => 19.0 - i).ToArray();
        var labels = Enumerable.Range(0, 20).Select(i => i < 4 || i == 10).ToArray();
        var deciles = ChurnMetricsCalculator.Deciles(scores, labels);

        Assert.That(deciles.Select(d => d.Count), Is.All.EqualTo(2));
        Assert.That(deciles[0].Churned, Is.EqualTo(2));
        Assert.That(deciles[0].Lift, Is.EqualTo(1.0 / 0.25));
        Assert.That(deciles[1].CumulativeCapture, Is.EqualTo(4.0 / 5));
        Assert.That(deciles[5].Churned, Is.EqualTo(1));
        Assert.That(deciles[9].CumulativeCapture, Is.EqualTo(1.0));
    }

    [Test]
    public void Calibration_TenEqualBins_LastIncludesOne()
    {
        var bins = ChurnMetricsCalculator.Calibration([0.05, 0.15, 0.95, 1.0], [false, true, true, true]);
        Assert.That(bins, Has.Count.EqualTo(10));
        Assert.That((bins[0].Count, bins[0].ObservedRate), Is.EqualTo((1, 0.0)));
        Assert.That((bins[1].Count, bins[1].ObservedRate), Is.EqualTo((1, 1.0)));
        Assert.That((bins[9].Count, bins[9].MeanPredicted), Is.EqualTo((2, 0.975)));
    }

    [Test]
    public void LargestGap_BinUnderOnePercent_IsLeftOut()
    {
        // 199 customers at p = 0.75, 150 churned: observed 150/199 = 0.75377, gap −0.00377. One customer at p = 0.05
        // churned: gap +0.95, but 1 of 200 is 0.5 % of the customers, under the 1 % the goal counts.
        var probability = Enumerable.Repeat(0.75, 199).Append(0.05).ToArray();
        var churned = Enumerable.Range(0, 199).Select(i => i < 150).Append(true).ToArray();

        var gap = ChurnMetricsCalculator.ForProbability("m", probability, churned).LargestCalibrationGap!;

        Assert.That((gap.Bin, gap.Lower, gap.Upper, gap.Count, gap.MinShare), Is.EqualTo((8, 0.7, 0.8, 199, 0.01)));
        Assert.That(gap.Gap, Is.EqualTo(0.75 - 150 / 199.0).Within(1e-12));
    }

    [Test]
    public void LargestGap_BinOfExactlyOnePercent_Counts()
    {
        // 99 customers at p = 0.75 (75 churned, gap 0) and one at p = 0.05 who churned: 1 of 100 is 1 %, so its
        // gap 0.05 − 1 = −0.95 is the largest.
        var probability = Enumerable.Repeat(0.75, 99).Append(0.05).ToArray();
        var churned = Enumerable.Range(0, 99).Select(i => i < 75).Append(true).ToArray();

        var gap = ChurnMetricsCalculator.LargestGap(ChurnMetricsCalculator.Calibration(probability, churned))!;

        Assert.That((gap.Bin, gap.Count), Is.EqualTo((1, 1)));
        Assert.That(gap.Gap, Is.EqualTo(-0.95).Within(1e-12));
    }

    [Test]
    public void LargestCalibrationGap_RankOnlyScore_IsNull() =>
        Assert.That(ChurnMetricsCalculator.ForRanking("recency", [30.0, 200], [false, true]).LargestCalibrationGap, Is.Null);

    [Test]
    public void Deciles_MeanScore_IsTheDecileAverage()
    {
        // Twenty scores 19..0, two per decile: decile 1 holds 19 and 18 (mean 18.5), decile 10 holds 1 and 0 (0.5).
        var deciles = ChurnMetricsCalculator.Deciles(Enumerable.Range(0, 20).Select(i => 19.0 - i).ToArray(), new bool[20]);

        Assert.That(deciles.Select(d => d.MeanScore), Is.EqualTo(Enumerable.Range(0, 10).Select(d => 18.5 - 2 * d)));
    }
}
