using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad.Tests.Kernels;

/// <summary>
/// Inputs, placements, bit-level comparisons, ulp measures and test-local operator structs shared by the tests of
/// the element-wise drivers and of the operator structs; none of it calls an operator under test.
/// </summary>
internal static class OperatorTestData
{
    /// <summary>The longest of the lengths tested one by one: 0..256 holds every mix of full vectors and scalar tail.</summary>
    public const int MaxShortLength = 256;

    /// <summary>Every length 0..256, then long odd ones: 4099 = 64·64 + 3 and 65537 = 2¹⁶ + 1.</summary>
    public static IEnumerable<int> Lengths => Enumerable.Range(0, MaxShortLength + 1).Concat([4099, 65537]);

    /// <summary>NaN, +0, −0, +∞, −∞.</summary>
    public static T[] IeeeSpecials<T>()
        where T : IFloatingPointIeee754<T>
        => [T.NaN, T.Zero, T.NegativeZero, T.PositiveInfinity, T.NegativeInfinity];

    /// <summary>
    /// Chunk lengths that each make the driver use one vector width: a span of <c>Vector512&lt;T&gt;.Count</c> elements
    /// is one 512-bit vector where 512 bits are accelerated, one of <c>Vector256&lt;T&gt;.Count</c> one 256-bit vector,
    /// and so on (narrower vectors, or the scalar form, where a width is not accelerated).
    /// </summary>
    public static int[] OneWidthChunks<T>() => [Vector512<T>.Count, Vector256<T>.Count, Vector128<T>.Count];

