using CrmAnalytics.Core.Customers;

namespace CrmAnalytics.Core.Clv.Evaluation;

/// <summary>How well a purchase model fitted on a calibration period predicts the holdout period that follows it.</summary>
/// <param name="Customers">Calibration customers (first purchase before the calibration end).</param>
/// <param name="MeanAbsoluteError">Mean over customers of |predicted − actual| holdout purchases.</param>
/// <param name="RootMeanSquaredError">√(mean of (predicted − actual)²).</param>
/// <param name="Bias">(Σ predicted − Σ actual) / Σ actual; positive = over-forecast. NaN-free: 0 when nothing was bought.</param>
/// <param name="Deciles">Customers sorted by prediction into ten equal groups (1 = lowest).</param>
/// <param name="Tracking">
/// Weekly repeat purchases of the whole cohort across calibration and holdout, actual and predicted, through the week of
/// the last repeat purchase (or the calibration end, when later).
/// </param>
public sealed record HoldoutEvaluationResult(
    string Model,
    int Customers,
    double HoldoutLengthUnits,
    double MeanAbsoluteError,
    double RootMeanSquaredError,
    double TotalPredicted,
    double TotalActual,
    double Bias,
    IReadOnlyList<DecileRow> Deciles,
    IReadOnlyList<TrackingRow> Tracking);

/// <param name="Decile">1–10, by ascending prediction.</param>
public sealed record DecileRow(int Decile, int Customers, double MeanPredicted, double MeanActual);

/// <param name="Week">1-based week since the start of the cohort.</param>
/// <param name="WeekEnd">The exclusive end day of the week.</param>
/// <param name="Holdout">Whether the week lies in the holdout period.</param>
public sealed record TrackingRow(int Week, DateOnly WeekEnd, bool Holdout, double Actual, double Predicted, double ActualCumulative, double PredictedCumulative);

/// <summary>Calibration/holdout evaluation of a fitted purchase model (Fader, Hardie &amp; Lee 2005, §4 and figures 2–4).</summary>
public static class HoldoutEvaluation
{
    /// <summary>E[Y(horizon) | x, t_x, T] per customer, computed once per distinct (x, t_x, T) (<see cref="PatternValues"/>).</summary>
    internal static double[] Predict(IPurchaseModel model, IReadOnlyList<CustomerSummary> calibration, double horizon, double unitDays) =>
        PatternValues.PerCustomer(calibration, (x, tx, T) => model.ConditionalExpectedPurchases(horizon, x, tx / unitDays, T / unitDays))[0];

