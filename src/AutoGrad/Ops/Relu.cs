using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Rectified linear unit: <c>y = max(0, x)</c>; NaN stays NaN.</summary>
    /// <remarks>
    /// Backward, from the saved output in one pass: <c>dx += y ≤ 0 ? 0 : dy</c>. The gradient at 0 is 0, and a NaN
    /// output passes the gradient on, both as PyTorch's <c>threshold_backward</c> does.
    /// </remarks>
    public Tensor Relu()
    {
        Tensor y = Map<ReluKernel>(nameof(Relu));
        return Record(y, this, static (y, x) => x.AccumulateGrad<ReluGradient>(y.OutputGradient, y));
    }

    /// <summary><c>max(x, 0)</c> by TensorPrimitives, which propagates NaN.</summary>
    internal readonly struct ReluKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, y);
    }

    /// <summary><c>acc + (y ≤ 0 ? 0 : dy)</c>.</summary>
    internal readonly struct ReluGradient : IAccumulateOperator
    {
        public static T Invoke<T>(T dy, T y, T acc)
            where T : IFloatingPointIeee754<T> => acc + (y <= T.Zero ? T.Zero : dy);

        public static Vector128<T> Invoke<T>(Vector128<T> dy, Vector128<T> y, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => acc + Vector128.AndNot(dy, Vector128.LessThanOrEqual(y, Vector128<T>.Zero));

        public static Vector256<T> Invoke<T>(Vector256<T> dy, Vector256<T> y, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => acc + Vector256.AndNot(dy, Vector256.LessThanOrEqual(y, Vector256<T>.Zero));

        public static Vector512<T> Invoke<T>(Vector512<T> dy, Vector512<T> y, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => acc + Vector512.AndNot(dy, Vector512.LessThanOrEqual(y, Vector512<T>.Zero));
    }
}
