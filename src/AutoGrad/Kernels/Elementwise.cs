using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// The element-wise drivers: one loop per arity that runs an operator struct over whole spans with the widest
/// vectors the machine accelerates (512, then 256, then 128 bits) and finishes with a scalar tail.
/// </summary>
/// <remarks>
/// A destination may be the same span as an operand (every element is read before it is written at the same
/// index), but must not overlap one partially. Lengths are checked: a mismatch is a bug in the caller.
/// </remarks>
internal static class Elementwise
{
    /// <summary><c>y[i] = f(x[i])</c>.</summary>
    public static void Map<T, TOperator>(ReadOnlySpan<T> x, Span<T> y)
        where T : IFloatingPointIeee754<T>
        where TOperator : IUnaryOperator
    {
        CheckLengths(x.Length, y.Length);
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T yRef = ref MemoryMarshal.GetReference(y);
        nuint length = (nuint)y.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<T>.Count <= length; i += (nuint)Vector512<T>.Count)
            {
                TOperator.Invoke(Vector512.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref yRef, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<T>.Count <= length; i += (nuint)Vector256<T>.Count)
            {
                TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref yRef, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<T>.Count <= length; i += (nuint)Vector128<T>.Count)
            {
                TOperator.Invoke(Vector128.LoadUnsafe(ref xRef, i)).StoreUnsafe(ref yRef, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref yRef, i) = TOperator.Invoke(Unsafe.Add(ref xRef, i));
        }
    }