    /// <summary>Uniform values in [<paramref name="low"/>, <paramref name="high"/>), rounded to <typeparamref name="T"/>.</summary>
    public static T[] Uniform<T>(int length, int seed, double low, double high)
        where T : IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = T.CreateTruncating(low + (random.NextDouble() * (high - low)));
        }

        return values;
    }

    /// <summary>
    /// Overwrites elements <paramref name="first"/>, <paramref name="first"/> + <paramref name="stride"/>, ... with
    /// <paramref name="specials"/> in turn. When <c>specials.Length · stride</c> is odd, each special value comes back
    /// at an odd step, so over a long span it visits every lane of every vector width, and over the lengths 0..256
    /// it also falls in the scalar tail.
    /// </summary>
    public static T[] WithSpecials<T>(T[] values, T[] specials, int first, int stride)
    {
        for (int i = first, k = 0; i < values.Length; i += stride, k++)
        {
            values[i] = specials[k % specials.Length];
        }

        return values;
    }

    /// <summary>Whether two values have the same bits, except that any NaN matches any NaN (payloads are not specified).</summary>
    public static bool SameBits<T>(T a, T b)
        where T : IFloatingPointIeee754<T>
        => T.IsNaN(a)
            ? T.IsNaN(b)
            : !T.IsNaN(b) && BitConverter.DoubleToInt64Bits(double.CreateTruncating(a)) == BitConverter.DoubleToInt64Bits(double.CreateTruncating(b));

    /// <summary>A value and its bits, for failure messages: <c>-0 (0x80000000)</c>.</summary>
    public static string Show<T>(T value)
        where T : IFloatingPointIeee754<T>
    {
        string bits = typeof(T) == typeof(float)
            ? BitConverter.SingleToUInt32Bits(float.CreateTruncating(value)).ToString("X8", CultureInfo.InvariantCulture)
            : BitConverter.DoubleToUInt64Bits(double.CreateTruncating(value)).ToString("X16", CultureInfo.InvariantCulture);
        return $"{value.ToString(null, CultureInfo.InvariantCulture)} (0x{bits})";
    }

    /// <summary>The first few indices below <paramref name="length"/> that fail <paramref name="isRight"/>, each described.</summary>
    public static List<string> Failures(int length, Func<int, bool> isRight, Func<int, string> describe)
    {
        var failures = new List<string>();
        for (int i = 0; i < length && failures.Count < 8; i++)
        {
            if (!isRight(i))
            {
                failures.Add($"[{i}] {describe(i)}");
            }
        }

        return failures;
    }

    /// <summary>
    /// The first few indices at which <paramref name="actual"/> and <paramref name="expected"/>, of one length, differ in bits (any NaN
    /// matching any NaN), each described; the arrays are compared as bytes first, which is all a pass costs.
    /// </summary>
    public static List<string> BitMismatches<T>(T[] actual, T[] expected, Func<int, string> describe)
        where T : IFloatingPointIeee754<T>
    {
        bool sameBytes = typeof(T) == typeof(float)
            ? MemoryMarshal.AsBytes(((float[])(object)actual).AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(((float[])(object)expected).AsSpan()))
            : MemoryMarshal.AsBytes(((double[])(object)actual).AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(((double[])(object)expected).AsSpan()));
        return sameBytes ? [] : Failures(actual.Length, i => SameBits(actual[i], expected[i]), describe);
    }

    /// <summary>Calls <paramref name="run"/> with (start, count) for consecutive chunks of <paramref name="chunk"/> elements (the last may be shorter).</summary>
    public static void InChunks(int length, int chunk, Action<int, int> run)
    {
        for (int start = 0; start < length; start += chunk)
        {
            run(start, Math.Min(chunk, length - start));
        }
    }

    /// <summary>Half the distance from 1 to the next value: 2⁻²⁴ for float32, 2⁻⁵³ for float64.</summary>
    public static double UnitRoundoff<T>()
        where T : IFloatingPointIeee754<T>
        => double.CreateTruncating(T.BitIncrement(T.One) - T.One) / 2;

    /// <summary>
    /// How far <paramref name="actual"/> is from <paramref name="reference"/>, in ulps of <typeparamref name="T"/>.
    /// float32: the distance to the float64 reference in float32 ulps at the reference (2⁻¹⁴⁹ below the normal
    /// range; ±∞ counts as ±2¹²⁸, the next power of two, and is the only right answer beyond it). float64: the number
    /// of representable doubles between the two. Zero when both are NaN; +∞ when only one is.
    /// </summary>
    public static double UlpError<T>(T actual, double reference)
        where T : IFloatingPointIeee754<T>
    {
        double value = double.CreateTruncating(actual);
        if (double.IsNaN(value) || double.IsNaN(reference))
        {
            return double.IsNaN(value) && double.IsNaN(reference) ? 0 : double.PositiveInfinity;
        }

        if (typeof(T) == typeof(double))
        {
            return (double)Int128.Abs((Int128)Ordered(value) - Ordered(reference));
        }

        double twoTo128 = Math.ScaleB(1.0, 128);
        if (Math.Abs(reference) >= twoTo128)
        {
            return value == Math.CopySign(double.PositiveInfinity, reference) ? 0 : double.PositiveInfinity;
        }

        double spacing = Math.ScaleB(1.0, Math.Max(Math.ILogB(reference), -126) - 23);
        double extended = double.IsInfinity(value) ? Math.CopySign(twoTo128, value) : value;
        return Math.Abs(extended - reference) / spacing;
    }

    // Maps the bits of a double to a scale on which adjacent doubles differ by 1 (and −0 meets +0).
    private static long Ordered(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        return bits < 0 ? long.MinValue - bits : bits;
    }

    /// <summary><c>f(x) = 3x − 1</c>: exact on small integers.</summary>
    internal readonly struct ThreeXMinusOne : IUnaryOperator
    {
        public static T Invoke<T>(T x)
            where T : IFloatingPointIeee754<T> => (T.CreateChecked(3) * x) - T.One;

        public static Vector128<T> Invoke<T>(Vector128<T> x)
            where T : IFloatingPointIeee754<T> => (Vector128.Create(T.CreateChecked(3)) * x) - Vector128<T>.One;

        public static Vector256<T> Invoke<T>(Vector256<T> x)
            where T : IFloatingPointIeee754<T> => (Vector256.Create(T.CreateChecked(3)) * x) - Vector256<T>.One;

        public static Vector512<T> Invoke<T>(Vector512<T> x)
            where T : IFloatingPointIeee754<T> => (Vector512.Create(T.CreateChecked(3)) * x) - Vector512<T>.One;
    }

    /// <summary><c>f(x, y) = 3x − y²</c>: exact on small integers and not symmetric, so a swapped operand shows.</summary>
    internal readonly struct ThreeXMinusYSquared : IBinaryOperator
    {
        public static T Invoke<T>(T x, T y)
            where T : IFloatingPointIeee754<T> => (T.CreateChecked(3) * x) - (y * y);

        public static Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y)
            where T : IFloatingPointIeee754<T> => (Vector128.Create(T.CreateChecked(3)) * x) - (y * y);

        public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y)
            where T : IFloatingPointIeee754<T> => (Vector256.Create(T.CreateChecked(3)) * x) - (y * y);

        public static Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y)
            where T : IFloatingPointIeee754<T> => (Vector512.Create(T.CreateChecked(3)) * x) - (y * y);
    }

    /// <summary><c>acc + (3x − y²)</c>: exact on small integers, and no two of x, y and acc can trade places unseen.</summary>
    internal readonly struct PlusThreeXMinusYSquared : IAccumulateOperator
    {
        public static T Invoke<T>(T x, T y, T acc)
            where T : IFloatingPointIeee754<T> => acc + ((T.CreateChecked(3) * x) - (y * y));

        public static Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => acc + ((Vector128.Create(T.CreateChecked(3)) * x) - (y * y));

        public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => acc + ((Vector256.Create(T.CreateChecked(3)) * x) - (y * y));

        public static Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => acc + ((Vector512.Create(T.CreateChecked(3)) * x) - (y * y));
    }

    /// <summary>Ignores its operands and returns the width that computed each element: 512, 256 or 128 bits, or 1 for the scalar form.</summary>
    internal readonly struct Width : IUnaryOperator, IBinaryOperator, IAccumulateOperator
    {
        public static T Invoke<T>(T x)
            where T : IFloatingPointIeee754<T> => T.One;

        public static Vector128<T> Invoke<T>(Vector128<T> x)
            where T : IFloatingPointIeee754<T> => Vector128.Create(T.CreateChecked(128));

        public static Vector256<T> Invoke<T>(Vector256<T> x)
            where T : IFloatingPointIeee754<T> => Vector256.Create(T.CreateChecked(256));

        public static Vector512<T> Invoke<T>(Vector512<T> x)
            where T : IFloatingPointIeee754<T> => Vector512.Create(T.CreateChecked(512));

        public static T Invoke<T>(T x, T y)
            where T : IFloatingPointIeee754<T> => Invoke(x);

        public static Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y)
            where T : IFloatingPointIeee754<T> => Invoke(x);

        public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y)
            where T : IFloatingPointIeee754<T> => Invoke(x);

        public static Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y)
            where T : IFloatingPointIeee754<T> => Invoke(x);

        public static T Invoke<T>(T x, T y, T acc)
            where T : IFloatingPointIeee754<T> => Invoke(x);

        public static Vector128<T> Invoke<T>(Vector128<T> x, Vector128<T> y, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => Invoke(x);

        public static Vector256<T> Invoke<T>(Vector256<T> x, Vector256<T> y, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => Invoke(x);

        public static Vector512<T> Invoke<T>(Vector512<T> x, Vector512<T> y, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => Invoke(x);
    }
}
