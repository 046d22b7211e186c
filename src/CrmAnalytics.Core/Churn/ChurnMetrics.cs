using CrmAnalytics.Core.Internals;

namespace CrmAnalytics.Core.Churn;

/// <summary>One row of the reliability table: predictions in [Lower, Upper) (the last bin includes 1).</summary>
public sealed record CalibrationBin(int Bin, double Lower, double Upper, int Count, double MeanPredicted, double ObservedRate);

/// <summary>The reliability bin whose mean prediction is furthest from its observed churn rate.</summary>
/// <param name="Gap">Mean predicted − observed churn rate in the bin: positive when the probabilities run high.</param>
/// <param name="MinShare">Only bins holding at least this share of the customers were compared.</param>
public sealed record CalibrationGap(int Bin, double Lower, double Upper, int Count, double Gap, double MinShare);

/// <summary>One tenth of the customers, ranked by score from the riskiest.</summary>
/// <param name="Lift">Churn rate in the decile / overall churn rate.</param>
/// <param name="CumulativeCapture">Share of all churners found in deciles 1..this one.</param>
public sealed record DecileRow(int Decile, int Count, int Churned, double Rate, double Lift, double CumulativeCapture)
{
    /// <summary>The mean score in the decile; for a probability, against <see cref="Rate"/> it is the calibration by rank decile.</summary>
    public double MeanScore { get; init; }
}

/// <summary>How well a score ranks and (when it is a probability) predicts churn.</summary>
/// <param name="LogLoss">Mean negative log-likelihood; null for a rank-only score.</param>
/// <param name="Brier">Mean squared error of the probability; null for a rank-only score.</param>
public sealed record ChurnMetrics(
    string Name,
    int Count,
    int Churned,
    double Auc,
    double PrAuc,
    double? LogLoss,
    double? Brier,
    double TopDecileLift,
    double TopDecileCapture,
    IReadOnlyList<DecileRow> Deciles,
    IReadOnlyList<CalibrationBin>? Calibration)
{
    /// <summary>
    /// The calibration error issue 12 sets a goal for (under 0.05): the largest |mean predicted − observed| over the
    /// reliability bins that hold at least <see cref="ChurnMetricsCalculator.CalibrationGapMinShare"/> of the customers;
    /// null for a rank-only score.
    /// </summary>
    public CalibrationGap? LargestCalibrationGap => Calibration is null ? null : ChurnMetricsCalculator.LargestGap(Calibration);
}

/// <summary>Ranking and probability metrics for binary churn labels.</summary>
public static class ChurnMetricsCalculator
{
    /// <summary>Metrics of a probability of churn.</summary>
    public static ChurnMetrics ForProbability(string name, IReadOnlyList<double> probability, IReadOnlyList<bool> churned) =>
        Compute(name, probability, churned, isProbability: true);

    /// <summary>Rank metrics only, for a score where higher means riskier but which is not a probability (e.g. recency).</summary>
    public static ChurnMetrics ForRanking(string name, IReadOnlyList<double> score, IReadOnlyList<bool> churned) =>
        Compute(name, score, churned, isProbability: false);

    /// <summary>
    /// ROC AUC as the Mann-Whitney statistic: the probability that a random churner scores above a random stayer,
    /// ties counting one half (average ranks).
    /// </summary>
    public static double Auc(IReadOnlyList<double> score, IReadOnlyList<bool> churned)
    {
        var (s, c) = Arrays(score, churned);
        return Auc(TieGroups(Ranking(s), s, c), s.Length);
    }

