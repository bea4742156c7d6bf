using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise square root: <c>y = √x</c> (NaN for x &lt; 0).</summary>
    /// <remarks>Backward, from the saved output: <c>dx += dy / (2y)</c>.</remarks>
    public Tensor Sqrt()
    {
        Tensor y = Map<SqrtKernel>(nameof(Sqrt));
        return Record(y, this, static (y, x) => x.AccumulateGrad<SqrtGradient>(y.OutputGradient, y));
    }

    private readonly struct SqrtKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
    }

    /// <summary><c>acc + dy / (2y)</c>, from the saved output y.</summary>
    internal readonly struct SqrtGradient : IAccumulateOperator
    {
        public static T Invoke<T>(T dy, T y, T acc)
            where T : IFloatingPointIeee754<T> => acc + (dy / (y + y));

        public static Vector128<T> Invoke<T>(Vector128<T> dy, Vector128<T> y, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => acc + (dy / (y + y));

        public static Vector256<T> Invoke<T>(Vector256<T> dy, Vector256<T> y, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => acc + (dy / (y + y));

        public static Vector512<T> Invoke<T>(Vector512<T> dy, Vector512<T> y, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => acc + (dy / (y + y));
    }
}