    /// <param name="model">A purchase model fitted on <paramref name="calibration"/> in units of <paramref name="unitDays"/> days.</param>
    /// <param name="calibration">Summaries as of the calibration end.</param>
    /// <param name="holdoutActual">Holdout occasions per calibration customer, aligned with <paramref name="calibration"/>.</param>
    /// <param name="cohortStart">The calibration customers' earliest first purchase (or earlier).</param>
    /// <param name="repeatPerDay">Actual repeat occasions per day from <paramref name="cohortStart"/> to the holdout end (cohort = calibration customers).</param>
    public static HoldoutEvaluationResult Evaluate(
        IPurchaseModel model,
        IReadOnlyList<CustomerSummary> calibration,
        IReadOnlyList<int> holdoutActual,
        DateOnly calibrationEnd,
        DateOnly holdoutEnd,
        DateOnly cohortStart,
        IReadOnlyList<int> repeatPerDay,
        double unitDays)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(calibration);
        ArgumentNullException.ThrowIfNull(holdoutActual);
        ArgumentNullException.ThrowIfNull(repeatPerDay);
        return Evaluate(model, HoldoutPatterns.From(calibration, holdoutActual, calibrationEnd, holdoutEnd, cohortStart, repeatPerDay), unitDays);
    }

    /// <summary>
    /// The evaluation of a split held as patterns; each prediction is computed once per distinct (x, t_x, T). Public for
    /// the library's holdout stage (report.html's tracking chart).
    /// </summary>
    public static HoldoutEvaluationResult Evaluate(IPurchaseModel model, HoldoutPatterns split, double unitDays) =>
        Evaluate(model, split, split.PredictByPattern(model, unitDays), unitDays);

    /// <summary>The evaluation with the patterns' predictions computed before (<see cref="HoldoutPatterns.PredictByPattern"/>).</summary>
    internal static HoldoutEvaluationResult Evaluate(IPurchaseModel model, HoldoutPatterns split, double[] byPattern, double unitDays)
    {
        var (patternOf, actual) = (split.PatternOf, split.Holdout);
        var n = patternOf.Length;
        double abs = 0, sq = 0, totalPredicted = 0, totalActual = 0;
        for (var i = 0; i < n; i++)
        {
            var predicted = byPattern[patternOf[i]];
            var e = predicted - actual[i];
            abs += Math.Abs(e);
            sq += e * e;
            totalPredicted += predicted;
            totalActual += actual[i];
        }

        return new HoldoutEvaluationResult(
            model.Name,
            n,
            split.HoldoutLength(unitDays),
            n == 0 ? 0 : abs / n,
            n == 0 ? 0 : Math.Sqrt(sq / n),
            totalPredicted,
            totalActual,
            totalActual == 0 ? 0 : (totalPredicted - totalActual) / totalActual,
            Deciles(byPattern, patternOf, actual),
            Tracking(model, split, unitDays));
    }

    /// <summary>
    /// Customers ordered by prediction, ties in their own order, cut into ten equal groups. The order is that of a sort
    /// of the customers, found by sorting the patterns: customers whose predictions are equal keep their order.
    /// </summary>
    private static DecileRow[] Deciles(double[] byPattern, int[] patternOf, int[] actual)
    {
        var patterns = new int[byPattern.Length];
        for (var k = 0; k < patterns.Length; k++)
        {
            patterns[k] = k;
        }

        Array.Sort((double[])byPattern.Clone(), patterns);
        var rankOf = new int[byPattern.Length];
        var ranks = 0;
        for (var j = 0; j < patterns.Length; j++)
        {
            if (j > 0 && byPattern[patterns[j]] != byPattern[patterns[j - 1]])
            {
                ranks++;
            }

            rankOf[patterns[j]] = ranks;
        }

        var next = new int[ranks + 2];
        foreach (var k in patternOf)
        {
            next[rankOf[k] + 1]++;
        }

        for (var r = 1; r < next.Length; r++)
        {
            next[r] += next[r - 1];
        }

        var n = patternOf.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[next[rankOf[patternOf[i]]]++] = i;
        }

        var rows = new DecileRow[10];
        for (var d = 0; d < 10; d++)
        {
            var from = d * n / 10;
            var to = (d + 1) * n / 10;
            double p = 0, a = 0;
            for (var k = from; k < to; k++)
            {
                p += byPattern[patternOf[order[k]]];
                a += actual[order[k]];
            }

            var count = to - from;
            rows[d] = new DecileRow(d + 1, count, count == 0 ? 0 : p / count, count == 0 ? 0 : a / count);
        }

        return rows;
    }

    /// <summary>
    /// Predicted repeat purchases in week w = Σ over customers of E[X(end_w − s_i)] − E[X(start_w − s_i)], where s_i is the
    /// customer's first purchase and the expectation is the new-customer E[X(t)] (the FHL 2005 tracking plot).
    /// </summary>
    private static TrackingRow[] Tracking(IPurchaseModel model, HoldoutPatterns split, double unitDays)
    {
        var (calibrationEnd, holdoutEnd, cohortStart, repeatPerDay) = (split.CalibrationEnd, split.HoldoutEnd, split.CohortStart, split.RepeatPerDay);
        var totalDays = holdoutEnd.DayNumber - cohortStart.DayNumber;

        // Weeks after the last repeat purchase hold predictions only. The series stops at the later of the calibration end
        // and that purchase, so its length follows the data, not a holdout end far beyond it: each week costs one E[X(t)]
        // per cohort day.
        var lastRepeat = repeatPerDay.Length - 1;
        while (lastRepeat >= 0 && repeatPerDay[lastRepeat] == 0)
        {
            lastRepeat--;
        }

        var trackedDays = Math.Min(totalDays, Math.Max(calibrationEnd.DayNumber - cohortStart.DayNumber, lastRepeat + 1));
        var weeks = (trackedDays + 6) / 7;

        // A purchase on day d is counted at the end of that day: elapsed time from the first purchase is measured in whole days.
        var cohorts = split.FirstDayCounts.Select((count, offset) => (Offset: offset, Count: count)).Where(c => c.Count > 0).ToArray();
        double CumulativePredicted(int day)
        {
            double sum = 0;
            foreach (var (offset, count) in cohorts)
            {
                if (day > offset)
                {
                    sum += count * model.ExpectedPurchases((day - offset - 1) / unitDays);
                }
            }

            return sum;
        }

        var rows = new TrackingRow[weeks];
        double actualCum = 0, previousPredicted = 0;
        for (var w = 0; w < weeks; w++)
        {
            var endDay = Math.Min(totalDays, (w + 1) * 7);
            double actual = 0;
            for (var d = w * 7; d < endDay; d++)
            {
                actual += repeatPerDay[d];
            }

            actualCum += actual;
            var predictedCum = CumulativePredicted(endDay);
            var weekEnd = DateOnly.FromDayNumber(cohortStart.DayNumber + endDay);
            rows[w] = new TrackingRow(w + 1, weekEnd, weekEnd > calibrationEnd, actual, predictedCum - previousPredicted, actualCum, predictedCum);
            previousPredicted = predictedCum;
        }

        return rows;
    }
}
