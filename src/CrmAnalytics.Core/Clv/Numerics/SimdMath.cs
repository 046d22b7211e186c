using System.Numerics;
using System.Runtime.CompilerServices;

namespace CrmAnalytics.Core.Clv.Numerics;

/// <summary>
/// Vectorized natural logarithm and exponential for the likelihood's hot loop, accurate to about 1 ulp.
/// </summary>
/// <remarks>
/// The algorithms and coefficients are those of fdlibm's <c>e_log.c</c> and <c>e_exp.c</c> (Sun Microsystems, 1993;
/// also musl's <c>log.c</c>, <c>exp.c</c>), with the exponent handled by bit operations instead of branches. They
/// exist because <see cref="Vector.Log(Vector{double})"/> and <see cref="Vector.Exp(Vector{double})"/> are ordinary
/// library calls that run unoptimized until tiered compilation promotes them, which made the first fit in a process
/// several times slower than later ones. Inlined here, they are compiled with the loop that uses them.
/// </remarks>
internal static class SimdMath
{
    /// <summary>Smallest input <see cref="Log"/> handles (the smallest normal double); callers take the scalar path below it.</summary>
    public const double MinLogArgument = 2.2250738585072014e-308;

    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double InvLn2 = 1.44269504088896338700e+00;
    private const double Lg1 = 6.666666666666735130e-01;
    private const double Lg2 = 3.999999999940941908e-01;
    private const double Lg3 = 2.857142874366239149e-01;
    private const double Lg4 = 2.222219843214978396e-01;
    private const double Lg5 = 1.818357216161805012e-01;
    private const double Lg6 = 1.531383769920937332e-01;
    private const double Lg7 = 1.479819860511658591e-01;
    private const double P1 = 1.66666666666666019037e-01;
    private const double P2 = -2.77777777770155933842e-03;
    private const double P3 = 6.61375632143793436117e-05;
    private const double P4 = -1.65339022054652515390e-06;
    private const double P5 = 4.13813679705723846039e-08;

    /// <summary>exp(−708) ≈ 3e-308 is the last value above the smallest normal double; below it exp is taken as 0.</summary>
    private const double ExpLowest = -708.0;

    /// <summary>1.5·2^52: adding it rounds a double below 2^51 in magnitude to an integer kept in the low mantissa bits.</summary>
    private const double RoundingShift = 6755399441055744.0;

    /// <summary>2^52 as a bit pattern with the exponent of 2^52; OR-ing a small integer into the mantissa yields 2^52 + integer.</summary>
    private const ulong TwoPow52Bits = 0x4330000000000000UL;
    private const double TwoPow52 = 4503599627370496.0;

    /// <summary>Bits of √2/2 (0x3FE6A09E667F3BCD) offset so that the reduced mantissa falls in [√2/2, √2).</summary>
    private const ulong SqrtHalfHighBits = 0x3FE6A09E00000000UL;
    private const ulong OneBits = 0x3FF0000000000000UL;
    private const ulong MantissaMask = 0x000FFFFFFFFFFFFFUL;

    /// <summary>ln x for positive normal, finite x (fdlibm <c>__ieee754_log</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> Log(Vector<double> x)
    {
        // x = 2^k · m with √2/2 ≤ m < √2, f = m − 1.
        var bits = Vector.AsVectorUInt64(x) + new Vector<ulong>(OneBits - SqrtHalfHighBits);
        var exponentBits = Vector.ShiftRightLogical(bits, 52);
        var k = Vector.AsVectorDouble(exponentBits | new Vector<ulong>(TwoPow52Bits)) - new Vector<double>(TwoPow52 + 1023);
        var m = Vector.AsVectorDouble((bits & new Vector<ulong>(MantissaMask)) + new Vector<ulong>(SqrtHalfHighBits));
        var f = m - Vector<double>.One;

        var s = f / (new Vector<double>(2) + f);
        var z = s * s;
        var w = z * z;
        var t1 = w * (new Vector<double>(Lg2) + (w * (new Vector<double>(Lg4) + (w * new Vector<double>(Lg6)))));
        var t2 = z * (new Vector<double>(Lg1) + (w * (new Vector<double>(Lg3) + (w * (new Vector<double>(Lg5) + (w * new Vector<double>(Lg7)))))));
        var r = t2 + t1;
        var hfsq = new Vector<double>(0.5) * f * f;
        return (s * (hfsq + r)) + (k * new Vector<double>(Ln2Lo)) - hfsq + f + (k * new Vector<double>(Ln2Hi));
    }

    /// <summary>e^x for x ≤ 0 (fdlibm <c>__ieee754_exp</c>); 0 below −708, where e^x is below the smallest normal double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<double> ExpNonPositive(Vector<double> x)
    {
        var clamped = Vector.Max(x, new Vector<double>(ExpLowest));

        // x = k·ln 2 + r with |r| ≤ ln 2 / 2; 2^k is built in the exponent field from the rounded k's low bits.
        var shifted = (clamped * new Vector<double>(InvLn2)) + new Vector<double>(RoundingShift);
        var k = shifted - new Vector<double>(RoundingShift);
        var hi = clamped - (k * new Vector<double>(Ln2Hi));
        var lo = k * new Vector<double>(Ln2Lo);
        var r = hi - lo;
        var t = r * r;
        var c = r - (t * (new Vector<double>(P1) + (t * (new Vector<double>(P2) + (t * (new Vector<double>(P3) + (t * (new Vector<double>(P4) + (t * new Vector<double>(P5))))))))));
        var y = Vector<double>.One - ((lo - ((r * c) / (new Vector<double>(2) - c))) - hi);
        var scale = Vector.AsVectorDouble(Vector.ShiftLeft(Vector.AsVectorUInt64(shifted) + new Vector<ulong>(1023), 52));
        return Vector.ConditionalSelect(Vector.LessThan(x, new Vector<double>(ExpLowest)), Vector<double>.Zero, y * scale);
    }
}
