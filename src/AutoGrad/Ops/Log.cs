using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise natural logarithm: <c>y = ln x</c> (NaN for x &lt; 0, −∞ at 0).</summary>
    /// <remarks>Backward, from the saved input: <c>dx += dy / x</c>.</remarks>
    public Tensor Log()
    {
        Tensor y = Map<LogKernel>();
        return Record(y, this, static (y, x) => x.AccumulateGrad<ElementGradientKernel<LogDerivative>>(y.OutputGradient, x));
    }

    private readonly struct LogKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
    }

    private readonly struct LogDerivative : IElementFunction
    {
        public static T Invoke<T>(T dy, T x)
            where T : IFloatingPointIeee754<T>
            => dy / x;
    }
}
