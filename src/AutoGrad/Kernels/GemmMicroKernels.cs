using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// The register-blocked inner kernels of <see cref="Gemm"/>: a tile of C, some rows × two vectors, held in vector
/// registers while k runs, one fused multiply-add per register per step.
/// </summary>
/// <remarks>
/// Operands come packed (<see cref="Gemm"/>): for each k step, the tile's rows of A next to each other, then the
/// tile's row of B as two whole vectors. Each step loads two vectors of B and broadcasts each element of A into two
/// independent accumulators: twelve or sixteen chains, enough to hide the fused multiply-add latency (4 cycles here)
/// at one per cycle. AVX-512 has 32 registers, room for 8 rows (16 accumulators); AVX2 has 16, room for 6.
/// </remarks>
internal static unsafe class GemmMicroKernels
{
    /// <summary>Rows of C per tile of <see cref="Multiply512{T}"/>: sixteen accumulators plus three working registers of 32.</summary>
    public const int Rows512 = 8;

    /// <summary>Rows of C per tile of <see cref="Multiply256{T}"/>: twelve accumulators plus three working registers of 16.</summary>
    public const int Rows256 = 6;

    /// <summary>
    /// <c>C[0..8, 0..2w] (+)= Σₚ a[p·8 + r] · b[p·2w + j]</c> with 512-bit vectors (w lanes each);
    /// C rows are <paramref name="ldc"/> apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply512<T>(int k, T* a, T* b, T* c, nint ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default;
        for (int p = 0; p < k; p++)
        {
            Vector512<T> b0 = Vector512.Load(b);
            Vector512<T> b1 = Vector512.Load(b + w);
            Vector512<T> ai = Vector512.Create(a[0]);
            c00 = VectorMath.FusedMultiplyAdd(ai, b0, c00);
            c01 = VectorMath.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[1]);
            c10 = VectorMath.FusedMultiplyAdd(ai, b0, c10);
            c11 = VectorMath.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[2]);
            c20 = VectorMath.FusedMultiplyAdd(ai, b0, c20);
            c21 = VectorMath.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[3]);
            c30 = VectorMath.FusedMultiplyAdd(ai, b0, c30);
            c31 = VectorMath.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[4]);
            c40 = VectorMath.FusedMultiplyAdd(ai, b0, c40);
            c41 = VectorMath.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[5]);
            c50 = VectorMath.FusedMultiplyAdd(ai, b0, c50);
            c51 = VectorMath.FusedMultiplyAdd(ai, b1, c51);
            ai = Vector512.Create(a[6]);
            c60 = VectorMath.FusedMultiplyAdd(ai, b0, c60);
            c61 = VectorMath.FusedMultiplyAdd(ai, b1, c61);
            ai = Vector512.Create(a[7]);
            c70 = VectorMath.FusedMultiplyAdd(ai, b0, c70);
            c71 = VectorMath.FusedMultiplyAdd(ai, b1, c71);
            a += Rows512;
            b += 2 * w;
        }

        Store(c00, c01, c, w, add);
        Store(c10, c11, c + ldc, w, add);
        Store(c20, c21, c + (2 * ldc), w, add);
        Store(c30, c31, c + (3 * ldc), w, add);
        Store(c40, c41, c + (4 * ldc), w, add);
        Store(c50, c51, c + (5 * ldc), w, add);
        Store(c60, c61, c + (6 * ldc), w, add);
        Store(c70, c71, c + (7 * ldc), w, add);
    }

    /// <summary>The 256-bit form of <see cref="Multiply512{T}"/>, six rows tall, for machines without AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply256<T>(int k, T* a, T* b, T* c, nint ldc, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint w = Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < k; p++)
        {
            Vector256<T> b0 = Vector256.Load(b);
            Vector256<T> b1 = Vector256.Load(b + w);
            Vector256<T> ai = Vector256.Create(a[0]);
            c00 = VectorMath.FusedMultiplyAdd(ai, b0, c00);
            c01 = VectorMath.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[1]);
            c10 = VectorMath.FusedMultiplyAdd(ai, b0, c10);
            c11 = VectorMath.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[2]);
            c20 = VectorMath.FusedMultiplyAdd(ai, b0, c20);
            c21 = VectorMath.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[3]);
            c30 = VectorMath.FusedMultiplyAdd(ai, b0, c30);
            c31 = VectorMath.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[4]);
            c40 = VectorMath.FusedMultiplyAdd(ai, b0, c40);
            c41 = VectorMath.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[5]);
            c50 = VectorMath.FusedMultiplyAdd(ai, b0, c50);
            c51 = VectorMath.FusedMultiplyAdd(ai, b1, c51);
            a += Rows256;
            b += 2 * w;
        }

        Store(c00, c01, c, w, add);
        Store(c10, c11, c + ldc, w, add);
        Store(c20, c21, c + (2 * ldc), w, add);
        Store(c30, c31, c + (3 * ldc), w, add);
        Store(c40, c41, c + (4 * ldc), w, add);
        Store(c50, c51, c + (5 * ldc), w, add);
    }

    /// <summary><see cref="Multiply512{T}"/> as a micro-kernel of <see cref="Gemm"/>.</summary>
    public readonly struct Tiles512<T> : IGemmMicroKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <inheritdoc/>
        public static int Rows => Rows512;

        /// <inheritdoc/>
        public static int Columns => 2 * Vector512<T>.Count;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Multiply(int k, T* a, T* b, T* c, nint ldc, bool add) => Multiply512(k, a, b, c, ldc, add);
    }

    /// <summary><see cref="Multiply256{T}"/> as a micro-kernel of <see cref="Gemm"/>.</summary>
    public readonly struct Tiles256<T> : IGemmMicroKernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <inheritdoc/>
        public static int Rows => Rows256;

        /// <inheritdoc/>
        public static int Columns => 2 * Vector256<T>.Count;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Multiply(int k, T* a, T* b, T* c, nint ldc, bool add) => Multiply256(k, a, b, c, ldc, add);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector512<T> left, Vector512<T> right, T* c, nint w, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (add)
        {
            left += Vector512.Load(c);
            right += Vector512.Load(c + w);
        }

        left.Store(c);
        right.Store(c + w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector256<T> left, Vector256<T> right, T* c, nint w, bool add)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (add)
        {
            left += Vector256.Load(c);
            right += Vector256.Load(c + w);
        }

        left.Store(c);
        right.Store(c + w);
    }
}

/// <summary>
/// A register-blocked micro-kernel: <c>C[0..Rows, 0..Columns] (+)= Σₚ a[p·Rows + r] · b[p·Columns + j]</c> over
/// panels packed by <see cref="Gemm"/>, C's rows <c>ldc</c> apart. The packed path is generic over it, so each
/// kernel's tiling is compiled with its sizes as constants.
/// </summary>
internal unsafe interface IGemmMicroKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows of C per tile.</summary>
    static abstract int Rows { get; }

    /// <summary>Columns of C per tile.</summary>
    static abstract int Columns { get; }

    /// <summary>One tile of C from <paramref name="k"/> steps of packed A and B; with <paramref name="add"/> added to C.</summary>
    static abstract void Multiply(int k, T* a, T* b, T* c, nint ldc, bool add);
}
