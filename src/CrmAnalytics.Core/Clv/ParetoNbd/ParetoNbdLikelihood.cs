using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CrmAnalytics.Core.Clv.Fitting;
using CrmAnalytics.Core.Clv.Numerics;
using MathNet.Numerics;

namespace CrmAnalytics.Core.Clv.ParetoNbd;

/// <summary>
/// Σ w·ln L and its analytic gradient over weighted repeat patterns for the Pareto/NBD model: the hot loop of the fit.
/// Per pattern it is the same sum as <see cref="ParetoNbdFormulas.LikelihoodLn"/>.
/// </summary>
/// <remarks>
/// <para>
/// Patterns are stored ordered by x, and within a run of equal x by t_x (by T when t_x is constant). Within a run both
/// integrals K(T; r+x+1, s) and K(t_x; r+x, s+1) of <see cref="ParetoNbdFormulas"/> use ₂F₁(1, p_γ; r+s+x+1; z) with
/// the same parameters, so the coefficients that evaluate it with its derivatives are built once per run and
/// evaluation, for the run's largest z, and each pattern only varies z: the series as four Horner polynomials (in ₂F₁,
/// its derivatives in p_γ and in the third parameter, and in z) when at most <see cref="MaxHornerDegree"/> terms are
/// needed, otherwise the continued fraction of <see cref="UnitHypergeometric.ContinuedFraction"/> evaluated backward
/// from a fixed depth (≤ <see cref="MaxFractionDepth"/>). Both run over <see cref="Vector{T}"/> lanes of patterns, each
/// vector with the degree or depth its own largest z needs. Patterns beyond the run's limits take the scalar path.
/// The terms of ln L that depend on x alone are summed once per run; when all patterns of a run share t_x (x = 0,
/// where t_x = 0) the second integral is computed once.
/// </para>
/// <para>
/// The runs come from <see cref="PatternRuns"/> and are summed by <see cref="PatternChunks"/>. One instance evaluates
/// one parameter vector at a time; it is not thread-safe.
/// </para>
/// </remarks>
internal sealed class ParetoNbdLikelihood
{
    /// <summary>
    /// Largest series degree evaluated by Horner's rule (z up to about 0.5 where the coefficients do not decay); runs
    /// needing more use the continued fraction, which then costs fewer operations per pattern.
    /// </summary>
    internal const int MaxHornerDegree = 64;

    /// <summary>Largest continued-fraction depth evaluated per run (1 − z down to about 1e-5, depending on b and c); patterns needing more take the scalar path.</summary>
    internal const int MaxFractionDepth = 2048;

    /// <summary>
    /// Continued-fraction steps allowed per pattern inside the fit (1 − z down to about 1e-8); beyond, the evaluation
    /// returns NaN, which the optimizer treats as a region to back away from.
    /// </summary>
    internal const int MaxFractionStepsInFit = 200_000;

    private const int SumCount = 5;

    /// <summary>
    /// Values of z per integral and run at which the series degree or fraction depth is recorded: 1 − z doubling from
    /// the run's limit, so a vector of patterns with smaller z stops earlier.
    /// </summary>
    private const int Levels = 8;

    private readonly PatternRuns _runs;
    private readonly double[] _segMinT;
    private readonly double[] _segMinTx;
    private readonly bool[] _segTxConstant;
    private readonly PatternChunks _chunks;
    private readonly Segment[] _segments;
    private readonly double[] _levelZ;
    private readonly int[] _levelLength;
    private double[] _coefficients = new double[1024];
    private Geometry _geometry;
    private volatile bool _failed;

    public ParetoNbdLikelihood(RepeatPatterns data)
        : this(new PatternRuns(data))
    {
    }

    /// <summary>Patterns given as parallel spans (x, t_x, T, weight), as in <see cref="RepeatPatterns"/>.</summary>
    public ParetoNbdLikelihood(ReadOnlySpan<double> x, ReadOnlySpan<double> tx, ReadOnlySpan<double> T, ReadOnlySpan<double> weight)
        : this(new PatternRuns(x, tx, T, weight))
    {
    }

