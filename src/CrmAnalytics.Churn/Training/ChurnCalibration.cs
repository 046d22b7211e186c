namespace CrmAnalytics.Churn.Training;

/// <summary>How a classifier's raw score becomes a churn probability.</summary>
public enum ChurnCalibrationMethod
{
    /// <summary>Platt scaling: a logistic curve in the raw score (default).</summary>
    Platt,

    /// <summary>Isotonic regression: the best non-decreasing step curve, interpolated linearly between steps.</summary>
    Isotonic,

    /// <summary>
    /// Platt scaling moved by last year's seasonal change (<see cref="SeasonalPlattScaling"/>); plain Platt scaling when
    /// the history does not reach a year before the evaluation's calibration cut-off.
    /// </summary>
    Seasonal,
}

/// <summary>A fitted map from raw score to probability.</summary>
public abstract record ChurnCalibration
{
    public abstract ChurnCalibrationMethod Method { get; }

    public abstract double Probability(double score);

    /// <exception cref="ArgumentException">Only one class is present.</exception>
    public static ChurnCalibration Fit(ChurnCalibrationMethod method, IReadOnlyList<double> scores, IReadOnlyList<bool> labels) => method switch
    {
        ChurnCalibrationMethod.Platt => PlattScaling.Fit(scores, labels),
        ChurnCalibrationMethod.Isotonic => IsotonicCalibration.Fit(scores, labels),
        ChurnCalibrationMethod.Seasonal => throw new ArgumentException("Seasonal calibration needs the periods a year earlier: use SeasonalPlattScaling.Fit.", nameof(method)),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown calibration method."),
    };
}

/// <summary>
/// Isotonic regression by pool-adjacent-violators (Barlow et al. 1972; Zadrozny &amp; Elkan 2002 for calibration):
/// the non-decreasing fit of the churn rate to the raw score that minimises squared error. Like scikit-learn's
/// <c>IsotonicRegression(out_of_bounds="clip")</c>, each pooled block contributes its lowest and highest score at its
/// mean, probabilities between these points are interpolated linearly, and scores outside them take the end values.
/// </summary>
/// <param name="Scores">The interpolation points' raw scores, ascending.</param>
/// <param name="Probabilities">Their probabilities, non-decreasing.</param>
internal sealed record IsotonicCalibration(IReadOnlyList<double> Scores, IReadOnlyList<double> Probabilities) : ChurnCalibration
{
    public override ChurnCalibrationMethod Method => ChurnCalibrationMethod.Isotonic;

    public override double Probability(double score)
    {
        var n = Scores.Count;
        if (score <= Scores[0])
        {
            return Probabilities[0];
        }

        if (score >= Scores[n - 1])
        {
            return Probabilities[n - 1];
        }

        var (lo, hi) = (0, n - 1);
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            (lo, hi) = Scores[mid] <= score ? (mid, hi) : (lo, mid);
        }

        var span = Scores[hi] - Scores[lo];
        return span > 0 ? Probabilities[lo] + (Probabilities[hi] - Probabilities[lo]) * (score - Scores[lo]) / span : Probabilities[hi];
    }

    /// <exception cref="ArgumentException">Only one class is present.</exception>
    public static IsotonicCalibration Fit(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        var positives = labels.Count(l => l);
        if (positives == 0 || positives == labels.Count)
        {
            throw new ArgumentException("Isotonic calibration needs both classes.", nameof(labels));
        }

        // Blocks of (lowest score, highest score, churners, customers), starting from one block per distinct score.
        var blocks = new List<(double Low, double High, double Sum, double Weight)>();
        foreach (var i in Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]))
        {
            var y = labels[i] ? 1.0 : 0.0;
            if (blocks.Count > 0 && blocks[^1].High == scores[i])
            {
                var last = blocks[^1];
                blocks[^1] = (last.Low, last.High, last.Sum + y, last.Weight + 1);
            }
            else
            {
                blocks.Add((scores[i], scores[i], y, 1));
            }

            // Pool while the last block's mean is not above the one before it.
            while (blocks.Count > 1 && blocks[^1].Sum / blocks[^1].Weight <= blocks[^2].Sum / blocks[^2].Weight)
            {
                var (a, b) = (blocks[^2], blocks[^1]);
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = (a.Low, b.High, a.Sum + b.Sum, a.Weight + b.Weight);
            }
        }

        var points = new List<(double Score, double Probability)>();
        foreach (var (low, high, sum, weight) in blocks)
        {
            points.Add((low, sum / weight));
            if (high > low)
            {
                points.Add((high, sum / weight));
            }
        }

        return new IsotonicCalibration(points.Select(p => p.Score).ToArray(), points.Select(p => p.Probability).ToArray());
    }
}