    /// <summary><c>z[i] = f(x[i], y[i])</c>.</summary>
    public static void Map<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> z)
        where T : IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator
    {
        CheckLengths(x.Length, z.Length);
        CheckLengths(y.Length, z.Length);
        Binary<T, TOperator, Contiguous<T>, Contiguous<T>>(new(x), new(y), z);
    }

    /// <summary><c>z[i] = f(x[i], y)</c>: the scalar <paramref name="y"/> expanded along x.</summary>
    public static void Map<T, TOperator>(ReadOnlySpan<T> x, T y, Span<T> z)
        where T : IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator
    {
        CheckLengths(x.Length, z.Length);
        Binary<T, TOperator, Contiguous<T>, Repeated<T>>(new(x), new(y), z);
    }

    /// <summary><c>z[i] = f(x, y[i])</c>: the scalar <paramref name="x"/> expanded along y.</summary>
    public static void Map<T, TOperator>(T x, ReadOnlySpan<T> y, Span<T> z)
        where T : IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator
    {
        CheckLengths(y.Length, z.Length);
        Binary<T, TOperator, Repeated<T>, Contiguous<T>>(new(x), new(y), z);
    }

    /// <summary><c>acc[i] = acc[i] + g(x[i], y[i])</c> in one pass, as the operator computes it.</summary>
    public static void Accumulate<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> acc)
        where T : IFloatingPointIeee754<T>
        where TOperator : IAccumulateOperator
    {
        CheckLengths(x.Length, acc.Length);
        CheckLengths(y.Length, acc.Length);
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T yRef = ref MemoryMarshal.GetReference(y);
        ref T accRef = ref MemoryMarshal.GetReference(acc);
        nuint length = (nuint)acc.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<T>.Count <= length; i += (nuint)Vector512<T>.Count)
            {
                TOperator.Invoke(Vector512.LoadUnsafe(ref xRef, i), Vector512.LoadUnsafe(ref yRef, i), Vector512.LoadUnsafe(ref accRef, i))
                    .StoreUnsafe(ref accRef, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<T>.Count <= length; i += (nuint)Vector256<T>.Count)
            {
                TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, i), Vector256.LoadUnsafe(ref yRef, i), Vector256.LoadUnsafe(ref accRef, i))
                    .StoreUnsafe(ref accRef, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<T>.Count <= length; i += (nuint)Vector128<T>.Count)
            {
                TOperator.Invoke(Vector128.LoadUnsafe(ref xRef, i), Vector128.LoadUnsafe(ref yRef, i), Vector128.LoadUnsafe(ref accRef, i))
                    .StoreUnsafe(ref accRef, i);
            }
        }

        for (; i < length; i++)
        {
            ref T a = ref Unsafe.Add(ref accRef, i);
            a = TOperator.Invoke(Unsafe.Add(ref xRef, i), Unsafe.Add(ref yRef, i), a);
        }
    }

    /// <summary>
    /// <c>acc[i] = acc[i] + g(x[i], y[i], scale)</c> in one pass, as the operator computes it: the in-place
    /// updates of optimizers (<c>acc + scale·x·y</c>, <c>acc + scale·x/y</c>).
    /// </summary>
    public static void Accumulate<T, TOperator>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, T scale, Span<T> acc)
        where T : IFloatingPointIeee754<T>
        where TOperator : IScaledAccumulateOperator
    {
        CheckLengths(x.Length, acc.Length);
        CheckLengths(y.Length, acc.Length);
        ref T xRef = ref MemoryMarshal.GetReference(x);
        ref T yRef = ref MemoryMarshal.GetReference(y);
        ref T accRef = ref MemoryMarshal.GetReference(acc);
        nuint length = (nuint)acc.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; i + (nuint)Vector512<T>.Count <= length; i += (nuint)Vector512<T>.Count)
            {
                TOperator.Invoke(Vector512.LoadUnsafe(ref xRef, i), Vector512.LoadUnsafe(ref yRef, i), s, Vector512.LoadUnsafe(ref accRef, i))
                    .StoreUnsafe(ref accRef, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i + (nuint)Vector256<T>.Count <= length; i += (nuint)Vector256<T>.Count)
            {
                TOperator.Invoke(Vector256.LoadUnsafe(ref xRef, i), Vector256.LoadUnsafe(ref yRef, i), s, Vector256.LoadUnsafe(ref accRef, i))
                    .StoreUnsafe(ref accRef, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            var s = Vector128.Create(scale);
            for (; i + (nuint)Vector128<T>.Count <= length; i += (nuint)Vector128<T>.Count)
            {
                TOperator.Invoke(Vector128.LoadUnsafe(ref xRef, i), Vector128.LoadUnsafe(ref yRef, i), s, Vector128.LoadUnsafe(ref accRef, i))
                    .StoreUnsafe(ref accRef, i);
            }
        }

        for (; i < length; i++)
        {
            ref T a = ref Unsafe.Add(ref accRef, i);
            a = TOperator.Invoke(Unsafe.Add(ref xRef, i), Unsafe.Add(ref yRef, i), scale, a);
        }
    }

    // One loop for the three binary cases; the operand structs make "load a vector at i" either a load or a
    // broadcast made once, so the scalar cases cost no per-element index arithmetic.
    private static void Binary<T, TOperator, TX, TY>(TX x, TY y, Span<T> z)
        where T : IFloatingPointIeee754<T>
        where TOperator : IBinaryOperator
        where TX : IOperand<T>, allows ref struct
        where TY : IOperand<T>, allows ref struct
    {
        ref T zRef = ref MemoryMarshal.GetReference(z);
        nuint length = (nuint)z.Length;
        nuint i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector512<T>.Count <= length; i += (nuint)Vector512<T>.Count)
            {
                TOperator.Invoke(x.Load512(i), y.Load512(i)).StoreUnsafe(ref zRef, i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector256<T>.Count <= length; i += (nuint)Vector256<T>.Count)
            {
                TOperator.Invoke(x.Load256(i), y.Load256(i)).StoreUnsafe(ref zRef, i);
            }
        }

        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + (nuint)Vector128<T>.Count <= length; i += (nuint)Vector128<T>.Count)
            {
                TOperator.Invoke(x.Load128(i), y.Load128(i)).StoreUnsafe(ref zRef, i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref zRef, i) = TOperator.Invoke(x.Load(i), y.Load(i));
        }
    }

    private static void CheckLengths(int operand, int destination)
    {
        if (operand != destination)
        {
            throw new ArgumentException($"Element-wise kernel: an operand has {operand} elements but the destination {destination}.");
        }
    }

    private interface IOperand<T>
    {
        T Load(nuint i);

        Vector128<T> Load128(nuint i);

        Vector256<T> Load256(nuint i);

        Vector512<T> Load512(nuint i);
    }

    private readonly ref struct Contiguous<T>(ReadOnlySpan<T> values) : IOperand<T>
    {
        private readonly ref T _first = ref MemoryMarshal.GetReference(values);

        public T Load(nuint i) => Unsafe.Add(ref _first, i);

        public Vector128<T> Load128(nuint i) => Vector128.LoadUnsafe(ref _first, i);

        public Vector256<T> Load256(nuint i) => Vector256.LoadUnsafe(ref _first, i);

        public Vector512<T> Load512(nuint i) => Vector512.LoadUnsafe(ref _first, i);
    }

    private readonly struct Repeated<T>(T value) : IOperand<T>
    {
        public T Load(nuint i) => value;

        public Vector128<T> Load128(nuint i) => Vector128.Create(value);

        public Vector256<T> Load256(nuint i) => Vector256.Create(value);

        public Vector512<T> Load512(nuint i) => Vector512.Create(value);
    }
}
