using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Numerics;
using MathNet.Numerics;

namespace CrmAnalytics.Core.Clv.GammaGamma;

/// <summary>
/// Σ w·ln f(z̄ | p, q, v; x) and its analytic gradient over weighted spend patterns: the hot loop of the fit. Per
/// pattern it is the same sum as <see cref="GammaGammaMath.LikelihoodLn"/>.
/// </summary>
/// <remarks>
/// Fader &amp; Hardie (2013) eq. 3 splits into parts that need no per-pattern work at a new (p, q, v):
/// <list type="bullet">
/// <item>Σ w[(px−1) ln z̄ + px ln x] = p·Σ w x ln(x z̄) − Σ w ln z̄: two constants of the data;</item>
/// <item>Σ w[lnΓ(px+q) − lnΓ(px)] and its ψ terms: once per distinct x with the summed weight;</item>
/// <item>−Σ w(px+q) ln(v + x z̄) = −p·Σ wx ln(v+u) − q·Σ w ln(v+u) with u = x z̄, and for ∂/∂v the same sums of
/// 1/(v+u): the only per-pattern work, one logarithm and one division, vectorized.</item>
/// </list>
/// Continuous spend makes nearly every customer a pattern of its own, so the four per-pattern sums run over the
/// chunks of <see cref="PatternChunks"/>. The evaluation allocates nothing. One instance evaluates one parameter vector
/// at a time; it is not thread-safe.
/// </remarks>
internal sealed class GammaGammaLikelihood
{
    private const int SumCount = 4;

    private readonly double[] _x;
    private readonly double[] _z;
    private readonly double[] _w;
    private readonly double[] _segX;
    private readonly double[] _segWeight;
    private readonly double _sumWxLnU;
    private readonly double _sumWLnZ;
    private readonly double _minU;
    private readonly double _maxU;
    private readonly PatternChunks _chunks;
    private double _v;
    private bool _vectorized;

    public GammaGammaLikelihood(SpendPatterns data)
        : this(Validated(data).X, data.MeanValue, data.Weight)
    {
    }

    /// <summary>
    /// Patterns given as parallel arrays (x &gt; 0, z̄ &gt; 0, weight), as in <see cref="SpendPatterns"/>; the arrays are
    /// read at each evaluation, not copied, and must not change while the instance is used.
    /// </summary>
    public GammaGammaLikelihood(double[] x, double[] meanValue, double[] weight)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(meanValue);
        ArgumentNullException.ThrowIfNull(weight);
        if (meanValue.Length != x.Length || weight.Length != x.Length)
        {
            throw new ArgumentException("x, the mean values and the weights must have the same length.", nameof(weight));
        }

        _x = x;
        _z = meanValue;
        _w = weight;
        (_segX, _segWeight) = DistinctWeights(x, weight);
        var (customers, sumWLnZ, sumWxLnZ, minU, maxU) = DataSums(x, meanValue, weight);
        var sumWxLnX = 0.0;
        for (var s = 0; s < _segX.Length; s++)
        {
            sumWxLnX += _segWeight[s] * _segX[s] * Math.Log(_segX[s]);
        }