    /// <param name="groups">The tie groups, highest scores first (<see cref="TieGroups"/>).</param>
    private static double Auc((int Size, int Churned)[] groups, int count)
    {
        double rankSumPositive = 0;
        long positives = 0;
        var start = 0;
        for (var g = groups.Length - 1; g >= 0; g--)
        {
            var (size, churners) = groups[g];
            // Tied scores share the average of their ranks start + 1 … start + size.
            rankSumPositive += (start + ((size - 1) / 2.0) + 1) * churners;
            positives += churners;
            start += size;
        }

        var negatives = count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision: Σ over thresholds (distinct scores, highest first) of precision × the recall gained there.
    /// Tied scores form one threshold, so the result does not depend on the order of ties.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<double> score, IReadOnlyList<bool> churned)
    {
        var (s, c) = Arrays(score, churned);
        return AveragePrecision(TieGroups(Ranking(s), s, c), Positives(c));
    }

    /// <param name="groups">The tie groups, highest scores first (<see cref="TieGroups"/>).</param>
    private static double AveragePrecision((int Size, int Churned)[] groups, int positives)
    {
        if (positives == 0)
        {
            return double.NaN;
        }

        double ap = 0;
        var truePositives = 0;
        var seen = 0;
        foreach (var (size, churners) in groups)
        {
            truePositives += churners;
            seen += size;
            ap += (double)truePositives / seen * churners / positives;
        }

        return ap;
    }

    private static int Positives(bool[] churned)
    {
        var positives = 0;
        foreach (var c in churned)
        {
            positives += c ? 1 : 0;
        }

        return positives;
    }

    /// <summary>The inputs as arrays (no copy when they are): the metrics index them millions of times.</summary>
    private static (double[] Score, bool[] Churned) Arrays(IReadOnlyList<double> score, IReadOnlyList<bool> churned)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(churned);
        if (score.Count != churned.Count)
        {
            throw new ArgumentException("Scores and labels differ in length.", nameof(churned));
        }

        return (score as double[] ?? [.. score], churned as bool[] ?? [.. churned]);
    }

    /// <summary>
    /// Indices by score, highest first, ties in input order: the one sort that deciles, AUC and average precision share.
    /// Sorting plain keys and then each run of equal keys by index gives the order of
    /// <c>OrderByDescending(score).ThenBy(index)</c> at a fraction of its cost on a million rows. Without NaN the keys
    /// are negated and sorted ascending by <see cref="DoubleKeySort"/> (a comparer delegate made the sort several times
    /// slower); with NaN, which sorts lowest, they are sorted descending through a comparer.
    /// </summary>
    private static int[] Ranking(double[] score)
    {
        var n = score.Length;
        var keys = new double[n];
        var order = new int[n];
        var nan = false;
        for (var i = 0; i < n; i++)
        {
            keys[i] = -score[i];
            nan |= double.IsNaN(keys[i]);
            order[i] = i;
        }

        if (nan)
        {
            for (var i = 0; i < n; i++)
            {
                keys[i] = score[i];
            }

            Array.Sort(keys, order, Comparer<double>.Create(static (a, b) => b.CompareTo(a)));
        }
        else
        {
            DoubleKeySort.Sort(keys, order);
        }

        var start = 0;
        for (var i = 1; i <= n; i++)
        {
            if (i == n || keys[i].CompareTo(keys[start]) != 0)
            {
                Array.Sort(order, start, i - start);
                start = i;
            }
        }

        return order;
    }

    /// <summary>
    /// The groups of tied scores in <paramref name="order"/> (highest first), with their churners, highest first. A group
    /// is a run of equal scores; each NaN is a group of its own.
    /// </summary>
    /// <remarks>
    /// Counted first, then filled into an array of that size: on a million distinct scores a growing list left 25 MB of
    /// large discarded arrays per metric, and the evaluation computes eight metrics side by side.
    /// </remarks>
    private static (int Size, int Churned)[] TieGroups(int[] order, double[] score, bool[] churned)
    {
        var n = order.Length;
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            count += i == 0 || score[order[i]] != score[order[i - 1]] ? 1 : 0;
        }

        var groups = new (int Size, int Churned)[count];
        var g = 0;
        var i0 = 0;
        while (i0 < n)
        {
            var i1 = i0;
            var churners = churned[order[i0]] ? 1 : 0;
            while (i1 + 1 < n && score[order[i1 + 1]] == score[order[i0]])
            {
                i1++;
                churners += churned[order[i1]] ? 1 : 0;
            }

            groups[g++] = (i1 - i0 + 1, churners);
            i0 = i1 + 1;
        }

