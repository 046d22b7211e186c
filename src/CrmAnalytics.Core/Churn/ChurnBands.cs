using System.Globalization;

namespace CrmAnalytics.Core.Churn;

/// <summary>
/// How <c>churn_risk</c> bands are set. By default by rank within the active base: <c>high</c> is the top
/// <see cref="HighShare"/> by probability, <c>medium</c> the next <see cref="MediumShare"/>, so the bands stay usable when
/// the base churn rate is high. <see cref="Thresholds"/>, when set, uses absolute probabilities instead.
/// </summary>
public sealed record ChurnBandOptions
{
    public double HighShare { get; init; } = 0.10;

    public double MediumShare { get; init; } = 0.20;

    /// <summary>Absolute thresholds (<c>--churn-high</c> / <c>--churn-medium</c>); null bands by rank.</summary>
    public ChurnRiskThresholds? Thresholds { get; init; }

    public string Mode => Thresholds is null ? "rank" : "probability";

    public IReadOnlyList<string> Validate()
    {
        if (Thresholds is { } t)
        {
            return t.Validate();
        }

        return HighShare > 0 && MediumShare >= 0 && HighShare + MediumShare <= 1
            ? []
            : [string.Create(CultureInfo.InvariantCulture, $"{nameof(ChurnBandOptions)}.{nameof(HighShare)} ({HighShare}) and {nameof(ChurnBandOptions)}.{nameof(MediumShare)} ({MediumShare}) must satisfy 0 < high, 0 ≤ medium, high + medium ≤ 1.")];
    }
}

/// <summary>The bands of the active base and the probability cut-offs they came to.</summary>
/// <param name="HighCutoff">The lowest probability in <c>high</c> (the threshold in probability mode); null when the band is empty.</param>
/// <param name="MediumCutoff">The lowest probability in <c>medium</c> (the threshold in probability mode); null when the band is empty.</param>
public sealed record ChurnBandResult(IReadOnlyList<ChurnRisk> Risks, double? HighCutoff, double? MediumCutoff);

/// <summary>Assigns churn risk bands.</summary>
public static class ChurnBands
{
    /// <summary>
    /// In rank mode the customers are ranked by probability, highest first, ties in input order (by id), and the first
    /// round(high share × n) are high, up to round((high + medium share) × n) medium, the rest low: the band sizes are
    /// exact and the result does not depend on the machine.
    /// </summary>
    public static ChurnBandResult Assign(IReadOnlyList<double> probability, ChurnBandOptions options)
    {
        ArgumentNullException.ThrowIfNull(probability);
        ArgumentNullException.ThrowIfNull(options);
        var n = probability.Count;
        var risks = new ChurnRisk[n];
        if (options.Thresholds is { } t)
        {
            for (var i = 0; i < n; i++)
            {
                risks[i] = t.Classify(probability[i]);
            }

            return new ChurnBandResult(risks, t.High, t.Medium);
        }

        var p = probability.ToArray();
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        // A total order (probability descending, then input order), so the unstable sort gives the one ranking.
        Array.Sort(order, (a, b) => p[b].CompareTo(p[a]) is var c && c != 0 ? c : a.CompareTo(b));
        var high = (int)Math.Round(options.HighShare * n, MidpointRounding.AwayFromZero);
        var medium = (int)Math.Round((options.HighShare + options.MediumShare) * n, MidpointRounding.AwayFromZero);
        for (var rank = 0; rank < n; rank++)
        {
            risks[order[rank]] = rank < high ? ChurnRisk.High : rank < medium ? ChurnRisk.Medium : ChurnRisk.Low;
        }

        return new ChurnBandResult(risks,
            high > 0 ? probability[order[high - 1]] : null,
            medium > high ? probability[order[medium - 1]] : null);
    }
}