        Customers = customers;
        _sumWxLnU = sumWxLnX + sumWxLnZ;
        _sumWLnZ = sumWLnZ;
        _minU = minU;
        _maxU = maxU;
        _chunks = new PatternChunks(x.Length, SumCount, SumChunk);
    }

    public int Count => _x.Length;

    public double Customers { get; }

    /// <summary>Σ w·ln f at θ = (p, q, v); adds Σ w·∂ln f/∂θ into <paramref name="gradient"/> (a <see cref="Fitting.LogLikelihoodFunction"/>).</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double p = theta[0], q = theta[1], v = theta[2];
        _v = v;

        // SimdMath.Log needs normal, finite arguments; otherwise the scalar loop lets ±∞ and NaN through to the optimizer.
        _vectorized = Vector.IsHardwareAccelerated && v + _minU >= SimdMath.MinLogArgument && double.IsFinite(v + _maxU);
        Span<double> sums = stackalloc double[SumCount];
        _chunks.Sum(sums);
        double lnSum = sums[0], xLnSum = sums[1], inverse = sums[2], xInverse = sums[3];

        var n = Customers;
        var lnV = Math.Log(v);
        var ll = (n * ((q * lnV) - SpecialFunctions.GammaLn(q))) + (p * _sumWxLnU) - _sumWLnZ - (p * xLnSum) - (q * lnSum);
        var gP = _sumWxLnU - xLnSum;
        var gQ = (n * (lnV - SpecialFunctions.DiGamma(q))) - lnSum;
        var gV = (n * q / v) - (p * xInverse) - (q * inverse);
        for (var s = 0; s < _segX.Length; s++)
        {
            var weight = _segWeight[s];
            var px = p * _segX[s];
            var psiPxq = SpecialFunctions.DiGamma(px + q);
            ll += weight * (SpecialFunctions.GammaLn(px + q) - SpecialFunctions.GammaLn(px));
            gP += weight * _segX[s] * (psiPxq - SpecialFunctions.DiGamma(px));
            gQ += weight * psiPxq;
        }

        gradient[0] += gP;
        gradient[1] += gQ;
        gradient[2] += gV;
        return ll;
    }

    /// <summary>Σ w·ln(v+u), Σ wx·ln(v+u), Σ w/(v+u) and Σ wx/(v+u) with u = x z̄, over one chunk of patterns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SumChunk(int c)
    {
        var from = PatternChunks.Start(c);
        var to = _chunks.End(c);
        ref var x = ref MemoryMarshal.GetArrayDataReference(_x);
        ref var z = ref MemoryMarshal.GetArrayDataReference(_z);
        ref var w = ref MemoryMarshal.GetArrayDataReference(_w);
        var v = _v;
        var i = from;
        double lnSum = 0, xLnSum = 0, inverse = 0, xInverse = 0;
        if (_vectorized && to - from >= Vector<double>.Count)
        {
            var vV = new Vector<double>(v);
            Vector<double> a = default, xa = default, b = default, xb = default;
            for (; i <= to - Vector<double>.Count; i += Vector<double>.Count)
            {
                var xi = Vector.LoadUnsafe(ref x, (nuint)i);
                var wi = Vector.LoadUnsafe(ref w, (nuint)i);
                var sum = vV + (xi * Vector.LoadUnsafe(ref z, (nuint)i));
                var wxi = wi * xi;
                var ln = SimdMath.Log(sum);
                var inv = Vector<double>.One / sum;
                a += wi * ln;
                xa += wxi * ln;
                b += wi * inv;
                xb += wxi * inv;
            }

            lnSum = Vector.Sum(a);
            xLnSum = Vector.Sum(xa);
            inverse = Vector.Sum(b);
            xInverse = Vector.Sum(xb);
        }

        for (; i < to; i++)
        {
            var xi = Unsafe.Add(ref x, i);
            var wi = Unsafe.Add(ref w, i);
            var sum = v + (xi * Unsafe.Add(ref z, i));
            var wxi = wi * xi;
            var ln = Math.Log(sum);
            lnSum += wi * ln;
            xLnSum += wxi * ln;
            inverse += wi / sum;
            xInverse += wxi / sum;
        }

        var partials = _chunks.Partials(c);
        partials[0] = lnSum;
        partials[1] = xLnSum;
        partials[2] = inverse;
        partials[3] = xInverse;
    }

    /// <summary>
    /// The data's constants: Σ w, Σ w ln z̄, Σ wx ln z̄, and the range of u = x z̄. One logarithm per pattern,
    /// vectorized when every z̄ is a normal double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double Customers, double SumWLnZ, double SumWxLnZ, double MinU, double MaxU) DataSums(double[] xs, double[] zs, double[] ws)
    {
        ref var x = ref MemoryMarshal.GetArrayDataReference(xs);
        ref var z = ref MemoryMarshal.GetArrayDataReference(zs);
        ref var w = ref MemoryMarshal.GetArrayDataReference(ws);
        var n = xs.Length;
        double minZ = double.PositiveInfinity, minU = double.PositiveInfinity, maxU = 0;
        for (var i = 0; i < n; i++)
        {
            var zi = Unsafe.Add(ref z, i);
            var u = Unsafe.Add(ref x, i) * zi;
            minZ = Math.Min(minZ, zi);
            minU = Math.Min(minU, u);
            maxU = Math.Max(maxU, u);
        }

        var j = 0;
        double customers = 0, sumWLnZ = 0, sumWxLnZ = 0;
        if (Vector.IsHardwareAccelerated && minZ >= SimdMath.MinLogArgument)
        {
            Vector<double> c = default, a = default, b = default;
            for (; j <= n - Vector<double>.Count; j += Vector<double>.Count)
            {
                var wi = Vector.LoadUnsafe(ref w, (nuint)j);
                var wLnZ = wi * SimdMath.Log(Vector.LoadUnsafe(ref z, (nuint)j));
                c += wi;
                a += wLnZ;
                b += wLnZ * Vector.LoadUnsafe(ref x, (nuint)j);
            }

            customers = Vector.Sum(c);
            sumWLnZ = Vector.Sum(a);
            sumWxLnZ = Vector.Sum(b);
        }

        for (; j < n; j++)
        {
            var wi = Unsafe.Add(ref w, j);
            var wLnZ = wi * Math.Log(Unsafe.Add(ref z, j));
            customers += wi;
            sumWLnZ += wLnZ;
            sumWxLnZ += wLnZ * Unsafe.Add(ref x, j);
        }

        return (customers, sumWLnZ, sumWxLnZ, minU, maxU);
    }

    private static SpendPatterns Validated(SpendPatterns data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data;
    }

    /// <summary>The distinct values of <paramref name="x"/> in ascending order with the summed weight of each.</summary>
    private static (double[] X, double[] Weight) DistinctWeights(double[] x, double[] weight)
    {
        var index = new int[x.Length];
        var distinct = PatternRuns.DistinctSorted(x, index);
        var summed = new double[distinct.Length];
        for (var i = 0; i < x.Length; i++)
        {
            summed[index[i]] += weight[i];
        }

        return (distinct, summed);
    }
}
