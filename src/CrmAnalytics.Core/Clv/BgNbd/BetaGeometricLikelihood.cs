using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Numerics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MathNet.Numerics;

namespace CrmAnalytics.Core.Clv.BgNbd;

/// <summary>
/// Σ w·ln L and its analytic gradient over weighted repeat patterns, for BG/NBD (shift 0) and MBG/NBD (shift 1): the
/// hot loop of the fit. Per pattern it is the same sum as <see cref="BetaGeometric.LikelihoodLn"/>.
/// </summary>
/// <remarks>
/// The terms of ln L that depend on x alone (A1, A2 in Fader, Hardie &amp; Lee 2005 eq. 6) are evaluated once per
/// distinct x with the summed weight. Patterns are stored ordered by x (<see cref="PatternRuns"/>), so each run of
/// equal x is a vector loop over (T, t_x, w) with r + x and ln a − ln(b + x + s − 1) held constant, summed by
/// <see cref="PatternChunks"/>. The evaluation allocates nothing per pattern. One instance evaluates one parameter
/// vector at a time; it is not thread-safe.
/// </remarks>
internal sealed class BetaGeometricLikelihood
{
    private const int SumCount = 5;

    private readonly int _shift;
    private readonly PatternRuns _runs;
    private readonly bool[] _segHasOdds;
    private readonly PatternChunks _chunks;
    private readonly double[] _segRx;
    private readonly double[] _segK;
    private readonly double[] _segInvB;
    private double _alpha;

    public BetaGeometricLikelihood(RepeatPatterns data, int shift)
        : this(new PatternRuns(data), shift)
    {
    }

    /// <summary>Patterns given as parallel spans (x, t_x, T, weight), as in <see cref="RepeatPatterns"/>.</summary>
    public BetaGeometricLikelihood(ReadOnlySpan<double> x, ReadOnlySpan<double> tx, ReadOnlySpan<double> T, ReadOnlySpan<double> weight, int shift)
        : this(new PatternRuns(x, tx, T, weight), shift)
    {
    }

    private BetaGeometricLikelihood(PatternRuns runs, int shift)
    {
        _shift = shift;
        _runs = runs;
        var k = _runs.RunX.Length;
        _segHasOdds = new bool[k];
        for (var s = 0; s < k; s++)
        {
            _segHasOdds[s] = _runs.RunX[s] + shift > 0;
        }

        _segRx = new double[k];
        _segK = new double[k];
        _segInvB = new double[k];
        _chunks = new PatternChunks(_runs.T.Length, SumCount, SumChunk);
    }

    public int Count => _runs.T.Length;

    public double Customers => _runs.Customers;

    /// <summary>Σ w·ln L at θ = (r, α, a, b); adds Σ w·∂ln L/∂θ into <paramref name="gradient"/> (a <see cref="Clv.Fitting.LogLikelihoodFunction"/>).</summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double r = theta[0], alpha = theta[1], a = theta[2], b = theta[3];
        var lnA = Math.Log(a);
        for (var s = 0; s < _runs.RunX.Length; s++)
        {
            _segRx[s] = r + _runs.RunX[s];
            var bx = b + _runs.RunX[s] + _shift - 1;
            _segK[s] = _segHasOdds[s] ? lnA - Math.Log(bx) : 0;
            _segInvB[s] = _segHasOdds[s] ? 1 / bx : 0;
        }

        _alpha = alpha;
        Span<double> sums = stackalloc double[SumCount];
        _chunks.Sum(sums);
        double ll = sums[0], gR = sums[1], gAlpha = sums[2], gAlive = sums[3], gA = 0, gB = sums[4];

        // A1 + A2 per distinct x, weighted by the customers having that x.
        var lnGammaR = SpecialFunctions.GammaLn(r);
        var psiR = SpecialFunctions.DiGamma(r);
        var lnAlpha = Math.Log(alpha);
        var lnGammaAb = SpecialFunctions.GammaLn(a + b);
        var lnGammaB = SpecialFunctions.GammaLn(b);
        var psiAb = SpecialFunctions.DiGamma(a + b);
        var psiB = SpecialFunctions.DiGamma(b);
        for (var s = 0; s < _runs.RunX.Length; s++)
        {
            var weight = _runs.RunWeight[s];
            var rx = _segRx[s];
            var bxs = b + _runs.RunX[s] + _shift;
            var psiAbx = SpecialFunctions.DiGamma(a + bxs);
            ll += weight * (SpecialFunctions.GammaLn(rx) - lnGammaR + (r * lnAlpha)
                + lnGammaAb + SpecialFunctions.GammaLn(bxs) - lnGammaB - SpecialFunctions.GammaLn(a + bxs));
            gR += weight * (SpecialFunctions.DiGamma(rx) - psiR + lnAlpha);
            gAlpha += weight * r / alpha;
            gA += weight * (psiAb - psiAbx);
            gB += weight * (psiAb + SpecialFunctions.DiGamma(bxs) - psiB - psiAbx);
        }

        gradient[0] += gR;
        gradient[1] += gAlpha;
        gradient[2] += gA + (gAlive / a);
        gradient[3] += gB;
        return ll;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SumChunk(int c)
    {
        var from = PatternChunks.Start(c);
        var end = _chunks.End(c);
        var seg = _runs.ChunkRun[c];
        double ll = 0, gR = 0, gAlpha = 0, gAlive = 0, gB = 0;
        while (from < end)
        {
            var to = Math.Min(end, _runs.RunStart[seg + 1]);
            var rx = _segRx[seg];
            if (_segHasOdds[seg])
            {
                var sums = OddsRun(from, to, rx, _segK[seg]);
                ll += (-rx * sums.LnT) + sums.Softplus;
                gR += -sums.LnT + sums.AliveLogRatio;
                gAlpha += -rx * (sums.InvT + sums.AliveInvDiff);
                gAlive += sums.Alive;
                gB -= _segInvB[seg] * sums.Alive;
            }
            else
            {
                var sums = PlainRun(from, to);
                ll += -rx * sums.LnT;
                gR += -sums.LnT;
                gAlpha += -rx * sums.InvT;
            }

            from = to;
            seg++;
        }

        var partials = _chunks.Partials(c);
        partials[0] = ll;
        partials[1] = gR;
        partials[2] = gAlpha;
        partials[3] = gAlive;
        partials[4] = gB;
    }

