using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>
/// The exponential <c>eˣ</c>, with an algorithm of our own for each element type: TensorPrimitives widens float32 to
/// float64 for eˣ, which halves its throughput, and the runtime's vector <c>Exp</c> for float64 gives other bits than
/// its scalar <c>Math.Exp</c> (and falls back to it for a whole vector when one lane is special), so a result would
/// depend on its position in a span.
/// </summary>
/// <remarks>
/// <c>eˣ = 2ⁿ · eʳ</c> with <c>n = round(x·log₂e)</c> and <c>r = x − n·ln 2</c> (|r| ≤ ln2/2, ln 2 split in two parts
/// so that r is exact), eʳ from a polynomial (float32: Cephes' expf coefficients, degree 7; float64: the Taylor series
/// to degree 13, whose remainder is below 10⁻¹⁷ on that interval), and 2ⁿ applied as two exponent-field factors so
/// that results near overflow and in the subnormal range are still right (with AVX-512, one <c>vscalef</c>, which rounds
/// the same way: once). Error within 2 ulp of the exact value
/// (tested). +∞ above the largest finite result (x ≥ 88.73 in float32, 709.79 in float64), +0 below the smallest
/// subnormal, NaN stays NaN. Every width computes the same operations, so the scalar tail and the vectors give
/// identical bits.
/// </remarks>
internal readonly struct ExpOperator : IUnaryOperator
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;
    private const float Ln2Low = -2.12194440e-4f;
    private const float Lowest = -104f;   // below this eˣ rounds to 0 in float32
    private const float Highest = 89f;    // above this eˣ overflows float32
    private const float P0 = 1.9875691500e-4f;
    private const float P1 = 1.3981999507e-3f;
    private const float P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f;
    private const float P4 = 1.6666665459e-1f;
    private const float P5 = 5.0000001201e-1f;

    private const double Log2EDouble = 1.4426950408889634;
    private const double Ln2HighDouble = 6.93147180369123816490e-01; // low 32 bits zero: n·Ln2High is exact
    private const double Ln2LowDouble = 1.90821492927058770002e-10;
    private const double LowestDouble = -746;  // below this eˣ rounds to 0 in float64
    private const double HighestDouble = 710;  // above this eˣ overflows float64

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Invoke<T>(T x)
        where T : IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Unsafe.BitCast<float, T>(Exp(Unsafe.BitCast<T, float>(x))) : Unsafe.BitCast<double, T>(Exp(Unsafe.BitCast<T, double>(x)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Invoke<T>(Vector128<T> x)
        where T : IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Exp(x.AsSingle()).As<float, T>() : Exp(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Invoke<T>(Vector256<T> x)
        where T : IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Exp(x.AsSingle()).As<float, T>() : Exp(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Invoke<T>(Vector512<T> x)
        where T : IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Exp(x.AsSingle()).As<float, T>() : Exp(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Exp(float x)
    {
        if (float.IsNaN(x))
        {
            return x;
        }

        float clamped = Math.Clamp(x, Lowest, Highest);
        float n = MathF.Round(clamped * Log2E);
        float r = MathF.FusedMultiplyAdd(n, -Ln2Low, MathF.FusedMultiplyAdd(n, -Ln2High, clamped));
        float p = MathF.FusedMultiplyAdd(P0, r, P1);
        p = MathF.FusedMultiplyAdd(p, r, P2);
        p = MathF.FusedMultiplyAdd(p, r, P3);
        p = MathF.FusedMultiplyAdd(p, r, P4);
        p = MathF.FusedMultiplyAdd(p, r, P5);
        p = MathF.FusedMultiplyAdd(p, r * r, r) + 1f;
        int exponent = (int)n;
        int half = exponent >> 1;
        return p * PowerOfTwo(half) * PowerOfTwo(exponent - half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float PowerOfTwo(int k) => BitConverter.Int32BitsToSingle((k + 127) << 23);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Exp(Vector128<float> x)
    {
        Vector128<float> clamped = Vector128.MinNative(Vector128.MaxNative(x, Vector128.Create(Lowest)), Vector128.Create(Highest));
        Vector128<float> n = Vector128.Round(clamped * Vector128.Create(Log2E));
        Vector128<float> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2High), clamped);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Low), r);
        Vector128<float> p = Vector128.FusedMultiplyAdd(Vector128.Create(P0), r, Vector128.Create(P1));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(P2));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(P3));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(P4));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(P5));
        p = Vector128.FusedMultiplyAdd(p, r * r, r) + Vector128<float>.One;
        Vector128<int> exponent = Vector128.ConvertToInt32Native(n);
        Vector128<int> half = Vector128.ShiftRightArithmetic(exponent, 1);
        Vector128<float> result = p * PowerOfTwo(half) * PowerOfTwo(exponent - half);
        return Vector128.ConditionalSelect(Vector128.IsNaN(x), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> PowerOfTwo(Vector128<int> k) => Vector128.ShiftLeft(k + Vector128.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        Vector256<float> clamped = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(Lowest)), Vector256.Create(Highest));
        Vector256<float> n = Vector256.Round(clamped * Vector256.Create(Log2E));
        Vector256<float> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2High), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Low), r);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(P0), r, Vector256.Create(P1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P5));
        p = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<float>.One;
        Vector256<int> exponent = Vector256.ConvertToInt32Native(n);
        Vector256<int> half = Vector256.ShiftRightArithmetic(exponent, 1);
        Vector256<float> result = p * PowerOfTwo(half) * PowerOfTwo(exponent - half);
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> PowerOfTwo(Vector256<int> k) => Vector256.ShiftLeft(k + Vector256.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        Vector512<float> clamped = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(Lowest)), Vector512.Create(Highest));
        Vector512<float> n = Vector512.Round(clamped * Vector512.Create(Log2E));
        Vector512<float> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2High), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Low), r);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(P0), r, Vector512.Create(P1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P5));
        p = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        Vector512<float> result = Avx512F.IsSupported ? Avx512F.Scale(p, n) : Scale(p, n);
        return Vector512.ConditionalSelect(Vector512.IsNaN(x), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Scale(Vector512<float> p, Vector512<float> n)
    {
        Vector512<int> exponent = Vector512.ConvertToInt32Native(n);
        Vector512<int> half = Vector512.ShiftRightArithmetic(exponent, 1);
        return p * PowerOfTwo(half) * PowerOfTwo(exponent - half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PowerOfTwo(Vector512<int> k) => Vector512.ShiftLeft(k + Vector512.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        double clamped = Math.Clamp(x, LowestDouble, HighestDouble);
        double n = Math.Round(clamped * Log2EDouble);
        double r = Math.FusedMultiplyAdd(n, -Ln2LowDouble, Math.FusedMultiplyAdd(n, -Ln2HighDouble, clamped));
        double p = TaylorTail(r);
        p = Math.FusedMultiplyAdd(p, r * r, r) + 1;
        long exponent = (long)n;
        long half = exponent >> 1;
        return p * PowerOfTwo(half) * PowerOfTwo(exponent - half);
    }

    // Σ rᵏ⁻²/k! for k = 2..13, by Horner's rule.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double TaylorTail(double r)
    {
        double p = Math.FusedMultiplyAdd(1.0 / 6227020800, r, 1.0 / 479001600);
        p = Math.FusedMultiplyAdd(p, r, 1.0 / 39916800);
        p = Math.FusedMultiplyAdd(p, r, 1.0 / 3628800);
        p = Math.FusedMultiplyAdd(p, r, 1.0 / 362880);
        p = Math.FusedMultiplyAdd(p, r, 1.0 / 40320);
        p = Math.FusedMultiplyAdd(p, r, 1.0 / 5040);
        p = Math.FusedMultiplyAdd(p, r, 1.0 / 720);
        p = Math.FusedMultiplyAdd(p, r, 1.0 / 120);
        p = Math.FusedMultiplyAdd(p, r, 1.0 / 24);
        p = Math.FusedMultiplyAdd(p, r, 1.0 / 6);
        return Math.FusedMultiplyAdd(p, r, 0.5);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double PowerOfTwo(long k) => BitConverter.Int64BitsToDouble((k + 1023) << 52);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Exp(Vector128<double> x)
    {
        Vector128<double> clamped = Vector128.MinNative(Vector128.MaxNative(x, Vector128.Create(LowestDouble)), Vector128.Create(HighestDouble));
        Vector128<double> n = Vector128.Round(clamped * Vector128.Create(Log2EDouble));
        Vector128<double> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2HighDouble), clamped);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2LowDouble), r);
        Vector128<double> p = TaylorTail(r);
        p = Vector128.FusedMultiplyAdd(p, r * r, r) + Vector128<double>.One;
        Vector128<long> exponent = Vector128.ConvertToInt64Native(n);
        Vector128<long> half = Vector128.ShiftRightArithmetic(exponent, 1);
        Vector128<double> result = p * PowerOfTwo(half) * PowerOfTwo(exponent - half);
        return Vector128.ConditionalSelect(Vector128.IsNaN(x), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> TaylorTail(Vector128<double> r)
    {
        Vector128<double> p = Vector128.FusedMultiplyAdd(Vector128.Create(1.0 / 6227020800), r, Vector128.Create(1.0 / 479001600));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 39916800));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 3628800));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 362880));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 40320));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 5040));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 720));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 120));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 24));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 6));
        return Vector128.FusedMultiplyAdd(p, r, Vector128.Create(0.5));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> PowerOfTwo(Vector128<long> k) => Vector128.ShiftLeft(k + Vector128.Create(1023L), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Exp(Vector256<double> x)
    {
        Vector256<double> clamped = Vector256.MinNative(Vector256.MaxNative(x, Vector256.Create(LowestDouble)), Vector256.Create(HighestDouble));
        Vector256<double> n = Vector256.Round(clamped * Vector256.Create(Log2EDouble));
        Vector256<double> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2HighDouble), clamped);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2LowDouble), r);
        Vector256<double> p = TaylorTail(r);
        p = Vector256.FusedMultiplyAdd(p, r * r, r) + Vector256<double>.One;
        Vector256<long> exponent = Vector256.ConvertToInt64Native(n);
        Vector256<long> half = Vector256.ShiftRightArithmetic(exponent, 1);
        Vector256<double> result = p * PowerOfTwo(half) * PowerOfTwo(exponent - half);
        return Vector256.ConditionalSelect(Vector256.IsNaN(x), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> TaylorTail(Vector256<double> r)
    {
        Vector256<double> p = Vector256.FusedMultiplyAdd(Vector256.Create(1.0 / 6227020800), r, Vector256.Create(1.0 / 479001600));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 39916800));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 3628800));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 362880));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 40320));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 5040));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 720));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 120));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 24));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 6));
        return Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> PowerOfTwo(Vector256<long> k) => Vector256.ShiftLeft(k + Vector256.Create(1023L), 52).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Exp(Vector512<double> x)
    {
        Vector512<double> clamped = Vector512.MinNative(Vector512.MaxNative(x, Vector512.Create(LowestDouble)), Vector512.Create(HighestDouble));
        Vector512<double> n = Vector512.Round(clamped * Vector512.Create(Log2EDouble));
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2HighDouble), clamped);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2LowDouble), r);
        Vector512<double> p = TaylorTail(r);
        p = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<double>.One;
        Vector512<double> result;
        if (Avx512F.IsSupported)
        {
            result = Avx512F.Scale(p, n);
        }
        else
        {
            Vector512<long> exponent = Vector512.ConvertToInt64Native(n);
            Vector512<long> half = Vector512.ShiftRightArithmetic(exponent, 1);
            result = p * PowerOfTwo(half) * PowerOfTwo(exponent - half);
        }

        return Vector512.ConditionalSelect(Vector512.IsNaN(x), x, result);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> TaylorTail(Vector512<double> r)
    {
        Vector512<double> p = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 6227020800), r, Vector512.Create(1.0 / 479001600));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 39916800));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 3628800));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 362880));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 40320));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 5040));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 6));
        return Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> PowerOfTwo(Vector512<long> k) => Vector512.ShiftLeft(k + Vector512.Create(1023L), 52).AsDouble();
}
