using AutoGrad.Kernels;

namespace AutoGrad;

public sealed partial class Tensor
{
    /// <summary>Element-wise square root: <c>y = √x</c> (NaN for x &lt; 0).</summary>
    /// <remarks>Backward, from the saved output: <c>dx += dy / (2y)</c>.</remarks>
    public Tensor Sqrt()
    {
        Tensor y = Map<SqrtKernel>();
        return Record(y, this, static (y, x) => x.AccumulateGrad<ElementGradientKernel<SqrtDerivative>>(y.OutputGradient, y));
    }

    private readonly struct SqrtKernel : IUnaryKernel
    {
        public static void Apply<T>(ReadOnlySpan<T> x, Span<T> y)
            where T : IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
    }

    private readonly struct SqrtDerivative : IElementFunction
    {
        public static T Invoke<T>(T dy, T y)
            where T : IFloatingPointIeee754<T>
            => dy / (y + y);
    }
}