    /// <summary>
    /// Σ w over one run of equal x with odds d = K + (r+x)·ln((α+T)/(α+t_x)) of having dropped out at t_x:
    /// ln(α+T), softplus(d), σ(d)·ln((α+T)/(α+t_x)), 1/(α+T), σ(d)·(1/(α+t_x) − 1/(α+T)) and σ(d).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RunSums OddsRun(int from, int to, double rx, double k)
    {
        ref var t = ref MemoryMarshal.GetArrayDataReference(_runs.T);
        ref var tx = ref MemoryMarshal.GetArrayDataReference(_runs.Tx);
        ref var w = ref MemoryMarshal.GetArrayDataReference(_runs.Weight);
        var alpha = _alpha;
        var i = from;
        var sums = default(RunSums);
        if (Vector.IsHardwareAccelerated && to - from >= Vector<double>.Count && alpha >= SimdMath.MinLogArgument)
        {
            var vAlpha = new Vector<double>(alpha);
            var vRx = new Vector<double>(rx);
            var vK = new Vector<double>(k);
            var one = Vector<double>.One;
            Vector<double> lnT = default, softplus = default, aliveLogRatio = default, invT = default, aliveInvDiff = default, alive = default;
            for (; i <= to - Vector<double>.Count; i += Vector<double>.Count)
            {
                var at = vAlpha + Vector.LoadUnsafe(ref t, (nuint)i);
                var atx = vAlpha + Vector.LoadUnsafe(ref tx, (nuint)i);
                var wi = Vector.LoadUnsafe(ref w, (nuint)i);
                var lt = SimdMath.Log(at);
                var logRatio = lt - SimdMath.Log(atx);
                var d = vK + (vRx * logRatio);
                var e = SimdMath.ExpNonPositive(-Vector.Abs(d));
                var onePlusE = one + e;
                var inv = one / onePlusE;
                var sigma = Vector.ConditionalSelect(Vector.GreaterThanOrEqual(d, Vector<double>.Zero), inv, e * inv);
                var it = one / at;
                var ws = wi * sigma;
                lnT += wi * lt;
                softplus += wi * (Vector.Max(d, Vector<double>.Zero) + SimdMath.Log(onePlusE));
                aliveLogRatio += ws * logRatio;
                invT += wi * it;
                aliveInvDiff += ws * ((one / atx) - it);
                alive += ws;
            }

            sums = new RunSums(Vector.Sum(lnT), Vector.Sum(softplus), Vector.Sum(aliveLogRatio), Vector.Sum(invT), Vector.Sum(aliveInvDiff), Vector.Sum(alive));
        }

        for (; i < to; i++)
        {
            var at = alpha + Unsafe.Add(ref t, i);
            var atx = alpha + Unsafe.Add(ref tx, i);
            var wi = Unsafe.Add(ref w, i);
            var lt = Math.Log(at);
            var logRatio = lt - Math.Log(atx);
            var d = k + (rx * logRatio);
            var sigma = StableMath.Logistic(d);
            var ws = wi * sigma;
            sums.LnT += wi * lt;
            sums.Softplus += wi * StableMath.Softplus(d);
            sums.AliveLogRatio += ws * logRatio;
            sums.InvT += wi / at;
            sums.AliveInvDiff += ws * ((1 / atx) - (1 / at));
            sums.Alive += ws;
        }

        return sums;
    }

    /// <summary>Σ w·ln(α+T) and Σ w/(α+T) over a run without a dropout term (BG/NBD, x = 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private RunSums PlainRun(int from, int to)
    {
        ref var t = ref MemoryMarshal.GetArrayDataReference(_runs.T);
        ref var w = ref MemoryMarshal.GetArrayDataReference(_runs.Weight);
        var alpha = _alpha;
        var i = from;
        var sums = default(RunSums);
        if (Vector.IsHardwareAccelerated && to - from >= Vector<double>.Count && alpha >= SimdMath.MinLogArgument)
        {
            var vAlpha = new Vector<double>(alpha);
            Vector<double> lnT = default, invT = default;
            for (; i <= to - Vector<double>.Count; i += Vector<double>.Count)
            {
                var at = vAlpha + Vector.LoadUnsafe(ref t, (nuint)i);
                var wi = Vector.LoadUnsafe(ref w, (nuint)i);
                lnT += wi * SimdMath.Log(at);
                invT += wi / at;
            }

            sums.LnT = Vector.Sum(lnT);
            sums.InvT = Vector.Sum(invT);
        }

        for (; i < to; i++)
        {
            var at = alpha + Unsafe.Add(ref t, i);
            var wi = Unsafe.Add(ref w, i);
            sums.LnT += wi * Math.Log(at);
            sums.InvT += wi / at;
        }

        return sums;
    }

    private struct RunSums(double lnT, double softplus, double aliveLogRatio, double invT, double aliveInvDiff, double alive)
    {
        public double LnT = lnT;
        public double Softplus = softplus;
        public double AliveLogRatio = aliveLogRatio;
        public double InvT = invT;
        public double AliveInvDiff = aliveInvDiff;
        public double Alive = alive;
    }
}
