namespace CrmAnalytics.Core.Clv.Fitting;

/// <summary>
/// The chunked pattern sum shared by the likelihoods: patterns are cut into fixed chunks, each chunk writes its partial
/// sums, and the partials are added in chunk order, so the result is the same whether the chunks run in parallel or
/// not.
/// </summary>
/// <remarks>
/// Floating-point addition is not associative; a fixed cut and a fixed order of addition make the fit deterministic
/// for any number of cores. One instance serves one likelihood; it is not thread-safe.
/// </remarks>
internal sealed class PatternChunks
{
    internal const int ChunkSize = 4096;

    /// <summary>Fewer patterns than this are summed on the calling thread.</summary>
    internal const int ParallelThreshold = 20_000;

    private readonly int _patterns;
    private readonly int _sums;
    private readonly double[] _partials;
    private readonly Action<int> _sumChunk;

    /// <param name="patterns">The number of patterns.</param>
    /// <param name="sums">The number of sums each chunk writes.</param>
    /// <param name="sumChunk">Sums chunk c (patterns c·<see cref="ChunkSize"/> onward) into <see cref="Partials"/>(c).</param>
    public PatternChunks(int patterns, int sums, Action<int> sumChunk)
    {
        _patterns = patterns;
        _sums = sums;
        Count = (patterns + ChunkSize - 1) / ChunkSize;
        _partials = new double[Count * sums];
        _sumChunk = sumChunk;
    }

    /// <summary>The number of chunks.</summary>
    public int Count { get; }

    /// <summary>The first pattern of chunk <paramref name="c"/>.</summary>
    public static int Start(int c) => c * ChunkSize;

    /// <summary>One past the last pattern of chunk <paramref name="c"/>.</summary>
    public int End(int c) => Math.Min((c + 1) * ChunkSize, _patterns);

    /// <summary>Where chunk <paramref name="c"/> writes its sums.</summary>
    public Span<double> Partials(int c) => _partials.AsSpan(c * _sums, _sums);

    /// <summary>Sums every chunk and adds the partials in chunk order into <paramref name="totals"/> (zeroed first).</summary>
    public void Sum(Span<double> totals)
    {
        if (_patterns >= ParallelThreshold && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, Count, _sumChunk);
        }
        else
        {
            for (var c = 0; c < Count; c++)
            {
                _sumChunk(c);
            }
        }

        totals.Clear();
        for (var c = 0; c < Count; c++)
        {
            var partials = Partials(c);
            for (var j = 0; j < totals.Length; j++)
            {
                totals[j] += partials[j];
            }
        }
    }
}
