using System.Runtime.Intrinsics;
using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise natural logarithm: <c>y = ln x</c> (NaN for x &lt; 0, −∞ at 0).</summary>
    /// <remarks>Backward, from the saved input: <c>dx += dy / x</c>.</remarks>
    public Tensor Log()
    {
        Tensor y = Map<LogKernel>(nameof(Log));
        return Record(y, this, static (y, x) => x.AccumulateGrad<LogGradient>(y.OutputGradient, x));
    }

    private readonly struct LogKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
    }

    /// <summary><c>acc + dy / x</c>.</summary>
    internal readonly struct LogGradient : IAccumulateOperator
    {
        public static T Invoke<T>(T dy, T x, T acc)
            where T : IFloatingPointIeee754<T> => acc + (dy / x);

        public static Vector128<T> Invoke<T>(Vector128<T> dy, Vector128<T> x, Vector128<T> acc)
            where T : IFloatingPointIeee754<T> => acc + (dy / x);

        public static Vector256<T> Invoke<T>(Vector256<T> dy, Vector256<T> x, Vector256<T> acc)
            where T : IFloatingPointIeee754<T> => acc + (dy / x);

        public static Vector512<T> Invoke<T>(Vector512<T> dy, Vector512<T> x, Vector512<T> acc)
            where T : IFloatingPointIeee754<T> => acc + (dy / x);
    }
}