    private ParetoNbdLikelihood(PatternRuns runs)
    {
        _runs = runs;
        var k = _runs.RunX.Length;
        _segMinT = new double[k];
        _segMinTx = new double[k];
        _segTxConstant = new bool[k];
        Array.Fill(_segMinT, double.PositiveInfinity);
        Array.Fill(_segMinTx, double.PositiveInfinity);
        Array.Fill(_segTxConstant, true);
        for (var s = 0; s < k; s++)
        {
            for (var i = _runs.RunStart[s]; i < _runs.RunStart[s + 1]; i++)
            {
                _segMinT[s] = Math.Min(_segMinT[s], _runs.T[i]);
                _segMinTx[s] = Math.Min(_segMinTx[s], _runs.Tx[i]);
                _segTxConstant[s] &= _runs.Tx[i] == _runs.Tx[_runs.RunStart[s]];
            }
        }

        SortRuns();
        _chunks = new PatternChunks(_runs.T.Length, SumCount, SumChunk);
        _segments = new Segment[k];
        _levelZ = new double[2 * k * Levels];
        _levelLength = new int[2 * k * Levels];
    }

    /// <summary>
    /// Orders each run by t_x (by T when t_x is constant, as for x = 0), so that neighbouring patterns have similar z
    /// and a vector of them needs about the same number of terms.
    /// </summary>
    private void SortRuns()
    {
        var keys = new double[_runs.T.Length];
        var order = new int[_runs.T.Length];
        for (var seg = 0; seg < _runs.RunX.Length; seg++)
        {
            int from = _runs.RunStart[seg], length = _runs.RunStart[seg + 1] - from;
            var source = _segTxConstant[seg] ? _runs.T : _runs.Tx;
            for (var i = from; i < from + length; i++)
            {
                keys[i] = source[i];
                order[i] = i;
            }

            Array.Sort(keys, order, from, length);
        }

        _runs.T.AsSpan().CopyTo(keys);
        for (var i = 0; i < keys.Length; i++)
        {
            _runs.T[i] = keys[order[i]];
        }

        _runs.Tx.AsSpan().CopyTo(keys);
        for (var i = 0; i < keys.Length; i++)
        {
            _runs.Tx[i] = keys[order[i]];
        }

        _runs.Weight.AsSpan().CopyTo(keys);
        for (var i = 0; i < keys.Length; i++)
        {
            _runs.Weight[i] = keys[order[i]];
        }
    }

    public int Count => _runs.T.Length;

    public double Customers => _runs.Customers;

    /// <summary>
    /// Σ w·ln L at θ = (r, α, s, β); adds Σ w·∂ln L/∂θ into <paramref name="gradient"/> (a
    /// <see cref="Clv.Fitting.LogLikelihoodFunction"/>). NaN when some pattern's ₂F₁ does not converge (extreme α/β).
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double r = theta[0], alpha = theta[1], s = theta[2], beta = theta[3];
        var alphaLarger = alpha >= beta;
        _geometry = new Geometry(alphaLarger, alphaLarger ? alpha : beta, alphaLarger ? beta : alpha, alpha, beta);
        _failed = false;
        Prepare(r, s);

        Span<double> sums = stackalloc double[SumCount];
        _chunks.Sum(sums);
        double ll = sums[0], gR = sums[1], gAlpha = sums[2], gS = sums[3], gBeta = sums[4];

