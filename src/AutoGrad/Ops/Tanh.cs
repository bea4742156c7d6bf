using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise hyperbolic tangent: <c>y = tanh x</c>.</summary>
    /// <remarks>Backward, from the saved output in one pass: <c>dx += dy · (1 − y²)</c>.</remarks>
    public Tensor Tanh()
    {
        Tensor y = Map<TanhKernel>(nameof(Tanh));
        return Record(y, this, static (y, x) => x.AccumulateGrad<TanhGradient>(y.OutputGradient, y));
    }

    private readonly struct TanhKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);
    }

    /// <summary><c>acc + dy · (1 − y²)</c>, as two fused multiply-adds.</summary>
    internal readonly struct TanhGradient : IAccumulateOperator
    {
        public static T Invoke<T>(T dy, T y, T acc)
            where T : IFloatingPointIeee754<T> => T.FusedMultiplyAdd(dy, T.FusedMultiplyAdd(-y, y, T.One), acc);

        public static Vector128<T> Invoke<T>(Vector128<T> dy, Vector128<T> y, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(dy, VectorMath.FusedMultiplyAdd(-y, y, Vector128<T>.One), acc);

        public static Vector256<T> Invoke<T>(Vector256<T> dy, Vector256<T> y, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(dy, VectorMath.FusedMultiplyAdd(-y, y, Vector256<T>.One), acc);

        public static Vector512<T> Invoke<T>(Vector512<T> dy, Vector512<T> y, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => VectorMath.FusedMultiplyAdd(dy, VectorMath.FusedMultiplyAdd(-y, y, Vector512<T>.One), acc);
    }
}
