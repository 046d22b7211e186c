namespace CrmAnalytics.Core.Clv.Simulation;

/// <summary>
/// Draws simulated customers in parallel in fixed blocks, each from its own generator seeded from (seed, stream
/// offset + block), so the result does not depend on how blocks are scheduled, and the first customers of a larger run
/// are the customers of a smaller one.
/// </summary>
internal static class SeededBlocks
{
    public const int BlockSize = 16_384;

    /// <summary>Draws customer <c>customer</c> from <c>rng</c>.</summary>
    public delegate T Draw<T>(ref Xoshiro256StarStar rng, int customer);

    public static T[] Run<T>(int customers, int seed, int streamOffset, Draw<T> draw)
    {
        var rows = new T[customers];
        var blocks = (customers + BlockSize - 1) / BlockSize;
        Parallel.For(0, blocks, block =>
        {
            var rng = new Xoshiro256StarStar(seed, streamOffset + block);
            var end = Math.Min(customers, (block + 1) * BlockSize);
            for (var i = block * BlockSize; i < end; i++)
            {
                rows[i] = draw(ref rng, i);
            }
        });
        return rows;
    }
}