        // ln Γ(r+x) − ln Γ(r) + r ln α + s ln β per distinct x, weighted by the customers having that x.
        var lnGammaR = SpecialFunctions.GammaLn(r);
        var psiR = SpecialFunctions.DiGamma(r);
        var lnAlpha = Math.Log(alpha);
        var lnBeta = Math.Log(beta);
        for (var seg = 0; seg < _runs.RunX.Length; seg++)
        {
            var weight = _runs.RunWeight[seg];
            var p = r + _runs.RunX[seg];
            ll += weight * (SpecialFunctions.GammaLn(p) - lnGammaR + (r * lnAlpha) + (s * lnBeta));
            gR += weight * (SpecialFunctions.DiGamma(p) - psiR + lnAlpha);
            gAlpha += weight * r / alpha;
            gS += weight * lnBeta;
            gBeta += weight * s / beta;
        }

        if (_failed)
        {
            return double.NaN;
        }

        gradient[0] += gR;
        gradient[1] += gAlpha;
        gradient[2] += gS;
        gradient[3] += gBeta;
        return ll;
    }

    /// <summary>Per-run constants and ₂F₁ coefficients (series or continued fraction) for the current parameters.</summary>
    private void Prepare(double r, double s)
    {
        var g = _geometry;
        var used = 0;
        for (var seg = 0; seg < _runs.RunX.Length; seg++)
        {
            var p = r + _runs.RunX[seg];
            var a = p + s;

            // K1 = K(T; p+1, s) and K2 = K(t_x; p, s+1): p_γ is the power on γ = max(α, β).
            var k1 = new Integral(p + 1, s, g.AlphaLarger);
            var k2 = new Integral(p, s + 1, g.AlphaLarger);
            k1 = Coefficients(k1, a, g.Spread / (g.Gamma + _segMinT[seg]), 2 * seg * Levels, ref used);
            var constant = default(KValue);
            if (_segTxConstant[seg])
            {
                constant = Scalar(k2, g, _runs.Tx[_runs.RunStart[seg]]);
            }
            else
            {
                k2 = Coefficients(k2, a, g.Spread / (g.Gamma + _segMinTx[seg]), ((2 * seg) + 1) * Levels, ref used);
            }

            _segments[seg] = new Segment(k1, k2, Math.Log(p), 1 / p, Math.Log(s), 1 / s, constant);
        }
    }

    /// <summary>
    /// Coefficients for G = ₂F₁(1, p_γ; a+1; z) on the run's patterns (z ≤ <paramref name="zMax"/>): of the series,
    /// [cₙ, cₙ·Σ_{k&lt;n} 1/(b+k), −cₙ·Σ_{k&lt;n} 1/(c+k), (n+1)c_{n+1}] for Horner's rule, to the degree whose tail is
    /// below 2⁻⁵⁶ at zMax (as <see cref="UnitHypergeometric.Series"/>); or, when that degree exceeds
    /// <see cref="MaxHornerDegree"/>, the continued fraction's [kₙ, ∂kₙ/∂b, ∂kₙ/∂c] to the depth zMax needs (its
    /// truncation error grows with z), or to <see cref="MaxFractionDepth"/> with the z up to which that suffices. The
    /// degree or depth is also recorded at the <see cref="Levels"/> values of z below, from <paramref name="levelBase"/>.
    /// </summary>
    private Integral Coefficients(Integral k, double a, double zMax, int levelBase, ref int used)
    {
        double b = k.PGamma, c = a + 1;
        var start = used;
        EnsureCapacity(start + (4 * (Math.Max(MaxHornerDegree, MaxFractionDepth) + 1)));
        var buffer = _coefficients;
        var levels = FillLevels(zMax, levelBase);
        Span<double> zn = stackalloc double[Levels];
        Span<double> bound = stackalloc double[Levels];
        for (var j = 0; j < levels; j++)
        {
            var z = _levelZ[levelBase + j];
            zn[j] = 1;
            bound[j] = UnitHypergeometric.Tolerance * (1 - z) * (1 - z);
        }

        var pending = levels;
        double term = 1, hb = 0, hc = 0;
        buffer[start] = 1;
        buffer[start + 1] = 0;
        buffer[start + 2] = 0;
        for (var n = 0; n < MaxHornerDegree; n++)
        {
            var ratio = (b + n) / (c + n);
            buffer[start + (4 * n) + 3] = (n + 1) * term * ratio;
            term *= ratio;
            hb += 1 / (b + n);
            hc += 1 / (c + n);
            var o = start + (4 * (n + 1));
            buffer[o] = term;
            buffer[o + 1] = term * hb;
            buffer[o + 2] = -term * hc;
            buffer[o + 3] = 0;
            // Levels 0..pending−1 are still open; a smaller z is always done first, so they stay a prefix.
            for (var j = 0; j < pending; j++)
            {
                zn[j] *= _levelZ[levelBase + j];
            }

            while (pending > 0 && term * zn[pending - 1] * (n + 2) <= bound[pending - 1])
            {
                pending--;
                _levelLength[levelBase + pending] = n + 1;
            }

            if (pending == 0)
            {
                used = o + 4;
                return k with { Fraction = false, Offset = start, ZLimit = zMax, LevelBase = levelBase, LevelCount = levels };
            }
        }

        var zLimit = zMax;
        var depth = UnitHypergeometric.FractionDepth(b, c, zMax, MaxFractionDepth);
        if (depth < 0)
        {
            // Bisection for the largest z whose depth fits; patterns above it take the scalar path.
            double lo = 0, hi = zMax;
            for (var i = 0; i < 40; i++)
            {
                var mid = 0.5 * (lo + hi);
                if (UnitHypergeometric.FractionDepth(b, c, mid, MaxFractionDepth) >= 0)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            zLimit = lo;
            depth = Math.Max(1, UnitHypergeometric.FractionDepth(b, c, lo, MaxFractionDepth));
            levels = FillLevels(zLimit, levelBase);
        }

        _levelLength[levelBase] = depth;
        for (var j = 1; j < levels; j++)
        {
            // Depth falls with z; at least 1, and never beyond the depth built.
            var dj = UnitHypergeometric.FractionDepth(b, c, _levelZ[levelBase + j], depth);
            _levelLength[levelBase + j] = dj < 1 ? depth : dj;
        }

        for (var n = 1; n <= depth; n++)
        {
            var (kn, kb, kc) = UnitHypergeometric.Coefficient(b, c, n);
            var o = start + (4 * (n - 1));
            buffer[o] = kn;
            buffer[o + 1] = kb;
            buffer[o + 2] = kc;
            buffer[o + 3] = 0;
        }

        used = start + (4 * depth);
        return k with { Fraction = true, Offset = start, ZLimit = zLimit, LevelBase = levelBase, LevelCount = levels };
    }

    /// <summary>Levels z₀ = <paramref name="zMax"/>, 1 − z_j = 2^j (1 − zMax) while z_j &gt; 0.05; returns how many.</summary>
    private int FillLevels(double zMax, int levelBase)
    {
        var levels = 1;
        _levelZ[levelBase] = zMax;
        var gap = 1 - zMax;
        while (levels < Levels)
        {
            gap *= 2;
            if (gap >= 0.95)
            {
                break;
            }

            _levelZ[levelBase + levels] = 1 - gap;
            levels++;
        }

        return levels;
    }

    /// <summary>The series degree or fraction depth recorded for the smallest level at or above <paramref name="z"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int LengthFor(in Integral k, double z)
    {
        var j = k.LevelBase;
        var last = k.LevelBase + k.LevelCount - 1;
        while (j < last && _levelZ[j + 1] >= z)
        {
            j++;
        }

        return _levelLength[j];
    }

    private void EnsureCapacity(int size)
    {
        if (_coefficients.Length < size)
        {
            Array.Resize(ref _coefficients, Math.Max(size, 2 * _coefficients.Length));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SumChunk(int c)
    {
        var from = PatternChunks.Start(c);
        var end = _chunks.End(c);
        var seg = _runs.ChunkRun[c];
        var sums = default(Sums);
        var vectorSums = default(VectorSums);
        var vectorized = Vector.IsHardwareAccelerated && _geometry.Delta >= SimdMath.MinLogArgument;
        while (from < end)
        {
            var to = Math.Min(end, _runs.RunStart[seg + 1]);
            var i = from;
            if (vectorized)
            {
                i = VectorRun(from, to, seg, ref vectorSums, ref sums);
            }

            for (; i < to; i++)
            {
                AddScalar(i, seg, ref sums);
            }

            from = to;
            seg++;
        }

        var partials = _chunks.Partials(c);
        partials[0] = sums.Ll + Vector.Sum(vectorSums.Ll);
        partials[1] = sums.R + Vector.Sum(vectorSums.R);
        partials[2] = sums.Alpha + Vector.Sum(vectorSums.Alpha);
        partials[3] = sums.S + Vector.Sum(vectorSums.S);
        partials[4] = sums.Beta + Vector.Sum(vectorSums.Beta);
    }

    /// <summary>
    /// Whole vectors of patterns of run <paramref name="seg"/> from <paramref name="from"/>; a vector with a lane beyond
    /// the run's limits is summed lane by lane. Returns the first index not summed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int VectorRun(int from, int to, int seg, ref VectorSums sums, ref Sums scalar)
    {
        var width = Vector<double>.Count;
        var g = _geometry;
        var state = _segments[seg];
        var txConstant = _segTxConstant[seg];
        ref var t = ref MemoryMarshal.GetArrayDataReference(_runs.T);
        ref var tx = ref MemoryMarshal.GetArrayDataReference(_runs.Tx);
        ref var w = ref MemoryMarshal.GetArrayDataReference(_runs.Weight);
        var gamma = new Vector<double>(g.Gamma);
        var delta = new Vector<double>(g.Delta);
        var spread = new Vector<double>(g.Spread);
        var lnP = new Vector<double>(state.LnP);
        var lnS = new Vector<double>(state.LnS);
        var invP = new Vector<double>(state.InvP);
        var invS = new Vector<double>(state.InvS);
        var k2Constant = new KVector(state.K2Constant);
        var i = from;
        for (; i <= to - width; i += width)
        {
            var tau1 = Vector.LoadUnsafe(ref t, (nuint)i);
            if (!HypergeometricVector(state.K1, tau1 + gamma, tau1 + delta, spread, out var k1))
            {
                for (var j = i; j < i + width; j++)
                {
                    AddScalar(j, seg, ref scalar);
                }

                continue;
            }

            var k2 = k2Constant;
            if (!txConstant)
            {
                var tau2 = Vector.LoadUnsafe(ref tx, (nuint)i);
                if (!HypergeometricVector(state.K2, tau2 + gamma, tau2 + delta, spread, out k2))
                {
                    for (var j = i; j < i + width; j++)
                    {
                        AddScalar(j, seg, ref scalar);
                    }

                    continue;
                }
            }

            var u1 = lnP + k1.Ln;
            var u2 = lnS + k2.Ln;
            var diff = u1 - u2;
            var e = SimdMath.ExpNonPositive(-Vector.Abs(diff));
            var onePlusE = Vector<double>.One + e;
            var inv = Vector<double>.One / onePlusE;
            var first = Vector.GreaterThanOrEqual(diff, Vector<double>.Zero);
            var w1 = Vector.ConditionalSelect(first, inv, e * inv);
            var w2 = Vector.ConditionalSelect(first, e * inv, inv);
            var wi = Vector.LoadUnsafe(ref w, (nuint)i);
            var ww1 = wi * w1;
            var ww2 = wi * w2;
            sums.Ll += wi * (Vector.Max(u1, u2) + SimdMath.Log(onePlusE));
            if (g.AlphaLarger)
            {
                sums.R += (ww1 * (invP + k1.DPGamma)) + (ww2 * k2.DPGamma);
                sums.S += (ww1 * k1.DPDelta) + (ww2 * (invS + k2.DPDelta));
                sums.Alpha += (ww1 * k1.DGamma) + (ww2 * k2.DGamma);
                sums.Beta += (ww1 * k1.DDelta) + (ww2 * k2.DDelta);
            }
            else
            {
                sums.R += (ww1 * (invP + k1.DPDelta)) + (ww2 * k2.DPDelta);
                sums.S += (ww1 * k1.DPGamma) + (ww2 * (invS + k2.DPGamma));
                sums.Alpha += (ww1 * k1.DDelta) + (ww2 * k2.DDelta);
                sums.Beta += (ww1 * k1.DGamma) + (ww2 * k2.DGamma);
            }
        }

        return i;
    }

    /// <summary>
    /// ln K(τ) and its derivatives for a vector of τ (given as γ+τ and δ+τ), with the series degree or fraction depth
    /// that the largest z of the vector needs; false when a lane's z is beyond the run's limit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool HypergeometricVector(in Integral k, Vector<double> gt, Vector<double> dt, Vector<double> spread, out KVector result)
    {
        var z = spread / gt;
        var zMax = z[0];
        for (var lane = 1; lane < Vector<double>.Count; lane++)
        {
            zMax = Math.Max(zMax, z[lane]);
        }

        if (!(zMax <= k.ZLimit))
        {
            result = default;
            return false;
        }

        var length = LengthFor(k, zMax);
        ref var c = ref MemoryMarshal.GetArrayDataReference(_coefficients);
        Vector<double> v, vb, vc, vz;
        if (k.Fraction)
        {
            // Backward evaluation t_n = 1 − k_n z / t_{n+1} with the derivatives of t in b, c and z; G = 1/t_1.
            Vector<double> t = Vector<double>.One, tb = default, tc = default, tzz = default;
            for (var o = k.Offset + (4 * (length - 1)); o >= k.Offset; o -= 4)
            {
                var kn = new Vector<double>(Unsafe.Add(ref c, o));
                var invT = Vector<double>.One / t;
                var u = kn * z * invT;
                tb = ((u * tb) - (new Vector<double>(Unsafe.Add(ref c, o + 1)) * z)) * invT;
                tc = ((u * tc) - (new Vector<double>(Unsafe.Add(ref c, o + 2)) * z)) * invT;
                tzz = ((u * tzz) - kn) * invT;
                t = Vector<double>.One - u;
            }

            v = Vector<double>.One / t;
            var minusG2 = -(v * v);
            vb = tb * minusG2;
            vc = tc * minusG2;
            vz = tzz * minusG2;
        }
        else
        {
            v = default;
            vb = default;
            vc = default;
            vz = default;
            for (var o = k.Offset + (4 * length); o >= k.Offset; o -= 4)
            {
                v = (v * z) + new Vector<double>(Unsafe.Add(ref c, o));
                vb = (vb * z) + new Vector<double>(Unsafe.Add(ref c, o + 1));
                vc = (vc * z) + new Vector<double>(Unsafe.Add(ref c, o + 2));
                vz = (vz * z) + new Vector<double>(Unsafe.Add(ref c, o + 3));
            }
        }

        var lnGt = SimdMath.Log(gt);
        var lnDt = SimdMath.Log(dt);
        var invG = Vector<double>.One / v;
        var a = k.PGamma + k.PDelta - 1;
        var pGamma = new Vector<double>(k.PGamma);
        var oneMinusPDelta = new Vector<double>(1 - k.PDelta);
        var dA = new Vector<double>(-1 / a) + (vc * invG);
        var dz = vz * invG;
        var invGt = Vector<double>.One / gt;
        result = new KVector(
            new Vector<double>(-Math.Log(a)) - (pGamma * lnGt) + (oneMinusPDelta * lnDt) + SimdMath.Log(v),
            dA - lnGt + (vb * invG),
            dA - lnDt,
            (dz * dt * invGt * invGt) - (pGamma * invGt),
            (oneMinusPDelta / dt) - (dz * invGt));
        return true;
    }

    /// <summary>One pattern on the scalar path (the same algebra as <see cref="ParetoNbdFormulas.LikelihoodLn"/>).</summary>
    private void AddScalar(int i, int seg, ref Sums sums)
    {
        var g = _geometry;
        var state = _segments[seg];
        var k1 = Evaluate(state.K1, g, _runs.T[i], _coefficients);
        var k2 = _segTxConstant[seg] ? state.K2Constant : Evaluate(state.K2, g, _runs.Tx[i], _coefficients);
        var u1 = state.LnP + k1.Ln;
        var u2 = state.LnS + k2.Ln;
        var diff = u1 - u2;
        var e = Math.Exp(-Math.Abs(diff));
        var inv = 1 / (1 + e);
        var w1 = diff >= 0 ? inv : e * inv;
        var w2 = diff >= 0 ? e * inv : inv;
        var w = _runs.Weight[i];
        sums.Ll += w * (Math.Max(u1, u2) + StableMath.Log1p(e));

        // (p_γ, p_δ, γ, δ) back to (p₁, p₂, α, β): p₁ carries r, p₂ carries s.
        var (k1P1, k1P2, k1A, k1B) = g.AlphaLarger ? (k1.DPGamma, k1.DPDelta, k1.DGamma, k1.DDelta) : (k1.DPDelta, k1.DPGamma, k1.DDelta, k1.DGamma);
        var (k2P1, k2P2, k2A, k2B) = g.AlphaLarger ? (k2.DPGamma, k2.DPDelta, k2.DGamma, k2.DDelta) : (k2.DPDelta, k2.DPGamma, k2.DDelta, k2.DGamma);
        sums.R += w * ((w1 * (state.InvP + k1P1)) + (w2 * k2P1));
        sums.S += w * ((w1 * k1P2) + (w2 * (state.InvS + k2P2)));
        sums.Alpha += w * ((w1 * k1A) + (w2 * k2A));
        sums.Beta += w * ((w1 * k1B) + (w2 * k2B));
    }

    /// <summary>ln K(τ) and its derivatives in (p_γ, p_δ, γ, δ), from the run's coefficients when z is within its limit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private KValue Evaluate(in Integral k, in Geometry g, double tau, double[] coefficients)
    {
        var gt = g.Gamma + tau;
        var z = g.Spread / gt;
        if (z > k.ZLimit)
        {
            return Scalar(k, g, tau);
        }

        var length = LengthFor(k, z);
        double v, vb, vc, vz;
        if (k.Fraction)
        {
            double t = 1, tb = 0, tc = 0, tzz = 0;
            for (var o = k.Offset + (4 * (length - 1)); o >= k.Offset; o -= 4)
            {
                var kn = coefficients[o];
                var invT = 1 / t;
                var u = kn * z * invT;
                tb = ((u * tb) - (coefficients[o + 1] * z)) * invT;
                tc = ((u * tc) - (coefficients[o + 2] * z)) * invT;
                tzz = ((u * tzz) - kn) * invT;
                t = 1 - u;
            }

            v = 1 / t;
            var minusG2 = -(v * v);
            (vb, vc, vz) = (tb * minusG2, tc * minusG2, tzz * minusG2);
        }
        else
        {
            (v, vb, vc, vz) = (0, 0, 0, 0);
            for (var o = k.Offset + (4 * length); o >= k.Offset; o -= 4)
            {
                v = (v * z) + coefficients[o];
                vb = (vb * z) + coefficients[o + 1];
                vc = (vc * z) + coefficients[o + 2];
                vz = (vz * z) + coefficients[o + 3];
            }
        }

        return FromHypergeometric(k, g, tau, gt, v, vb, vc, vz);
    }

    private KValue Scalar(in Integral k, in Geometry g, double tau)
    {
        var (p1, p2) = g.AlphaLarger ? (k.PGamma, k.PDelta) : (k.PDelta, k.PGamma);
        if (ParetoNbdFormulas.TailIntegralLn(p1, p2, g.Alpha, g.Beta, tau, MaxFractionStepsInFit) is not { } t)
        {
            _failed = true;
            return new KValue(double.NaN, 0, 0, 0, 0);
        }

        return g.AlphaLarger
            ? new KValue(t.Ln, t.DP1, t.DP2, t.DAlpha, t.DBeta)
            : new KValue(t.Ln, t.DP2, t.DP1, t.DBeta, t.DAlpha);
    }

    /// <summary>The same algebra as <see cref="ParetoNbdFormulas.TailIntegralLn(double, double, double, double, double)"/>, from G and its derivatives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static KValue FromHypergeometric(in Integral k, in Geometry g, double tau, double gt, double v, double vb, double vc, double vz)
    {
        var dt = g.Delta + tau;
        var lnGt = Math.Log(gt);
        var lnDt = Math.Log(dt);
        var invG = 1 / v;
        var a = k.PGamma + k.PDelta - 1;
        var ln = -Math.Log(a) - (k.PGamma * lnGt) + ((1 - k.PDelta) * lnDt) + Math.Log(v);
        var dA = (-1 / a) + (vc * invG);
        var dz = vz * invG;
        return new KValue(
            ln,
            dA - lnGt + (vb * invG),
            dA - lnDt,
            (-k.PGamma / gt) + (dz * dt / (gt * gt)),
            ((1 - k.PDelta) / dt) - (dz / gt));
    }

    /// <summary>The parameters arranged as γ = max(α, β) and δ = min(α, β); Spread = γ − δ.</summary>
    private readonly record struct Geometry(bool AlphaLarger, double Gamma, double Delta, double Alpha, double Beta)
    {
        public double Spread => Gamma - Delta;
    }

    /// <summary>
    /// One integral K(τ; p₁, p₂) of a run: its powers on γ and δ, and where its coefficients are (a series or a
    /// continued fraction from <c>Offset</c>), valid for z ≤ <c>ZLimit</c>, with the degree or depth per level of z at
    /// <c>LevelBase</c>.
    /// </summary>
    private readonly record struct Integral(double PGamma, double PDelta, bool Fraction, int Offset, double ZLimit, int LevelBase, int LevelCount)
    {
        public Integral(double p1, double p2, bool alphaLarger)
            : this(alphaLarger ? p1 : p2, alphaLarger ? p2 : p1, false, 0, -1, 0, 0)
        {
        }
    }

    private readonly record struct Segment(Integral K1, Integral K2, double LnP, double InvP, double LnS, double InvS, KValue K2Constant);

    /// <summary>ln K and its derivatives in p_γ, p_δ, γ, δ.</summary>
    private readonly record struct KValue(double Ln, double DPGamma, double DPDelta, double DGamma, double DDelta);

    /// <summary><see cref="KValue"/> for a vector of patterns.</summary>
    private readonly struct KVector(Vector<double> ln, Vector<double> dPGamma, Vector<double> dPDelta, Vector<double> dGamma, Vector<double> dDelta)
    {
        public KVector(KValue k)
            : this(new Vector<double>(k.Ln), new Vector<double>(k.DPGamma), new Vector<double>(k.DPDelta), new Vector<double>(k.DGamma), new Vector<double>(k.DDelta))
        {
        }

        public Vector<double> Ln { get; } = ln;

        public Vector<double> DPGamma { get; } = dPGamma;

        public Vector<double> DPDelta { get; } = dPDelta;

        public Vector<double> DGamma { get; } = dGamma;

        public Vector<double> DDelta { get; } = dDelta;
    }

    /// <summary>Weighted sums of ln L and of its derivatives in r, α, s, β.</summary>
    private struct Sums
    {
        public double Ll;
        public double R;
        public double Alpha;
        public double S;
        public double Beta;
    }

    private struct VectorSums
    {
        public Vector<double> Ll;
        public Vector<double> R;
        public Vector<double> Alpha;
        public Vector<double> S;
        public Vector<double> Beta;
    }
}
