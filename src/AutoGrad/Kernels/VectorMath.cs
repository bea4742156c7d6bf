using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>Generic forms of the vector operations the runtime offers only for float and double.</summary>
/// <remarks>The type tests are constants to the JIT, which keeps only the branch for the element type.</remarks>
internal static class VectorMath
{
    /// <summary><c>a·b + c</c> with one rounding, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FusedMultiplyAdd<T>(Vector128<T> a, Vector128<T> b, Vector128<T> c)
        => typeof(T) == typeof(float)
            ? Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    /// <inheritdoc cref="FusedMultiplyAdd{T}(Vector128{T}, Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FusedMultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
        => typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    /// <inheritdoc cref="FusedMultiplyAdd{T}(Vector128{T}, Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FusedMultiplyAdd<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        => typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>()
            : Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();

    /// <summary>The natural logarithm, lane by lane, by the runtime's vector <c>Log</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log<T>(Vector128<T> x)
        => typeof(T) == typeof(float)
            ? Vector128.Log(x.AsSingle()).As<float, T>()
            : Vector128.Log(x.AsDouble()).As<double, T>();

    /// <inheritdoc cref="Log{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x)
        => typeof(T) == typeof(float)
            ? Vector256.Log(x.AsSingle()).As<float, T>()
            : Vector256.Log(x.AsDouble()).As<double, T>();

    /// <inheritdoc cref="Log{T}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x)
        => typeof(T) == typeof(float)
            ? Vector512.Log(x.AsSingle()).As<float, T>()
            : Vector512.Log(x.AsDouble()).As<double, T>();
}