        return groups;
    }

    /// <summary>Ten equal-width bins over [0, 1]; empty bins are listed with count 0.</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> probability, IReadOnlyList<bool> churned, int bins = 10)
    {
        var (p, c) = Arrays(probability, churned);
        return Calibration(p, c, bins);
    }

    private static CalibrationBin[] Calibration(double[] probability, bool[] churned, int bins)
    {
        var count = new int[bins];
        var sum = new double[bins];
        var positive = new int[bins];
        for (var i = 0; i < probability.Length; i++)
        {
            var b = Math.Clamp((int)(probability[i] * bins), 0, bins - 1);
            count[b]++;
            sum[b] += probability[i];
            positive[b] += churned[i] ? 1 : 0;
        }

        return Enumerable.Range(0, bins)
            .Select(b => new CalibrationBin(b + 1, (double)b / bins, (double)(b + 1) / bins, count[b],
                count[b] > 0 ? sum[b] / count[b] : 0, count[b] > 0 ? (double)positive[b] / count[b] : 0))
            .ToArray();
    }

    /// <summary>
    /// The share of the customers a reliability bin must hold to count in <see cref="LargestGap"/>: the issue's "every
    /// decile that holds at least 1 % of the base". Its deciles are the ten probability bins of the reliability table (a
    /// rank decile always holds 10 %); a smaller bin's rate is too noisy to hold to five points (at 1 % of Online
    /// Retail's 3,616 test customers, 36 customers, the standard error of a 50 % rate is already 8 points).
    /// </summary>
    public const double CalibrationGapMinShare = 0.01;

    /// <summary>The bin with the largest |mean predicted − observed| among those holding at least <paramref name="minShare"/> of the customers; null when none does.</summary>
    public static CalibrationGap? LargestGap(IReadOnlyList<CalibrationBin> bins, double minShare = CalibrationGapMinShare)
    {
        ArgumentNullException.ThrowIfNull(bins);
        var total = bins.Sum(b => b.Count);
        return bins
            .Where(b => b.Count > 0 && b.Count >= minShare * total)
            .OrderByDescending(b => Math.Abs(b.MeanPredicted - b.ObservedRate))
            .ThenBy(b => b.Bin)
            .Select(b => new CalibrationGap(b.Bin, b.Lower, b.Upper, b.Count, b.MeanPredicted - b.ObservedRate, minShare))
            .FirstOrDefault();
    }

    /// <summary>
    /// Deciles by score, riskiest first: the i-th ranked customer (0-based, ties in input order) falls in decile
    /// ⌊10 i / n⌋ + 1, so decile sizes differ by at most one.
    /// </summary>
    public static IReadOnlyList<DecileRow> Deciles(IReadOnlyList<double> score, IReadOnlyList<bool> churned)
    {
        var (s, c) = Arrays(score, churned);
        return Deciles(Ranking(s), s, c);
    }

    private static DecileRow[] Deciles(int[] order, double[] score, bool[] churned)
    {
        var n = order.Length;
        var totalChurned = Positives(churned);
        var baseRate = n > 0 ? (double)totalChurned / n : 0;
        var count = new int[10];
        var positive = new int[10];
        var sum = new double[10];
        for (var rank = 0; rank < n; rank++)
        {
            var d = (int)(10L * rank / n);
            count[d]++;
            positive[d] += churned[order[rank]] ? 1 : 0;
            sum[d] += score[order[rank]];
        }

        var rows = new DecileRow[10];
        var cumulative = 0;
        for (var d = 0; d < 10; d++)
        {
            cumulative += positive[d];
            var rate = count[d] > 0 ? (double)positive[d] / count[d] : 0;
            rows[d] = new DecileRow(d + 1, count[d], positive[d], rate, baseRate > 0 ? rate / baseRate : 0,
                totalChurned > 0 ? (double)cumulative / totalChurned : 0)
            {
                MeanScore = count[d] > 0 ? sum[d] / count[d] : 0,
            };
        }

        return rows;
    }

    private static ChurnMetrics Compute(string name, IReadOnlyList<double> scores, IReadOnlyList<bool> labels, bool isProbability)
    {
        var (score, churned) = Arrays(scores, labels);
        var order = Ranking(score);
        var deciles = Deciles(order, score, churned);
        double? logLoss = null;
        double? brier = null;
        if (isProbability && score.Length > 0)
        {
            double ll = 0;
            double sq = 0;
            for (var i = 0; i < score.Length; i++)
            {
                var p = Math.Clamp(score[i], 1e-15, 1 - 1e-15);
                var y = churned[i] ? 1.0 : 0.0;
                ll -= y * Math.Log(p) + (1 - y) * Math.Log(1 - p);
                sq += (score[i] - y) * (score[i] - y);
            }

            logLoss = ll / score.Length;
            brier = sq / score.Length;
        }

        var groups = TieGroups(order, score, churned);
        var positives = Positives(churned);
        return new ChurnMetrics(name, score.Length, positives, Auc(groups, score.Length), AveragePrecision(groups, positives),
            logLoss, brier, deciles[0].Lift, deciles[0].CumulativeCapture, deciles,
            isProbability ? Calibration(score, churned, 10) : null);
    }
}

/// <summary>The model's and the baselines' metrics on one test population.</summary>
public sealed record ChurnPopulationMetrics(ChurnMetrics Model, IReadOnlyList<ChurnMetrics> Baselines);
