namespace CrmAnalytics.Core.Clv.Fitting;

/// <summary>
/// Repeat patterns (x, t_x, T, w) stored ordered by x: each run of equal x is contiguous, so a likelihood evaluates
/// the terms that depend on x alone once per run, with the run's summed weight. Within a run the patterns keep their
/// input order. Also maps each chunk of <see cref="PatternChunks"/> to the run it starts in.
/// </summary>
internal sealed class PatternRuns
{
    private const int MaxDenseX = 1 << 20;

    public PatternRuns(RepeatPatterns data)
        : this(Validated(data).X, data.Tx, data.T, data.Weight)
    {
    }

    public PatternRuns(ReadOnlySpan<double> x, ReadOnlySpan<double> tx, ReadOnlySpan<double> T, ReadOnlySpan<double> weight)
    {
        var n = x.Length;
        var runOf = new int[n];
        RunX = DistinctSorted(x, runOf);
        var k = RunX.Length;
        RunStart = new int[k + 1];
        RunWeight = new double[k];
        foreach (var s in runOf)
        {
            RunStart[s + 1]++;
        }

        for (var s = 0; s < k; s++)
        {
            RunStart[s + 1] += RunStart[s];
        }

        this.T = new double[n];
        Tx = new double[n];
        Weight = new double[n];
        var next = RunStart[..k];
        var customers = 0.0;
        for (var i = 0; i < n; i++)
        {
            var s = runOf[i];
            var j = next[s]++;
            this.T[j] = T[i];
            Tx[j] = tx[i];
            Weight[j] = weight[i];
            RunWeight[s] += weight[i];
            customers += weight[i];
        }

        Customers = customers;
        var chunks = (n + PatternChunks.ChunkSize - 1) / PatternChunks.ChunkSize;
        ChunkRun = new int[chunks];
        var run = 0;
        for (var c = 0; c < chunks; c++)
        {
            while (RunStart[run + 1] <= PatternChunks.Start(c))
            {
                run++;
            }

            ChunkRun[c] = run;
        }
    }

    /// <summary>Age T per pattern, ordered by run.</summary>
    public double[] T { get; }

    /// <summary>Recency t_x per pattern, ordered by run.</summary>
    public double[] Tx { get; }

    /// <summary>Customers per pattern, ordered by run.</summary>
    public double[] Weight { get; }

    /// <summary>The x of each run, ascending.</summary>
    public double[] RunX { get; }

    /// <summary>Run s holds patterns RunStart[s] to RunStart[s+1] − 1.</summary>
    public int[] RunStart { get; }

    /// <summary>The summed weight of each run.</summary>
    public double[] RunWeight { get; }

    /// <summary>The run in which each chunk of <see cref="PatternChunks"/> starts.</summary>
    public int[] ChunkRun { get; }

    public int Count => T.Length;

    private static RepeatPatterns Validated(RepeatPatterns data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data;
    }

    public double Customers { get; }

    /// <summary>The distinct values of <paramref name="x"/> in ascending order; <paramref name="index"/> receives each value's position.</summary>
    internal static double[] DistinctSorted(ReadOnlySpan<double> x, int[] index)
    {
        var dense = true;
        var max = 0.0;
        foreach (var v in x)
        {
            if (v != Math.Floor(v) || !(v <= MaxDenseX))
            {
                dense = false;
                break;
            }

            max = Math.Max(max, v);
        }

        if (dense)
        {
            var position = new int[(int)max + 1];
            foreach (var v in x)
            {
                position[(int)v] = 1;
            }

            var distinct = new List<double>();
            for (var v = 0; v < position.Length; v++)
            {
                if (position[v] != 0)
                {
                    position[v] = distinct.Count;
                    distinct.Add(v);
                }
            }

            for (var i = 0; i < x.Length; i++)
            {
                index[i] = position[(int)x[i]];
            }

            return distinct.ToArray();
        }

        var sorted = x.ToArray().Distinct().Order().ToArray();
        var lookup = new Dictionary<double, int>(sorted.Length);
        for (var s = 0; s < sorted.Length; s++)
        {
            lookup[sorted[s]] = s;
        }

        for (var i = 0; i < x.Length; i++)
        {
            index[i] = lookup[x[i]];
        }

        return sorted;
    }
}
