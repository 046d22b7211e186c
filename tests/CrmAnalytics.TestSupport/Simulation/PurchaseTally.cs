namespace CrmAnalytics.Core.Clv.Simulation;

/// <summary>
/// The (x, t_x) of one simulated customer, counted as a summary of dated transactions counts them: with a time grid,
/// purchases in the same grid cell are one occasion and times are truncated to the grid.
/// </summary>
internal struct PurchaseTally(double grid, double age)
{
    private double _lastCell;

    public int X { get; private set; }

    public double Tx { get; private set; }

    /// <summary>The age T drawn uniformly on [MinAge, MaxAge] (fixed when they are equal), truncated to the grid.</summary>
    public static double DrawAge(ref Xoshiro256StarStar rng, BgNbdSimulationOptions o)
    {
        var age = o.MaxAge > o.MinAge ? o.MinAge + ((o.MaxAge - o.MinAge) * rng.NextDouble()) : o.MinAge;
        return o.TimeGrid > 0 ? Math.Floor(age / o.TimeGrid) * o.TimeGrid : age;
    }

    /// <summary>Records a repeat purchase at time <paramref name="t"/> (0 &lt; t ≤ age).</summary>
    public void Add(double t)
    {
        if (grid > 0)
        {
            var cell = Math.Floor(t / grid);
            if (cell > _lastCell)
            {
                _lastCell = cell;
                X++;
                Tx = Math.Min(cell * grid, age);
            }
        }
        else
        {
            X++;
            Tx = t;
        }
    }
}
